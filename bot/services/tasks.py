"""Task use cases: find, list, create, change and complete tasks as the acting user.

A bare task id does not say whether the task is personal or in a project (the two live under
different endpoints). `resolve` asks the personal endpoint first, then scans the user's
projects; locations found are kept in a small per-process cache, so the scan happens once.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from bot.astravue.client import AstravueClient
from bot.astravue.errors import NotFound
from bot.astravue.models import (
    TaskCheckListDto,
    TaskCommentDto,
    TaskCreateRequest,
    TaskDto,
)
from bot.astravue.updates import TaskChanges
from bot.domain.calendar import day_to_wire, wire_to_day
from bot.domain.errors import (
    AmbiguousTask,
    NoTaskMatches,
    TaskMatchedByWords,
    TaskNotFound,
    TaskNotGiven,
)
from bot.domain.links import LinkInfo
from bot.domain.task_lists import Completed
from bot.domain.tasks import (
    DONE_CATEGORY,
    TaskDraft,
    TaskRef,
    TaskTime,
    is_done,
    parse_task_locator,
    task_ref,
)
from bot.domain.workflow import SeenStatus, workflow_order
from bot.parsing import user_today
from bot.services.astravue_access import AstravueAccess
from bot.services.drafts import TaskDrafts
from bot.services.people import PeopleDirectory
from bot.services.projects import ProjectCatalogue, ProjectInfo
from bot.services.quick_capture import QuickCapture
from bot.services.task_calls import change_task, create_task, delete_task, get_task, list_subtasks
from bot.services.timers import TimerService
from bot.services.zones import UserZones

PRIORITIES = ("Low", "Medium", "High", "Critical")
WINDOWS = ("overdue", "today", "week")
LOCATION_CACHE = 5000


@dataclass(frozen=True)
class TaskDetails:
    task: TaskDto
    subtasks: list[TaskDto]
    checklist: list[TaskCheckListDto]
    comments: list[TaskCommentDto]
    my_time: TaskTime | None = None


class TaskService(QuickCapture):
    def __init__(
        self,
        astravue: AstravueAccess,
        zones: UserZones,
        people: PeopleDirectory,
        timers: TimerService,
        projects: ProjectCatalogue,
        drafts: TaskDrafts,
        *,
        app_url: str,
        on_task_written: Callable[[LinkInfo], None] = lambda link: None,
    ) -> None:
        self.astravue = astravue
        self.zones = zones
        self.people = people
        self.timers = timers
        self.projects = projects
        self.drafts = drafts
        self.app_url = app_url
        self.on_task_written = on_task_written  # e.g. what the App Home drew is now old
        self._locations: OrderedDict[tuple[int, int], TaskRef] = OrderedDict()
        self._statuses: dict[tuple[int, int | None], dict[str, SeenStatus]] = {}
        # Drafts and channel defaults, under the names the listeners use.
        self.save_draft = drafts.save_draft
        self.load_draft = drafts.load_draft
        self.drop_draft = drafts.drop_draft
        self.remember_channel_project = drafts.remember_channel_project
        self.channel_project = drafts.channel_project

    def client(self, link: LinkInfo) -> AstravueClient:
        return self.astravue(link)

    # -- what the user can see ----------------------------------------------------------

    async def catalogue(self, link: LinkInfo) -> list[ProjectInfo]:
        return await self.projects.catalogue(link)

    async def match_projects(self, link: LinkInfo, word: str) -> list[ProjectInfo]:
        return await self.projects.match_projects(link, word)

    def _seen(self, link: LinkInfo, tasks: list[TaskDto]) -> list[TaskDto]:
        org = link.org_id or 0
        self.people.observe(org, tasks)
        for task in tasks:
            self._locations[(org, task.task_id)] = task_ref(task)
            self._locations.move_to_end((org, task.task_id))
            if task.status and task.status.status_name:
                names = self._statuses.setdefault((org, task.project_id), {})
                names[task.status.status_name] = SeenStatus(
                    (task.status.status_category or "").lower(), task.status.task_status_id
                )
        while len(self._locations) > LOCATION_CACHE:
            self._locations.popitem(last=False)
        return tasks

    async def project_tasks(self, link: LinkInfo, project: ProjectInfo) -> list[TaskDto]:
        client = self.client(link)
        return self._seen(
            link,
            [
                t
                async for t in client.project_tasks.iter(
                    space_id=project.space_id, project_id=project.project_id, size=100
                )
            ],
        )

    async def personal_tasks(self, link: LinkInfo) -> list[TaskDto]:
        return self._seen(link, [t async for t in self.client(link).tasks.iter(size=100)])

    async def all_tasks(self, link: LinkInfo) -> list[TaskDto]:
        tasks = await self.personal_tasks(link)
        for project in await self.catalogue(link):
            tasks += await self.project_tasks(link, project)
        return tasks

    def statuses(self, link: LinkInfo, project_id: int | None) -> list[str]:
        """The status names seen on this project's tasks in workflow order, else Astravue's
        defaults."""
        return workflow_order(self._statuses.get((link.org_id or 0, project_id)) or {})

    def done_status(self, link: LinkInfo, project_id: int | None) -> str:
        seen = self._statuses.get((link.org_id or 0, project_id)) or {}
        return next((name for name, s in seen.items() if s.category == DONE_CATEGORY), "Done")

    # -- one task -----------------------------------------------------------------------

    async def get(self, link: LinkInfo, ref: TaskRef) -> TaskDto:
        return self._seen(link, [await get_task(self.client(link), ref)])[0]

    async def resolve(self, link: LinkInfo, locator: TaskRef | int) -> tuple[TaskRef, TaskDto]:
        if isinstance(locator, TaskRef):
            return locator, await self.get(link, locator)
        cached = self._locations.get((link.org_id or 0, locator))
        if cached is not None:
            return cached, await self.get(link, cached)
        try:
            task = await self.get(link, TaskRef(locator))
            return task_ref(task), task
        except NotFound:
            pass
        for task in await self.all_tasks(link):
            if task.task_id == locator:
                return task_ref(task), task
        raise TaskNotFound(locator)

    async def find(
        self, link: LinkInfo, text_or_id: str, *, write: bool = False
    ) -> tuple[TaskRef, TaskDto]:
        """A task by id, URL or (unambiguous) words of its title. For a `write`, words that
        are not the exact title raise TaskMatchedByWords, so the user confirms first."""
        text = text_or_id.strip()
        if not text:
            raise TaskNotGiven()
        locator = parse_task_locator(text, self.app_url)
        if locator is not None:
            return await self.resolve(link, locator)
        matches = await self.search(link, text)
        exact = [t for t in matches if t.task_title.lower() == text.lower()]
        chosen = exact if len(exact) == 1 else matches
        if len(chosen) == 1 and write and chosen is not exact:
            raise TaskMatchedByWords(text, [(chosen[0].task_id, chosen[0].task_title)])
        if len(chosen) == 1:
            return task_ref(chosen[0]), chosen[0]
        if not chosen:
            raise NoTaskMatches(text)
        raise AmbiguousTask(text, [(t.task_id, t.task_title) for t in chosen])

    async def details(self, link: LinkInfo, ref: TaskRef) -> TaskDetails:
        client = self.client(link)
        task = await self.get(link, ref)
        subtasks = await list_subtasks(client, ref)
        self._seen(link, subtasks)  # so `task show <subtask id>` finds them
        if task.parent_task_id is None:
            checklist = await client.checklists.list_for_task(task_id=ref.task_id)
        else:
            checklist = await client.checklists.list_for_subtask(
                task_id=task.parent_task_id, subtask_id=ref.task_id
            )
        comments = await client.comments.list(task_id=ref.task_id, size=50)
        _, my_time = await self.timers.on_task(link, ref.task_id)
        return TaskDetails(task, subtasks, checklist, comments[-3:], my_time)

    async def update(self, link: LinkInfo, ref: TaskRef, changes: TaskChanges) -> TaskDto:
        """Change these fields only: the client reads the task and sends all of it."""
        task = await change_task(self.client(link), ref, changes)
        self.on_task_written(link)
        return self._seen(link, [task])[0]

    async def complete(self, link: LinkInfo, ref: TaskRef) -> tuple[TaskDto, timedelta | None]:
        """Set the status whose category is done (a status named Done if none is known).
        A timer running on the task is stopped first; returns the task and the time logged."""
        if (link.org_id or 0, ref.project_id) not in self._statuses:
            await self.get(link, ref)
        logged = await self.timers.stop_if_running_on(link, ref)
        changes: TaskChanges = {"status": self.done_status(link, ref.project_id), "completion": 100}
        return await self.update(link, ref, changes), logged

    async def complete_undoably(self, link: LinkInfo, ref: TaskRef) -> Completed:
        """Complete, remembering the status and completion before, for Undo."""
        before = await self.get(link, ref)
        task, logged = await self.complete(link, ref)
        return Completed(task, logged, before.status_name, before.completion)

    async def reopen(self, link: LinkInfo, ref: TaskRef, status: str, completion: int) -> TaskDto:
        """Undo a completion: the status and completion the task had before."""
        return await self.update(link, ref, {"status": status, "completion": completion})

    async def assign(self, link: LinkInfo, ref: TaskRef, owner_ids: list[int]) -> TaskDto:
        return await self.update(link, ref, {"owners": owner_ids})

    async def set_due(self, link: LinkInfo, ref: TaskRef, day: date) -> TaskDto:
        return await self.update(link, ref, {"due_date": day_to_wire(day)})

    async def delete(self, link: LinkInfo, ref: TaskRef) -> None:
        await delete_task(self.client(link), ref)
        self.on_task_written(link)
        self._locations.pop((link.org_id or 0, ref.task_id), None)

    # -- lists --------------------------------------------------------------------------

    async def search(self, link: LinkInfo, text: str) -> list[TaskDto]:
        words = text.lower().split()
        return [
            t
            for t in await self.all_tasks(link)
            if all(w in f"{t.task_title} {t.description or ''}".lower() for w in words)
        ]

    async def list_tasks(
        self, link: LinkInfo, scope: str | None, window: str | None
    ) -> tuple[str, list[TaskDto]]:
        """Open tasks: yours (default), personal ones, or one project's; with a due window."""
        if scope == "personal":
            title, tasks = "Personal tasks", await self.personal_tasks(link)
        elif scope:
            project = await self.one_project(link, scope)
            title, tasks = (
                f"Tasks in {project.project_name}",
                await self.project_tasks(link, project),
            )
        else:
            title, tasks = "Your tasks", self._mine(link, await self.all_tasks(link))
        tasks = [t for t in tasks if not is_done(t)]
        if window:
            tasks = await self._in_window(link, tasks, window)
            title += {
                "overdue": " (overdue)",
                "today": " (due today)",
                "week": " (due in the next 7 days)",
            }[window]
        return title, _by_due(tasks)

    async def one_project(self, link: LinkInfo, word: str) -> ProjectInfo:
        return await self.projects.one_project(link, word)

    def _mine(self, link: LinkInfo, tasks: list[TaskDto]) -> list[TaskDto]:
        me = link.astravue_user_id
        return [
            t
            for t in tasks
            if me in {o.user_id for o in t.owners} or (t.project_id is None and not t.owners)
        ]

    async def _in_window(self, link: LinkInfo, tasks: list[TaskDto], window: str) -> list[TaskDto]:
        groups = self._group(tasks, await self.tz(link))
        if window == "week":
            return groups["overdue"] + groups["today"] + groups["week"]
        return groups[window]

    @staticmethod
    def _group(tasks: list[TaskDto], tz: str) -> dict[str, list[TaskDto]]:
        today = user_today(tz, datetime.now(UTC))  # the user's date; due dates are dates
        week_end = today + timedelta(days=7)
        groups: dict[str, list[TaskDto]] = {"overdue": [], "today": [], "week": [], "upcoming": []}
        for task in _by_due(tasks):
            due = wire_to_day(task.due_date)
            if due is None:
                continue
            key = (
                "overdue"
                if due < today
                else "today"
                if due == today
                else "week"
                if due <= week_end
                else "upcoming"
            )
            groups[key].append(task)
        return groups

    async def my_tasks(self, link: LinkInfo, window: str | None = None) -> dict[str, list[TaskDto]]:
        """The agenda: your open tasks by due date, as {"overdue", "today", "upcoming"}.

        `window` ("overdue", "today" or "week") keeps only those; "week" gives the next seven
        days as "week" instead of "upcoming".
        """
        mine = [t for t in self._mine(link, await self.all_tasks(link)) if not is_done(t)]
        groups = self._group(mine, await self.tz(link))
        agenda = {
            "overdue": groups["overdue"],
            "today": groups["today"],
            "upcoming": groups["week"] + groups["upcoming"],
        }
        if window in ("overdue", "today"):
            return {key: agenda[key] if key == window else [] for key in agenda}
        if window == "week":
            del agenda["upcoming"]
            agenda["week"] = groups["week"]
        return agenda

    async def recent_and_assigned(self, link: LinkInfo, query: str = "") -> list[TaskDto]:
        """Your open tasks matching `query`, most recently changed first (the timer picker)."""
        words = query.lower().split()
        mine = [
            t
            for t in self._mine(link, await self.all_tasks(link))
            if not is_done(t) and all(w in t.task_title.lower() for w in words)
        ]
        epoch = datetime.min.replace(tzinfo=UTC)
        return sorted(mine, key=lambda t: t.update_time or t.create_time or epoch, reverse=True)

    # -- creating -----------------------------------------------------------------------

    async def create(self, link: LinkInfo, draft: TaskDraft) -> TaskDto:
        description = draft.description
        if draft.permalink:
            description = f"{description or ''}\n\nFrom Slack: {draft.permalink}".strip()
        body = TaskCreateRequest(
            task_title=draft.title[:500],
            description=description,
            owners=list(dict.fromkeys(i for i, _ in draft.owners)) or None,
            start_date=day_to_wire(draft.start) if draft.start else None,
            due_date=day_to_wire(draft.due) if draft.due else None,
            priority=draft.priority,
            status=draft.status,
            tags=draft.tags or None,
        )
        task = await create_task(self.client(link), body, draft.space_id, draft.project_id)
        self.on_task_written(link)
        return self._seen(link, [task])[0]


def _by_due(tasks: list[TaskDto]) -> list[TaskDto]:
    return sorted(tasks, key=lambda t: (wire_to_day(t.due_date) or date.max, t.task_id))
