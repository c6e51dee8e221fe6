"""Every domain error reaches the user in words: what happened and what to do next."""

from __future__ import annotations

import inspect
from datetime import date

import pytest

from bot.domain import errors as domain
from bot.ui.errors import UNEXPECTED, describe

SAMPLES: list[domain.DomainError] = [
    domain.TaskNotGiven(),
    domain.TaskNotFound(42),
    domain.NoTaskMatches("fix login"),
    domain.AmbiguousTask("fix", [(1, "Fix login"), (2, "Fix logout")]),
    domain.TaskMatchedByWords("login", [(1, "Fix login")]),
    domain.NoProjectMatches("web"),
    domain.AmbiguousProject("web", [(1, "Web / Site"), (2, "Web / Shop")]),
    domain.UnknownProject("Website"),
    domain.TitleMissing(),
    domain.DraftExpired(),
    domain.NoTimerRunning(),
    domain.TimerAlreadyStopped(7),
    domain.TimerAlreadyStopped(7, logging_range=True),
    domain.StopTimeOutOfRange(),
    domain.TimeEntryNotFound(9),
    domain.DateInFuture(date(2031, 1, 2)),
]


def test_every_domain_error_has_a_sample() -> None:
    defined = {
        cls
        for _, cls in inspect.getmembers(domain, inspect.isclass)
        if issubclass(cls, domain.DomainError) and cls is not domain.DomainError
    }
    assert defined == {type(e) for e in SAMPLES}


@pytest.mark.parametrize("error", SAMPLES, ids=lambda e: type(e).__name__)
def test_each_is_worded_not_reported_as_a_failure(error: domain.DomainError) -> None:
    text = describe(error)
    assert text and text != UNEXPECTED.format(kind=type(error).__name__)


def test_quoted_words_are_escaped_and_candidates_capped() -> None:
    many = [(i, f"<@U{i}> task") for i in range(8)]
    text = describe(domain.AmbiguousTask("<!channel> fix", many))
    assert "<!channel>" not in text and "<@U" not in text
    assert "#4 " in text and "#5 " not in text
    assert describe(domain.TaskNotFound(42)).startswith("I can't find task #42 ")
    assert describe(domain.DateInFuture(date(2031, 1, 2))).startswith(
        "Thu 2 Jan 2031 is in the future"
    )
