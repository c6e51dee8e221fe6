"""Task use cases: find, list, create, change and complete tasks as the acting user.

A bare task id does not say whether the task is personal or in a project (the two live under
different endpoints). `resolve` asks the personal endpoint first, then scans the user's
projects; locations found are kept in a small per-process cache, so the scan happens once.
"""

from __future__ import annotations

import re
import secrets
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bot.astravue.client import AstravueClient
from bot.astravue.errors import NotFound
from bot.astravue.models import (
    TaskCheckListDto,
    TaskCommentDto,
    TaskCreateRequest,
    TaskDto,
)
from bot.astravue.updates import TaskChanges
from bot.db.models import ChannelDefault
from bot.db.repositories import settings_for
from bot.db.session import session_scope
from bot.domain.calendar import day_to_wire, wire_to_day
from bot.domain.errors import (
    AmbiguousProject,
    AmbiguousTask,
    DraftExpired,
    NoProjectMatches,
    NoTaskMatches,
    TaskNotFound,
    TaskNotGiven,
    TitleMissing,
)
from bot.domain.links import LinkInfo
from bot.domain.tasks import (
    DONE_CATEGORY,
    Pick,
    TaskDraft,
    TaskRef,
    TaskTime,
    is_done,
    parse_task_locator,
    task_ref,
)
from bot.parsing import parse_capture, user_today
from bot.parsing.capture import PersonRef
from bot.services.container import ServiceContainer
from bot.services.people import PeopleDirectory, Person

DEFAULT_STATUSES = ("To Do", "In Progress", "In Review", "Done")
PRIORITIES = ("Low", "Medium", "High", "Critical")
WINDOWS = ("overdue", "today", "week")
LOCATION_CACHE = 5000
MAX_DRAFTS = 10
DRAFTS_KEY = "task_drafts"
PICK_CHOICES = 25


@dataclass(frozen=True)
class ProjectInfo:
    space_id: int
    space_name: str
    project_id: int
    project_name: str

    @property
    def label(self) -> str:
        return f"{self.space_name} / {self.project_name}"


@dataclass(frozen=True)
class TaskDetails:
    task: TaskDto
    subtasks: list[TaskDto]
    checklist: list[TaskCheckListDto]
    comments: list[TaskCommentDto]
    my_time: TaskTime | None = None


