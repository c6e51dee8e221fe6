"""Names for the ids in time entries: one task list per project the entries touch (not one
call per entry), and member names from the sheet's groups, else the people directory."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from bot.astravue.models import TaskDto, TimesheetGroup, TimesheetReport, TimeTrackerDto
from bot.domain.time_views import Period
from bot.services.people import Person
from bot.services.projects import ProjectInfo
from bot.services.time_views import TimeViews
from tests.unit.services.fakes import LINK

APP = "https://app.test"
MONDAY = datetime(2026, 11, 30, 9, tzinfo=UTC)
WEEK = Period.containing("week", MONDAY.date())
WEBSITE, MOBILE = ProjectInfo(1, "Acme", 10, "Website"), ProjectInfo(1, "Acme", 20, "Mobile")


def entry(i: int, task: int, project: int | None, user: int = 7) -> TimeTrackerDto:
    return TimeTrackerDto(
        time_tracker_id=i,
        task_id=task,
        project_id=project,
        user_id=user,
        start_time=MONDAY + timedelta(hours=i),
        duration_ms=600_000,
    )


def task(task_id: int, title: str, project: ProjectInfo | None) -> TaskDto:
    return TaskDto(
        task_id=task_id,
        task_title=title,
        space_id=project.space_id if project else None,
        project_id=project.project_id if project else None,
    )


class FakeTasks:
    """The task lists the views may read, counting each read."""

    def __init__(self, directory: dict[int, str] | None = None) -> None:
        self.reads: Counter[str] = Counter()
        self.directory = directory or {}
        self.people = SimpleNamespace(by_id=self._person)
        self.lists = {
            "personal": [task(1, "Renew passport", None)],
            "Website": [task(2, "Pricing copy", WEBSITE), task(3, "Login loop", WEBSITE)],
            "Mobile": [task(4, "Push opt-in", MOBILE)],
        }
        self.seen: dict[int, str] = {}

    def _person(self, org: int, user_id: int) -> Person | None:
        name = self.seen.get(user_id)
        return Person(user_id, name, None) if name else None

    async def catalogue(self, link: Any) -> list[ProjectInfo]:
        self.reads["catalogue"] += 1
        return [WEBSITE, MOBILE]

    async def personal_tasks(self, link: Any) -> list[TaskDto]:
        self.reads["personal"] += 1
        return self.lists["personal"]

    async def project_tasks(self, link: Any, project: ProjectInfo) -> list[TaskDto]:
        self.reads[project.project_name] += 1
        self.seen.update(self.directory)  # a task list names its owners and authors
        return self.lists[project.project_name]


class FakeTimers:
    def __init__(self, entries: list[TimeTrackerDto]) -> None:
        self.found = entries

    async def entries(self, link: Any, first: date, last: date) -> list[TimeTrackerDto]:
        return list(self.found)

    async def zone_name(self, link: Any) -> str:
        return "Europe/Madrid"


def views(tasks: FakeTasks, timers: FakeTimers, report: TimesheetReport | None = None) -> TimeViews:
    async def project(**_: Any) -> TimesheetReport:
        return report or TimesheetReport()

    client = SimpleNamespace(timesheets=SimpleNamespace(project=project))
    return TimeViews(lambda link: client, timers, tasks, app_url=APP)  # type: ignore[arg-type]


async def test_titles_come_from_one_list_per_project_not_one_call_per_entry() -> None:
    entries = [entry(i, 2 + i % 2, 10) for i in range(8)] + [entry(9, 1, None), entry(10, 99, 10)]
    tasks = FakeTasks()
    found, names = await views(tasks, FakeTimers(entries)).mine(LINK, WEEK)
    assert tasks.reads == Counter({"catalogue": 1, "Website": 1, "personal": 1})  # not Mobile
    assert names.tasks[2].title == "Pricing copy"
    assert names.tasks[2].url == f"{APP}/spaces/1/projects/10/tasks/2"
    assert names.tasks[1].url == f"{APP}/tasks/1"
    assert 99 not in names.tasks  # deleted since: shown by id
    assert len(found) == 10


async def test_members_are_named_by_the_sheet_then_the_directory() -> None:
    entries = [entry(1, 2, 10, user=7), entry(2, 3, 10, user=8), entry(3, 3, 10, user=9)]
    report = TimesheetReport(entries=entries, groups=[TimesheetGroup(user_id=8, name="Dev Patel")])
    tasks = FakeTasks(directory={9: "Sam Kim"})
    project = SimpleNamespace(project_id=10, project_name="Website")
    sheet = await views(tasks, FakeTimers([]), report).project_sheet(LINK, project, WEEK)  # type: ignore[arg-type]
    assert sheet.names.members == {7: "You", 8: "Dev Patel", 9: "Sam Kim"}
    assert tasks.reads["Website"] == 1  # read once, only because Sam was not known


async def test_a_sheet_keeps_the_entries_of_the_user_s_local_days() -> None:
    sunday_night = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)  # Monday 00:30 in Madrid
    saturday_night = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)  # next Monday in Madrid
    inside, outside = entry(1, 2, 10), entry(2, 2, 10)
    inside.start_time, outside.start_time = sunday_night, saturday_night
    report = TimesheetReport(entries=[outside, inside])
    project = SimpleNamespace(project_id=10, project_name="Website")
    sheet = await views(FakeTasks(), FakeTimers([]), report).project_sheet(LINK, project, WEEK)  # type: ignore[arg-type]
    assert [e.time_tracker_id for e in sheet.entries] == [1]
