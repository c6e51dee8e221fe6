"""When a running timer counts as forgotten: the limit, or the end of the working day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.services.rescue import overdue_reason

MADRID = ZoneInfo("Europe/Madrid")
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # 09:00 in Madrid


def test_under_the_limit_and_without_a_workday_is_fine() -> None:
    assert overdue_reason(START, START + timedelta(hours=7, minutes=59), 480, None, MADRID) is None


def test_past_the_limit_says_how_long() -> None:
    why = overdue_reason(START, START + timedelta(hours=8), 480, None, MADRID)
    assert why == "it has run for more than 8 hours"
    assert overdue_reason(START, START + timedelta(minutes=90), 90, None, MADRID) is not None


def test_end_of_the_working_day_in_the_users_zone() -> None:
    # 18:00 in Madrid is 17:00 UTC in March.
    assert (
        overdue_reason(START, datetime(2026, 3, 2, 16, 59, tzinfo=UTC), 600, "18:00", MADRID)
        is None
    )
    why = overdue_reason(START, datetime(2026, 3, 2, 17, 0, tzinfo=UTC), 600, "18:00", MADRID)
    assert why == "your working day ended at 18:00"


def test_a_timer_started_after_hours_runs_to_the_next_days_end() -> None:
    evening = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)  # 20:00 in Madrid, after 18:00
    assert overdue_reason(evening, evening + timedelta(hours=2), 24 * 60, "18:00", MADRID) is None
    assert (
        overdue_reason(evening, datetime(2026, 3, 3, 17, 0, tzinfo=UTC), 24 * 60, "18:00", MADRID)
        is not None
    )


def test_an_unreadable_workday_end_is_ignored_and_zero_limit_disables() -> None:
    late = START + timedelta(hours=20)
    assert overdue_reason(START, late, 0, "25:99", MADRID) is None
    assert overdue_reason(START, late, 0, None, MADRID) is None
