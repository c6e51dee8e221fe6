"""What `/astravue time` and `/astravue timesheet` show: the entries of a period in the user's
zone, and the names behind their ids.

Time entries carry task and member ids only. Titles come from one task list per project the
entries touch (plus the personal list), not from one call per entry; member names from the
timesheet's own groups, else the people directory (which a project's task list feeds).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from bot.astravue.models import ProjectDto, TaskDto, TimesheetReport, TimeTrackerDto
from bot.domain.tasks import task_ref, task_url
from bot.domain.time_views import EntryNames, Period, TaskName
from bot.parsing import local_day_bounds

if TYPE_CHECKING:
    from bot.domain.links import LinkInfo
    from bot.services.astravue_access import AstravueAccess
    from bot.services.projects import ProjectInfo
    from bot.services.tasks import TaskService
    from bot.services.timers import TimerService

YOU = "You"


@dataclass(frozen=True)
class Sheet:
    """A period's entries (whole local days), with the names for their ids."""

    period: Period
    entries: list[TimeTrackerDto]
    names: EntryNames
    project: ProjectDto | None = None  # None: everyone's time across projects


class TimeViews:
    def __init__(
        self, astravue: AstravueAccess, timers: TimerService, tasks: TaskService, *, app_url: str
    ) -> None:
        self.astravue = astravue
        self.timers = timers
        self.tasks = tasks
        self.app_url = app_url

    async def mine(self, link: LinkInfo, period: Period) -> tuple[list[TimeTrackerDto], EntryNames]:
        """The user's own entries in `period`, oldest first, and their tasks' names."""
        entries = await self.timers.entries(link, period.first, period.last)
        entries.sort(key=_start)
        return entries, EntryNames(tasks=await self._task_names(link, entries))

    async def on_task(
        self, link: LinkInfo, task: TaskDto
    ) -> tuple[list[TimeTrackerDto], EntryNames]:
        """The user's own entries on `task`, oldest first (its name is already known)."""
        entries, _ = await self.timers.on_task(link, task.task_id)
        return entries, EntryNames(tasks={task.task_id: self._name(task)})

    async def project_sheet(self, link: LinkInfo, project: ProjectDto, period: Period) -> Sheet:
        report = await self.astravue(link).timesheets.project(
            project_id=project.project_id, **_wide(period)
        )
        entries = await self._within(link, report, period)
        members = await self._members(link, report, entries, project)
        return Sheet(period, entries, EntryNames(members=members), project)

    async def global_sheet(self, link: LinkInfo, period: Period) -> Sheet:
        """Everyone's time the user may see, by project (Forbidden when their role may not)."""
        report = await self.astravue(link).timesheets.global_(group_by="project", **_wide(period))
        return Sheet(period, await self._within(link, report, period), EntryNames())

    async def _within(
        self, link: LinkInfo, report: TimesheetReport, period: Period
    ) -> list[TimeTrackerDto]:
        """The report's entries that start on the period's days in the user's zone."""
        zone = await self.timers.zone_name(link)
        since, _ = local_day_bounds(period.first, zone)
        _, until = local_day_bounds(period.last, zone)
        found = [e for e in report.entries if e.start_time and since <= e.start_time < until]
        return sorted(found, key=_start)

    async def _members(
        self,
        link: LinkInfo,
        report: TimesheetReport,
        entries: list[TimeTrackerDto],
        project: ProjectDto,
    ) -> dict[int, str]:
        """Names for the members in `entries`: the report's groups, else the directory; the
        project's task list is read once (it names owners and authors) if someone is missing."""
        names = {g.user_id: g.name for g in report.groups if g.user_id is not None and g.name}
        if link.astravue_user_id is not None:
            names[link.astravue_user_id] = YOU
        wanted = {e.user_id for e in entries if e.user_id is not None}
        if wanted - names.keys():
            info = next(
                (p for p in await self.tasks.catalogue(link) if p.project_id == project.project_id),
                None,
            )
            if info is not None:
                await self.tasks.project_tasks(link, info)
        for user_id in wanted - names.keys():
            person = self.tasks.people.by_id(link.org_id or 0, user_id)
            if person is not None:
                names[user_id] = person.name
        return names

    async def _task_names(
        self, link: LinkInfo, entries: list[TimeTrackerDto]
    ) -> dict[int, TaskName]:
        wanted = {e.task_id for e in entries if e.task_id is not None}
        if not wanted:
            return {}
        projects = {e.project_id for e in entries if e.task_id in wanted}
        found: list[TaskDto] = []
        if None in projects:
            found += await self.tasks.personal_tasks(link)
        if projects - {None}:
            for info in await self._catalogue(link, projects):
                found += await self.tasks.project_tasks(link, info)
        return {t.task_id: self._name(t) for t in found if t.task_id in wanted}

    async def _catalogue(self, link: LinkInfo, project_ids: set[int | None]) -> list[ProjectInfo]:
        return [p for p in await self.tasks.catalogue(link) if p.project_id in project_ids]

    def _name(self, task: TaskDto) -> TaskName:
        return TaskName(task.task_title, task_url(self.app_url, task_ref(task)))


def _start(entry: TimeTrackerDto) -> datetime:
    assert entry.start_time is not None  # entries without a start are filtered out before
    return entry.start_time


def _wide(period: Period) -> dict[str, date]:
    """Astravue filters by UTC date: a day more on each side covers every zone's local days."""
    return {
        "start_date": period.first - timedelta(days=1),
        "end_date": period.last + timedelta(days=1),
    }
