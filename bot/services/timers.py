"""Timers and time entries: one running timer per user, stops, manual and range logs, sheets.

Takes ids and plain values, returns Astravue models; knows nothing of Slack payloads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from bot.astravue.errors import Conflict
from bot.astravue.models import (
    ProjectDto,
    SpaceDto,
    TimerData,
    TimerRequest,
    TimeTrackerDto,
)
from bot.astravue.updates import TimerChanges, timer_update
from bot.db.models import UserSettings
from bot.db.repositories import settings_for
from bot.db.session import session_scope
from bot.domain.errors import (
    AmbiguousProject,
    DateInFuture,
    NoTimerRunning,
    StopTimeOutOfRange,
    TimeEntryNotFound,
    TimerAlreadyStopped,
    UnknownProject,
)
from bot.domain.tasks import TaskRef, TaskTime
from bot.parsing import local_day_bounds, resolve_zone
from bot.services.projects import ProjectInfo, choices, name_matches

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from bot.astravue.client import AstravueClient
    from bot.domain.links import LinkInfo
    from bot.services.astravue_access import AstravueAccess
    from bot.services.zones import UserZones

# A manual entry on a past day is placed at the start of a usual working day.
MANUAL_DAY_START = time(9, 0)


class TimerBusy(Exception):
    """Another timer runs: the caller offers Switch instead of an error."""

    def __init__(self, running: TimerData) -> None:
        super().__init__(f"timer {running.time_tracker_id} is running")
        self.running = running


@dataclass(frozen=True)
class Stopped:
    timer: TimerData  # what ran (task title, start)
    entry: TimeTrackerDto  # what was logged


@dataclass(frozen=True)
class Switched:
    stopped: Stopped | None
    started: TimerData


def time_on_task(entries: list[TimeTrackerDto], since: datetime, until: datetime) -> TaskTime:
    """Sum the entries (a running timer counts what it has so far); today is [since, until)."""

    def spent(chosen: list[TimeTrackerDto]) -> timedelta:
        return sum((e.duration or timedelta(0) for e in chosen), timedelta(0))

    today = [e for e in entries if e.start_time is not None and since <= e.start_time < until]
    return TaskTime(today=spent(today), total=spent(entries))


class TimerService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        astravue: AstravueAccess,
        zones: UserZones,
    ) -> None:
        self.sessions = sessions
        self.astravue = astravue
        self.zones = zones

    def _client(self, link: LinkInfo) -> AstravueClient:
        return self.astravue(link)

    # -- preferences --

    async def settings(self, link: LinkInfo) -> UserSettings:
        """The user's settings (a detached copy), created with the defaults on first use."""
        async with session_scope(self.sessions) as session:
            return await settings_for(session, link.team_id, link.slack_user_id)

    async def stop_billable(self, link: LinkInfo) -> bool:
        return (await self.settings(link)).last_stop_billable

    async def remember(self, link: LinkInfo, **values: object) -> None:
        """Save settings fields, e.g. `last_stop_billable=True`."""
        async with session_scope(self.sessions) as session:
            row = await settings_for(session, link.team_id, link.slack_user_id)
            for name, value in values.items():
                setattr(row, name, value)

    async def zone_name(self, link: LinkInfo) -> str:
        return await self.zones.name(link.slack_user_id)

    # -- the running timer --

    async def running(self, link: LinkInfo) -> TimerData | None:
        timers = await self._client(link).timers.active()
        return timers[0] if timers else None

    async def _require_running(self, link: LinkInfo) -> TimerData:
        timer = await self.running(link)
        if timer is None:
            raise NoTimerRunning()
        return timer

    async def start(self, link: LinkInfo, ref: TaskRef) -> TimerData:
        """Start on `ref`; TimerBusy when another task's timer runs (checked first, and again
        if Astravue answers 409 because one started elsewhere meanwhile)."""
        current = await self.running(link)
        if current is not None:
            if current.task_id == ref.task_id:
                return current
            raise TimerBusy(current)
        try:
            await self._client(link).timers.start(task_id=ref.task_id, project_id=ref.project_id)
        except Conflict:
            current = await self.running(link)
            if current is None:
                raise
            raise TimerBusy(current) from None
        return await self._require_running(link)

    async def switch(self, link: LinkInfo, ref: TaskRef) -> Switched:
        """Stop whatever runs (with the last billable choice), then start `ref`."""
        current = await self.running(link)
        stopped = None
        if current is not None and current.task_id != ref.task_id:
            stopped = await self._stop(link, current, await self.stop_billable(link), None)
        return Switched(stopped, await self.start(link, ref))

    async def stop(
        self,
        link: LinkInfo,
        *,
        billable: bool | None = None,
        notes: str | None = None,
        tracker_id: int | None = None,
        task_id: int | None = None,
    ) -> Stopped:
        """Stop the running timer; `billable=None` keeps the user's last choice. With
        `tracker_id` or `task_id`, only that timer (a stale button must not stop a newer one)."""
        current = await self._require_running(link)
        stale_tracker = tracker_id is not None and current.time_tracker_id != tracker_id
        if stale_tracker or (task_id is not None and current.task_id != task_id):
            raise TimerAlreadyStopped(tracker_id or current.time_tracker_id)
        if billable is None:
            billable = await self.stop_billable(link)
        return await self._stop(link, current, billable, notes)

    async def _stop(
        self, link: LinkInfo, timer: TimerData, billable: bool, notes: str | None
    ) -> Stopped:
        entry = await self._client(link).timers.stop(
            task_id=timer.task_id or 0, body=TimerRequest(billable=billable, notes=notes or None)
        )
        await self.remember(link, last_stop_billable=billable)
        return Stopped(timer, entry)

    async def note(
        self, link: LinkInfo, task_id: int, entry_id: int, notes: str | None
    ) -> TimeTrackerDto:
        """Set the note of an entry just logged (its task is known: no timesheet lookup)."""
        return await self._client(link).timers.change(
            task_id=task_id, time_tracker_id=entry_id, changes={"notes": notes or None}
        )

    async def undo_stop(self, link: LinkInfo, ref: TaskRef, entry_id: int) -> TimerData:
        """Take a stop back: the entry goes and the timer runs again from the entry's start
        (Astravue has no resume: start anew, then move the start back). TimerBusy when
        another timer runs by now; TimeEntryNotFound when the entry is already gone."""
        client = self._client(link)
        entries = await client.timers.list_for_task(
            task_id=ref.task_id, user_id=link.astravue_user_id
        )
        entry = next((e for e in entries if e.time_tracker_id == entry_id), None)
        if entry is None or entry.start_time is None or entry.running:
            raise TimeEntryNotFound(entry_id)
        current = await self.running(link)
        if current is not None:
            raise TimerBusy(current)
        # Delete last: a failure midway leaves the logged time in place, never loses it.
        restarted = await client.timers.start(task_id=ref.task_id, project_id=ref.project_id)
        await client.timers.update(
            time_tracker_id=restarted.time_tracker_id,
            body=timer_update(restarted, {"start_time": entry.start_time}),
        )
        await client.timers.delete(time_tracker_id=entry_id)
        return await self._require_running(link)

    async def stop_if_running_on(self, link: LinkInfo, ref: TaskRef) -> timedelta | None:
        """Before completing a task: stop its running timer; how much was logged, if any."""
        current = await self.running(link)
        if current is None or current.task_id != ref.task_id:
            return None
        stopped = await self._stop(link, current, await self.stop_billable(link), None)
        return stopped.entry.duration or timedelta(0)

    async def stop_at(self, link: LinkInfo, tracker_id: int, end: datetime) -> TimeTrackerDto:
        """A forgotten timer: stop it and log a range from its start to `end` instead."""
        current = await self.running(link)
        if current is None or current.time_tracker_id != tracker_id:
            raise TimerAlreadyStopped(tracker_id, logging_range=True)
        assert current.start_time is not None  # a running timer always has a start
        if not current.start_time < end <= datetime.now(UTC):
            raise StopTimeOutOfRange()
        billable = await self.stop_billable(link)
        stopped = await self._stop(link, current, billable, None)
        client = self._client(link)
        await client.timers.delete(time_tracker_id=stopped.entry.time_tracker_id)
        return await client.timers.add_range(
            task_id=current.task_id or 0,
            project_id=current.project_id,
            body=TimerRequest(start_time=current.start_time, end_time=end, billable=billable),
        )

    # -- manual entries --

    async def log_duration(
        self,
        link: LinkInfo,
        ref: TaskRef,
        duration: timedelta,
        *,
        day: date | None,
        billable: bool,
        notes: str | None,
    ) -> TimeTrackerDto:
        """`duration` of work: ending now when `day` is today or None, else from 09:00 local."""
        zone = await self.zone_name(link)
        start = None
        if day is not None and day != datetime.now(resolve_zone(zone)).date():
            _check_not_future(day, zone)
            start = datetime.combine(day, MANUAL_DAY_START, tzinfo=resolve_zone(zone))
        minutes = int(duration.total_seconds()) // 60
        body = TimerRequest(
            hours=minutes // 60,
            minutes=minutes % 60,
            start_time=start,
            billable=billable,
            notes=notes or None,
        )
        return await self._client(link).timers.add_manual(
            task_id=ref.task_id, project_id=ref.project_id, body=body
        )

    async def log_range(
        self,
        link: LinkInfo,
        ref: TaskRef,
        start: time,
        end: time,
        *,
        day: date | None,
        billable: bool,
        notes: str | None,
    ) -> TimeTrackerDto:
        zone = await self.zone_name(link)
        local = resolve_zone(zone)
        day = day or datetime.now(local).date()
        _check_not_future(day, zone)
        body = TimerRequest(
            start_time=datetime.combine(day, start, tzinfo=local),
            end_time=datetime.combine(day, end, tzinfo=local),
            billable=billable,
            notes=notes or None,
        )
        return await self._client(link).timers.add_range(
            task_id=ref.task_id, project_id=ref.project_id, body=body
        )

    # -- entries --

    async def entries(self, link: LinkInfo, first: date, last: date) -> list[TimeTrackerDto]:
        """The user's own stopped entries whose start falls on [first, last] in their zone."""
        zone = await self.zone_name(link)
        since, _ = local_day_bounds(first, zone)
        _, until = local_day_bounds(last, zone)
        report = await self._client(link).timesheets.global_(
            start_date=since.date(), end_date=until.date()
        )
        return [
            e
            for e in report.entries
            if e.user_id == link.astravue_user_id
            and e.start_time is not None
            and since <= e.start_time < until
        ]

    async def entry(self, link: LinkInfo, entry_id: int, around: date) -> TimeTrackerDto:
        """One of the user's entries, looked up in the month around `around`."""
        for found in await self.entries(link, around - timedelta(days=31), around):
            if found.time_tracker_id == entry_id:
                return found
        raise TimeEntryNotFound(entry_id)

    async def on_task(self, link: LinkInfo, task_id: int) -> tuple[list[TimeTrackerDto], TaskTime]:
        """The user's own entries on a task, oldest first, and their time on it."""
        entries = await self._client(link).timers.list_for_task(
            task_id=task_id, user_id=link.astravue_user_id
        )
        entries.sort(key=lambda e: e.start_time or datetime.min.replace(tzinfo=UTC))
        zone = await self.zone_name(link)
        since, until = local_day_bounds(datetime.now(resolve_zone(zone)).date(), zone)
        return entries, time_on_task(entries, since, until)

    async def today_total(self, link: LinkInfo) -> timedelta:
        today = datetime.now(resolve_zone(await self.zone_name(link))).date()
        entries = await self.entries(link, today, today)
        return sum((e.duration or timedelta(0) for e in entries), timedelta(0))

    async def update_entry(
        self, link: LinkInfo, entry_id: int, changes: TimerChanges
    ) -> TimeTrackerDto:
        """Change these fields of one of the user's entries (notes None clears the note)."""
        zone = await self.zone_name(link)
        found = await self.entry(link, entry_id, datetime.now(resolve_zone(zone)).date())
        return await self._client(link).timers.change(
            task_id=found.task_id or 0, time_tracker_id=entry_id, changes=changes
        )

    async def delete_entry(self, link: LinkInfo, entry_id: int) -> None:
        await self._client(link).timers.delete(time_tracker_id=entry_id)

    # -- timesheets --

    async def find_project(self, link: LinkInfo, text: str) -> ProjectDto:
        """A project by id or name across the user's spaces, named as everywhere else
        (`name_matches`: an id, an exact name, else the one name containing the word)."""
        spaced = await self._projects(link)
        ids = name_matches(text, [(p.project_id, p.project_name) for _, p in spaced])
        found = [(space, p) for space, p in spaced if p.project_id in ids]
        if len(found) == 1:
            return found[0][1]
        if not found:
            raise UnknownProject(text)
        infos = [
            ProjectInfo(space.space_id, space.space_name, p.project_id, p.project_name)
            for space, p in found
        ]
        raise AmbiguousProject(text, choices(infos))

    async def project_names(self, link: LinkInfo) -> dict[int | None, str]:
        return {p.project_id: p.project_name for _, p in await self._projects(link)}

    async def _projects(self, link: LinkInfo) -> list[tuple[SpaceDto, ProjectDto]]:
        """(space, project) for every project in the user's spaces."""
        client = self._client(link)
        return [
            (space, project)
            for space in await client.spaces.list()
            async for project in client.projects.iter(space_id=space.space_id)
        ]


def _check_not_future(day: date, zone: str) -> None:
    if day > datetime.now(resolve_zone(zone)).date():
        raise DateInFuture(day)
