"""Periods of the time views: whole days, weeks from Monday and months, moved by Previous and
Next, and carried in button values."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.calendar import show_span
from bot.domain.time_views import Period

THURSDAY = date(2026, 12, 3)


@pytest.mark.parametrize(
    ("kind", "first", "last"),
    [
        ("day", THURSDAY, THURSDAY),
        ("week", date(2026, 11, 30), date(2026, 12, 6)),
        ("month", date(2026, 12, 1), date(2026, 12, 31)),
    ],
)
def test_a_period_is_whole(kind: str, first: date, last: date) -> None:
    period = Period.containing(kind, THURSDAY)  # type: ignore[arg-type]
    assert (period.first, period.last) == (first, last)


def test_previous_and_next_cross_months_and_years() -> None:
    week = Period.containing("week", date(2027, 1, 1))
    assert week.shifted(-1) == Period("week", date(2026, 12, 21))
    january = Period.containing("month", date(2027, 1, 15))
    assert january.shifted(-1).first == date(2026, 12, 1)
    assert january.shifted(-1).last == date(2026, 12, 31)
    assert Period.containing("month", date(2026, 1, 31)).shifted(1).last == date(2026, 2, 28)
    assert Period.containing("day", date(2026, 3, 1)).shifted(-1).first == date(2026, 2, 28)


def test_button_values_round_trip_and_reject_anything_else() -> None:
    week = Period.containing("week", THURSDAY)
    assert week.encode() == "week:2026-11-30"
    assert Period.decode(week.encode()) == week
    assert Period.decode("week:2026-12-02") == week  # a mid-week day names its week
    for bad in ("", "week", "fortnight:2026-11-30", "week:30/11", "day:2026-02-30"):
        assert Period.decode(bad) is None


def test_a_span_shows_its_days_and_a_year_only_when_needed() -> None:
    assert show_span(date(2026, 11, 30), date(2026, 12, 6), THURSDAY) == "30 Nov \u2013 6 Dec"
    assert show_span(date(2026, 12, 28), date(2027, 1, 3), THURSDAY) == (
        "28 Dec 2026 \u2013 3 Jan 2027"
    )
    assert show_span(date(2026, 12, 28), date(2027, 1, 3), date(2027, 1, 2)) == (
        "28 Dec 2026 \u2013 3 Jan"
    )
