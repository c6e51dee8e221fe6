"""Time tracking: timers, time entries and timesheet reports.

Every duration on the wire is in milliseconds (`Milliseconds`, see `bot.astravue.models.base`);
each `_ms` field has a `timedelta` property.
"""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar, Literal

from pydantic import Field

from bot.astravue.models.base import (
    AstravueModel,
    Many,
    Milliseconds,
    RequestModel,
    UtcDateTime,
    spelled,
)


def _ms(value: Milliseconds | None) -> timedelta | None:
    return None if value is None else timedelta(milliseconds=value)


class TimerRequest(RequestModel):
    start_time: UtcDateTime | None = None
    end_time: UtcDateTime | None = None
    hours: int | None = Field(default=None, ge=0)
    minutes: int | None = Field(default=None, ge=0, le=59)
    billable: bool | None = None
    notes: str | None = None


class TimerUpdateRequest(RequestModel):
    """A whole time entry as PUT sends it (built by bot.astravue.updates)."""

    CLEARABLE: ClassVar[frozenset[str]] = frozenset({"notes"})

    start_time: UtcDateTime | None = None
    end_time: UtcDateTime | None = None
    billable: bool | None = None
    notes: str | None = None


class TimeTrackerDto(AstravueModel):
    time_tracker_id: int = spelled("timeTrackerId", "id", "time_tracker_id")
    task_id: int | None = None
    project_id: int | None = None
    user_id: int | None = None
    start_time: UtcDateTime | None = None
    end_time: UtcDateTime | None = None
    duration_ms: Milliseconds | None = Field(default=None, alias="duration")
    billable: bool | None = None
    notes: str | None = None
    entry_type: str | None = None
    running: bool | None = None

    @property
    def duration(self) -> timedelta | None:
        return _ms(self.duration_ms)


class TimerData(AstravueModel):
    time_tracker_id: int = spelled("timeTrackerId", "id", "time_tracker_id")
    task_id: int | None = None
    task_title: str | None = None
    project_id: int | None = None
    space_id: int | None = None
    start_time: UtcDateTime | None = None
    elapsed_ms: Milliseconds | None = Field(default=None, alias="elapsed")
    status: str | None = None

    @property
    def elapsed(self) -> timedelta | None:
        return _ms(self.elapsed_ms)


class _DurationTotals(AstravueModel):
    total_duration_ms: Milliseconds | None = Field(default=None, alias="totalDuration")
    billable_duration_ms: Milliseconds | None = Field(default=None, alias="billableDuration")
    non_billable_duration_ms: Milliseconds | None = Field(default=None, alias="nonBillableDuration")

    @property
    def total_duration(self) -> timedelta | None:
        return _ms(self.total_duration_ms)

    @property
    def billable_duration(self) -> timedelta | None:
        return _ms(self.billable_duration_ms)

    @property
    def non_billable_duration(self) -> timedelta | None:
        return _ms(self.non_billable_duration_ms)


class TimesheetGroup(_DurationTotals):
    """One member's or project's totals (`userId` or `projectId`, by the report's groupBy)."""

    user_id: int | None = None
    project_id: int | None = None
    name: str | None = None
    entry_count: int | None = None


class TimesheetReport(_DurationTotals):
    group_by: str | None = None
    entries: Many[TimeTrackerDto] = Field(default_factory=list)
    groups: Many[TimesheetGroup] = Field(default_factory=list)


class TimesheetSummary(_DurationTotals):
    project_id: int | None = None


TimesheetGroupBy = Literal["member", "project"]
