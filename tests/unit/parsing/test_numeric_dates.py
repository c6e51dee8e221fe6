"""Issue 19 point 15: numeric dates follow the user's Slack locale (day/month order)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.parsing import day_first_in, parse_capture, parse_date
from bot.parsing.log_args import read_log_args

TODAY = date(2026, 12, 3)  # a Thursday


@pytest.mark.parametrize(
    ("locale", "day_first"),
    [
        ("en-GB", True),
        ("es-ES", True),
        ("de-DE", True),
        ("en-US", False),
        ("en_US", False),
        ("ja-JP", False),
        (None, False),  # Slack's default locale is en-US
    ],
)
def test_the_locale_sets_the_order(locale: str | None, day_first: bool) -> None:
    assert day_first_in(locale) is day_first


def test_31_12_is_31_december_in_either_order() -> None:
    assert parse_date("31/12", today=TODAY, day_first=True) == date(2026, 12, 31)
    assert parse_date("12/31", today=TODAY, day_first=False) == date(2026, 12, 31)
    # only one reading is a date: that one, whatever the locale
    assert parse_date("31/12", today=TODAY, day_first=False) == date(2026, 12, 31)


def test_an_ambiguous_date_follows_the_locale() -> None:
    assert parse_date("04/05", today=TODAY, day_first=True) == date(2027, 5, 4)
    assert parse_date("04/05", today=TODAY, day_first=False) == date(2027, 4, 5)


def test_years_dots_and_direction() -> None:
    assert parse_date("1/2/2027", today=TODAY, day_first=True) == date(2027, 2, 1)
    assert parse_date("1/2/27", today=TODAY, day_first=False) == date(2027, 1, 2)
    assert parse_date("31.12.", today=TODAY, day_first=True) == date(2026, 12, 31)
    assert parse_date("24.12.2026", today=TODAY, day_first=True) == date(2026, 12, 24)
    # a past date without a year: this year's when logging, next year's when due
    assert parse_date("1/12", today=TODAY, direction="past", day_first=True) == date(2026, 12, 1)
    assert parse_date("1/12", today=TODAY, day_first=True) == date(2027, 12, 1)


@pytest.mark.parametrize("text", ["2.1", "13/13", "0/5", "31/02/2026", "1/2/3", "12/31/99999"])
def test_what_is_not_a_date(text: str) -> None:
    assert parse_date(text, today=TODAY, day_first=True) is None


def test_quick_capture_and_log_read_numeric_dates_in_the_users_order() -> None:
    british = parse_capture("Ship release 2.1 04/05", today=TODAY, day_first=True)
    american = parse_capture("Ship release 2.1 04/05", today=TODAY, day_first=False)
    assert (british.due, american.due) == (date(2027, 5, 4), date(2027, 4, 5))
    assert british.title == "Ship release 2.1"
    logged = read_log_args("30m 14 on 02/12 notes", TODAY, day_first=True)
    assert (logged.task, logged.day, logged.note) == ("14", date(2026, 12, 2), "notes")