def _key(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


def name_matches(word: str, named: list[tuple[int, str]]) -> list[int]:
    """The ids `word` names among (id, name) pairs: a number is an id; then an exact name
    (ignoring case, spaces and dashes); else the names containing it."""
    word = word.strip().lstrip("#").strip('"')
    if word.isdecimal():
        return [i for i, _ in named if i == int(word)]
    wanted = _key(word)
    exact = [i for i, name in named if _key(name) == wanted]
    return exact or [i for i, name in named if wanted and wanted in _key(name)]


class TaskService:
    def __init__(self, services: ServiceContainer) -> None:
        self.services = services
        self.people = PeopleDirectory(services)
        self._locations: OrderedDict[tuple[int, int], TaskRef] = OrderedDict()
        self._statuses: dict[tuple[int, int | None], dict[str, str]] = {}

    @property
    def app_url(self) -> str:
        return self.services.runtime.settings.astravue_app_url

    def client(self, link: LinkInfo) -> AstravueClient:
        return self.services.astravue(link)

    async def tz(self, link: LinkInfo) -> str:
        return (await self.services.profiles.get(link.slack_user_id)).tz

    # -- what the user can see ----------------------------------------------------------

    async def catalogue(self, link: LinkInfo) -> list[ProjectInfo]:
        client = self.client(link)
        found: list[ProjectInfo] = []
        for space in await client.spaces.list():
            async for project in client.projects.iter(space_id=space.space_id, size=100):
                found.append(
                    ProjectInfo(
                        space.space_id, space.space_name, project.project_id, project.project_name
                    )
                )
        return found

    async def match_projects(self, link: LinkInfo, word: str) -> list[ProjectInfo]:
        projects = await self.catalogue(link)
        ids = name_matches(word, [(p.project_id, p.project_name) for p in projects])
        return [p for p in projects if p.project_id in ids]

    def _seen(self, link: LinkInfo, tasks: list[TaskDto]) -> list[TaskDto]:
        org = link.org_id or 0
        self.people.observe(org, tasks)
        for task in tasks:
            self._locations[(org, task.task_id)] = task_ref(task)
            self._locations.move_to_end((org, task.task_id))
            if task.status and task.status.status_name:
                names = self._statuses.setdefault((org, task.project_id), {})
                names[task.status.status_name] = (task.status.status_category or "").lower()
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
        """The status names seen on this project's tasks, else Astravue's defaults."""
        seen = self._statuses.get((link.org_id or 0, project_id))
        return list(seen) if seen else list(DEFAULT_STATUSES)

    def done_status(self, link: LinkInfo, project_id: int | None) -> str:
        seen = self._statuses.get((link.org_id or 0, project_id)) or {}
        return next((name for name, cat in seen.items() if cat == DONE_CATEGORY), "Done")

    # -- one task -----------------------------------------------------------------------

    async def get(self, link: LinkInfo, ref: TaskRef) -> TaskDto:
        client = self.client(link)
        if ref.personal:
            task = await client.tasks.get(task_id=ref.task_id)
        else:
            space_id, project_id = _in_project(ref)
            task = await client.project_tasks.get(
                space_id=space_id, project_id=project_id, task_id=ref.task_id
            )
        return self._seen(link, [task])[0]

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

    async def find(self, link: LinkInfo, text_or_id: str) -> tuple[TaskRef, TaskDto]:
        """A task by id, URL or (unambiguous) words of its title."""
        text = text_or_id.strip()
        if not text:
            raise TaskNotGiven()
        locator = parse_task_locator(text, self.app_url)
        if locator is not None:
            return await self.resolve(link, locator)
        matches = await self.search(link, text)
        exact = [t for t in matches if t.task_title.lower() == text.lower()]
        chosen = exact if len(exact) == 1 else matches
        if len(chosen) == 1:
            return task_ref(chosen[0]), chosen[0]
        if not chosen:
            raise NoTaskMatches(text)
        raise AmbiguousTask(text, [(t.task_id, t.task_title) for t in chosen])

    async def details(self, link: LinkInfo, ref: TaskRef) -> TaskDetails:
        client = self.client(link)
        task = await self.get(link, ref)
        if ref.personal:
            subtasks = await client.subtasks.list_personal(task_id=ref.task_id)
        else:
            space_id, project_id = _in_project(ref)
            subtasks = await client.subtasks.list_project(
                space_id=space_id, project_id=project_id, task_id=ref.task_id
            )
        self._seen(link, subtasks)  # so `task show <subtask id>` finds them
        if task.parent_task_id is None:
            checklist = await client.checklists.list_for_task(task_id=ref.task_id)
        else:
            checklist = await client.checklists.list_for_subtask(
                task_id=task.parent_task_id, subtask_id=ref.task_id
            )
        comments = await client.comments.list(task_id=ref.task_id, size=50)
        _, my_time = await self.services.timers.on_task(link, ref.task_id)
        return TaskDetails(task, subtasks, checklist, comments[-3:], my_time)

    async def update(self, link: LinkInfo, ref: TaskRef, changes: TaskChanges) -> TaskDto:
        """Change these fields only: the client reads the task and sends all of it."""
        client = self.client(link)
        if ref.personal:
            task = await client.tasks.change(task_id=ref.task_id, changes=changes)
        else:
            space_id, project_id = _in_project(ref)
            task = await client.project_tasks.change(
                space_id=space_id, project_id=project_id, task_id=ref.task_id, changes=changes
            )
        return self._seen(link, [task])[0]

    async def complete(self, link: LinkInfo, ref: TaskRef) -> tuple[TaskDto, timedelta | None]:
        """Set the status whose category is done (a status named Done if none is known).
        A timer running on the task is stopped first; returns the task and the time logged."""
        if (link.org_id or 0, ref.project_id) not in self._statuses:
            await self.get(link, ref)
        logged = await self.services.timers.stop_if_running_on(link, ref)
        changes: TaskChanges = {"status": self.done_status(link, ref.project_id), "completion": 100}
        return await self.update(link, ref, changes), logged

    async def assign(self, link: LinkInfo, ref: TaskRef, owner_ids: list[int]) -> TaskDto:
        return await self.update(link, ref, {"owners": owner_ids})

    async def set_due(self, link: LinkInfo, ref: TaskRef, day: date) -> TaskDto:
        return await self.update(link, ref, {"due_date": day_to_wire(day)})

    async def delete(self, link: LinkInfo, ref: TaskRef) -> None:
        client = self.client(link)
        if ref.personal:
            await client.tasks.delete(task_id=ref.task_id)
        else:
            space_id, project_id = _in_project(ref)
            await client.project_tasks.delete(
                space_id=space_id, project_id=project_id, task_id=ref.task_id
            )
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
            title += {"overdue": " (overdue)", "today": " (due today)", "week": " (due this week)"}[
                window
            ]
        return title, _by_due(tasks)

    async def one_project(self, link: LinkInfo, word: str) -> ProjectInfo:
        matches = await self.match_projects(link, word.lstrip("#").strip('"'))
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise NoProjectMatches(word)
        raise AmbiguousProject(word, [p.label for p in matches])

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

        `window` ("overdue", "today" or "week") keeps only those; "week" fills "upcoming" with
        the next seven days only.
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
            agenda["upcoming"] = groups["week"]
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

    async def draft_from_text(
        self, link: LinkInfo, text: str, *, personal: bool = False
    ) -> TaskDraft:
        """Quick capture: parse in the user's time zone, then place projects and people
        (`personal`: `#words` stay in the title)."""
        tz = await self.tz(link)
        parsed = parse_capture(text, today=user_today(tz, datetime.now(UTC)))
        draft = TaskDraft(
            title=parsed.title,
            description=parsed.description,
            due=parsed.due,
            start=parsed.start,
            priority=parsed.priority,
            tags=parsed.tags,
        )
        leftovers: list[str] = []
        for index, word in enumerate(parsed.project_refs):
            matches = await self.match_projects(link, word) if index == 0 and not personal else []
            if len(matches) == 1:
                draft.space_id, draft.project_id = matches[0].space_id, matches[0].project_id
                draft.project_name = matches[0].project_name
            elif matches:
                draft.picks.append(
                    Pick(
                        "project",
                        f"#{word}",
                        [(p.label, f"{p.space_id}:{p.project_id}") for p in matches[:PICK_CHOICES]],
                    )
                )
            else:
                leftovers.append(f"#{word}")
                if index == 0 and not personal:
                    draft.notes.append(
                        f"No project matches #{word}, so it stays in the title "
                        "and the task is personal."
                    )
        for ref in parsed.people_refs:
            await self._place_person(link, draft, ref, leftovers)
        if not parsed.people_refs and link.astravue_user_id is not None:
            draft.owners = [(link.astravue_user_id, link.name or "you")]
        draft.title = " ".join([draft.title, *leftovers]).strip()
        if not draft.title:
            raise TitleMissing()
        return draft

    async def _place_person(
        self, link: LinkInfo, draft: TaskDraft, ref: PersonRef, leftovers: list[str]
    ) -> None:
        org = link.org_id or 0
        if ref.kind == "me" and link.astravue_user_id is not None:
            draft.owners.append((link.astravue_user_id, link.name or "you"))
            return
        if ref.kind == "slack":
            person = await self.person_for_slack(link, ref.value)
            if person is None:
                draft.notes.append(
                    f"<@{ref.value}> can't be mapped to an Astravue user (no "
                    "connected account or matching email), so not assigned."
                )
            else:
                draft.owners.append((person.user_id, person.name))
            return
        if not self.people.known(org):
            await self.all_tasks(link)  # builds the directory from the tasks in view
        matches = self.people.by_name(org, ref.value)
        if len(matches) == 1:
            draft.owners.append((matches[0].user_id, matches[0].name))
        elif matches:
            draft.picks.append(
                Pick(
                    "person",
                    f"@{ref.value}",
                    [
                        (f"{p.name} ({p.email or p.user_id})", str(p.user_id))
                        for p in matches[:PICK_CHOICES]
                    ],
                )
            )
        else:
            leftovers.append(f"@{ref.value}")
            draft.notes.append(
                f"No Astravue user I know matches @{ref.value}; it stays in the title."
            )

    async def person_for_slack(self, link: LinkInfo, slack_user_id: str) -> Person | None:
        org = link.org_id or 0
        if not self.people.known(org):
            await self.all_tasks(link)
        return await self.people.astravue_user_for(link.team_id, slack_user_id, org)

    @staticmethod
    def apply_pick(draft: TaskDraft, index: int, value: str) -> None:
        """Take the user's answer to one of the preview's questions."""
        pick = draft.picks.pop(index)
        label = dict((v, lbl) for lbl, v in pick.choices).get(value, value)
        if pick.kind == "project":
            space, project = value.split(":")
            draft.space_id, draft.project_id = int(space), int(project)
            draft.project_name = label.split(" / ")[-1]
        else:
            draft.owners.append((int(value), label.split(" (")[0]))

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
        client = self.client(link)
        if draft.project_id is None:
            task = await client.tasks.create(body=body)
        else:
            space_id, project_id = _in_project(TaskRef(0, draft.space_id, draft.project_id))
            task = await client.project_tasks.create(
                space_id=space_id, project_id=project_id, body=body
            )
        return self._seen(link, [task])[0]

    # -- drafts and channel defaults ------------------------------------------------------

    async def save_draft(self, link: LinkInfo, draft: TaskDraft, token: str | None = None) -> str:
        """Keep a draft until the user confirms; only its author can find it again."""
        token = token or secrets.token_urlsafe(8)
        async with session_scope(self.services.runtime.sessions) as session:
            row = await settings_for(session, link.team_id, link.slack_user_id)
            drafts = dict((row.extra or {}).get(DRAFTS_KEY) or {})
            drafts.pop(token, None)
            drafts[token] = draft.to_json()
            while len(drafts) > MAX_DRAFTS:
                drafts.pop(next(iter(drafts)))
            row.extra = {**(row.extra or {}), DRAFTS_KEY: drafts}
        return token

    async def load_draft(self, link: LinkInfo, token: str) -> TaskDraft:
        async with self.services.runtime.sessions() as session:
            row = await settings_for(session, link.team_id, link.slack_user_id)
            raw = ((row.extra or {}).get(DRAFTS_KEY) or {}).get(token)
        if raw is None:
            raise DraftExpired()
        return TaskDraft.from_json(raw)

    async def drop_draft(self, link: LinkInfo, token: str) -> None:
        async with session_scope(self.services.runtime.sessions) as session:
            row = await settings_for(session, link.team_id, link.slack_user_id)
            drafts = dict((row.extra or {}).get(DRAFTS_KEY) or {})
            drafts.pop(token, None)
            row.extra = {**(row.extra or {}), DRAFTS_KEY: drafts}

    async def remember_channel_project(
        self, team_id: str, channel_id: str, space_id: int, project_id: int
    ) -> None:
        async with session_scope(self.services.runtime.sessions) as session:
            row = (
                await session.scalars(
                    select(ChannelDefault).where(
                        ChannelDefault.team_id == team_id, ChannelDefault.channel_id == channel_id
                    )
                )
            ).one_or_none()
            if row is None:
                row = ChannelDefault(team_id=team_id, channel_id=channel_id)
                session.add(row)
            row.space_id, row.project_id = space_id, project_id

    async def channel_project(self, team_id: str, channel_id: str) -> tuple[int, int] | None:
        async with self.services.runtime.sessions() as session:
            row = (
                await session.scalars(
                    select(ChannelDefault).where(
                        ChannelDefault.team_id == team_id, ChannelDefault.channel_id == channel_id
                    )
                )
            ).one_or_none()
        if row is None or row.space_id is None or row.project_id is None:
            return None
        return row.space_id, row.project_id


def _in_project(ref: TaskRef) -> tuple[int, int]:
    if ref.space_id is None or ref.project_id is None:
        raise ValueError(f"{ref!r} is not a project task")
    return ref.space_id, ref.project_id


def _by_due(tasks: list[TaskDto]) -> list[TaskDto]:
    return sorted(tasks, key=lambda t: (wire_to_day(t.due_date) or date.max, t.task_id))
