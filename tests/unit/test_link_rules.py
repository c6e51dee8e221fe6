"""The pure rules of the connect flow: token shape, email equality, fitting to columns."""

from __future__ import annotations

import secrets

import pytest

from bot.services.link_rules import (
    ELLIPSIS,
    fit_email,
    fit_name,
    same_email,
    well_formed_token,
)


def test_only_tokens_of_our_shape_are_well_formed() -> None:
    assert well_formed_token(secrets.token_urlsafe(32))
    for bad in (
        "",
        "\x00",
        "a" * 31,
        "a" * 65,
        "a" * 42 + "\x00",
        "a" * 42 + "=",
        None,
        42,
        "a" * 42 + "\n",
        "é" * 43,
    ):
        assert not well_formed_token(bad), repr(bad)


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("maria@acme.test", "maria@acme.test", True),
        (" Maria@ACME.test ", "maria@acme.test", True),
        ("maria@acme.test", "dev@acme.test", False),
        (None, None, False),  # no address on either side is never a match
        ("", "", False),
        ("  ", "maria@acme.test", False),
        ("maria@acme.test", None, False),
    ],
)
def test_same_email_ignores_case_and_outer_spaces_only(
    first: str | None, second: str | None, same: bool
) -> None:
    assert same_email(first, second) is same


def test_a_long_name_is_cut_with_an_ellipsis_to_its_limit() -> None:
    assert fit_name("Maria Lopez", 200) == "Maria Lopez"
    cut = fit_name("M" * 300, 200)
    assert cut is not None and len(cut) == 200 and cut.endswith(ELLIPSIS)
    assert fit_name("   ", 200) is None and fit_name(None, 200) is None


def test_an_email_that_does_not_fit_is_dropped_not_cut() -> None:
    assert fit_email(" maria@acme.test ", 320) == "maria@acme.test"
    assert fit_email("m" * 320 + "@acme.test", 320) is None
    assert fit_email("", 320) is None
