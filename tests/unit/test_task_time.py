"""A user's time on one task: today in their zone, and in all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.astravue.models import TimeTrackerDto
from bot.domain.tasks import TaskTime
from bot.services.timers import time_on_task

DAY_START = datetime(2030, 3, 4, 23, tzinfo=UTC)  # 00:00 in Madrid (UTC+1)


def entry(start: datetime, minutes: int | None) -> TimeTrackerDto:
    return TimeTrackerDto(
        time_tracker_id=1,
        start_time=start,
        duration_ms=None if minutes is None else minutes * 60_000,
    )


def test_today_is_the_users_day_and_total_counts_everything() -> None:
    entries = [
        entry(DAY_START - timedelta(minutes=1), 30),  # the evening before
        entry(DAY_START, 45),
        entry(DAY_START + timedelta(hours=23, minutes=59), 15),
        entry(DAY_START + timedelta(days=1), 60),  # tomorrow (a clock skew)
        entry(DAY_START + timedelta(hours=2), None),
    ]  # duration unknown
    found = time_on_task(entries, DAY_START, DAY_START + timedelta(days=1))
    assert found == TaskTime(today=timedelta(minutes=60), total=timedelta(minutes=150))


def test_no_entries_is_no_time() -> None:
    assert time_on_task([], DAY_START, DAY_START) == TaskTime(timedelta(0), timedelta(0))
