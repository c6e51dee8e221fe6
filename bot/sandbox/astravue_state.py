"""The in-memory Astravue world behind the sandbox API.

Holds organisations, users, spaces, projects (with their statuses and priorities), tasks,
comments, checklist items, time entries and notifications, and enforces the product rules the
real service enforces (roles, one running timer per user, organisation scoping). Every change
that would notify someone in Astravue notifies them here too, so the bot's poller sees real
traffic. The HTTP layer (`astravue_api`) only parses requests and renders DTOs; tests and the
demo call these methods directly.

Mention rule: `@token` in a description or comment mentions the user of the same organisation
whose full email, email local part or first name equals the token (case-insensitive), e.g.
`@maria`, `@Maria` or `@maria@acme.test`. An `@` glued to a word (an email address in running
text) is not a mention.
"""

from __future__ import annotations

import itertools
import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from typing import Final

ADMIN_ROLES: Final = frozenset({"Account Admin", "Admin"})
ROLE_IDS: Final = {"Account Admin": 1, "Admin": 2, "Member": 3, "Guest": 4}
# (name, statusCategory, colour) in board order; every project and each org's personal tasks
# get their own copy, as statuses are customisable per project in Astravue.
STATUS_TEMPLATE: Final = (
    ("To Do", "todo", "#9E9E9E"),
    ("In Progress", "in_progress", "#2196F3"),
    ("In Review", "in_progress", "#FF9800"),
    ("Done", "done", "#4CAF50"),
)
PRIORITY_TEMPLATE: Final = (
    ("Low", "#8BC34A"),
    ("Medium", "#FFC107"),
    ("High", "#FF5722"),
    ("Critical", "#D50000"),
)
DEFAULT_PRIORITY: Final = "Medium"
DEFAULT_SPACE_COLOR: Final = "#3F51B5"
DEFAULT_PROJECT_STATUS: Final = "Active"
DEFAULT_HEALTH: Final = "On Track"

ASSIGNMENT: Final = "assignment"
MENTION: Final = "mention"
STATUS_CHANGE: Final = "status_change"

TIMER: Final = "TIMER"
RANGE: Final = "RANGE"
MANUAL: Final = "MANUAL"

_MENTION_TOKEN = re.compile(r"(?<![\w.@])@([\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)")


def utc_now() -> datetime:
    # Looked up at every call so time-machine can move it.
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """ISO-8601 in UTC with a `Z`, milliseconds only when there are some."""
    moment = moment.astimezone(UTC)
    spec = "milliseconds" if moment.microsecond else "seconds"
    return moment.replace(tzinfo=None).isoformat(timespec=spec) + "Z"


def millis(span: timedelta) -> int:
    return int(span.total_seconds() * 1000)


class _Unset(Enum):
    UNSET = "UNSET"


UNSET: Final = _Unset.UNSET
"""Marks a keyword argument of an update as "not given" (None may mean "clear it")."""


# ---- errors -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str
    rejected_value: object = None


class SandboxError(Exception):
    """A failure the API reports with `status` and the ApiError body."""

    status = 500

    def __init__(self, message: str, errors: Sequence[FieldError] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.errors = list(errors)


class BadRequest(SandboxError):
    status = 400


class Unauthorized(SandboxError):
    status = 401


class Forbidden(SandboxError):
    status = 403


class NotFound(SandboxError):
    status = 404


class Conflict(SandboxError):
    status = 409


def invalid(field_name: str, message: str, rejected: object = None) -> BadRequest:
    return BadRequest(
        f"Validation failed: {field_name} {message}", [FieldError(field_name, message, rejected)]
    )


# ---- entities -----------------------------------------------------------------------------


@dataclass
class Org:
    org_id: int
    name: str


@dataclass
class User:
    user_id: int
    org_id: int
    first_name: str
    last_name: str
    email: str
    role: str
    created_at: datetime

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def handle(self) -> str:
        return self.email.split("@", 1)[0]

    @property
    def is_admin(self) -> bool:
        return self.role in ADMIN_ROLES

    @property
    def is_guest(self) -> bool:
        return self.role == "Guest"


@dataclass
class Status:
    status_id: int
    org_id: int
    name: str
    category: str
    color: str
    position: int
    project_id: int | None
    space_id: int | None
    created_by: int | None  # None for the organisation's built-in personal-task set


@dataclass
class Priority:
    priority_id: int
    org_id: int
    label: str
    color: str
    position: int
    is_default: bool
    project_id: int | None
    created_by: int | None


@dataclass
class Space:
    space_id: int
    org_id: int
    name: str
    description: str
    color: str
    created_by: int
    created_at: datetime
    updated_at: datetime


@dataclass
class Project:
    project_id: int
    org_id: int
    space_id: int
    name: str
    description: str
    status: str
    priority: str
    health: str
    start_date: datetime | None
    end_date: datetime | None
    budget: float | None
    created_by: int
    created_at: datetime
    updated_at: datetime


@dataclass
class Task:
    task_id: int
    org_id: int
    title: str
    description: str
    mentioned_ids: list[int]
    owner_ids: list[int]
    status_id: int
    priority_id: int
    start_date: datetime | None
    due_date: datetime | None
    completion: int
    tags: list[str]
    project_id: int | None
    space_id: int | None
    parent_id: int | None
    created_by: int
    modified_by: int
    created_at: datetime
    updated_at: datetime

    @property
    def is_personal(self) -> bool:
        return self.project_id is None


@dataclass
class Comment:
    comment_id: int
    task_id: int
    text: str
    mentioned_ids: list[int]
    parent_comment_id: int | None
    created_by: int
    created_at: datetime
    updated_at: datetime


@dataclass
class ChecklistItem:
    checklist_id: int
    task_id: int
    title: str
    completed: bool
    position: int
    created_by: int
    created_at: datetime


@dataclass
class TimeEntry:
    entry_id: int
    org_id: int
    user_id: int
    task_id: int
    project_id: int | None
    start: datetime
    end: datetime | None
    billable: bool
    notes: str | None
    entry_type: str

    @property
    def running(self) -> bool:
        return self.end is None

    def duration_ms(self, now: datetime) -> int:
        """Logged time; for a running timer, the time elapsed until `now`."""
        return millis((self.end or now) - self.start)

    @property
    def logged_ms(self) -> int:
        """Time of a stopped entry (0 while it runs)."""
        return millis(self.end - self.start) if self.end else 0


@dataclass
class Notification:
    notification_id: int
    org_id: int
    user_id: int
    type: str
    message: str
    actor_id: int
    read: bool
    created_at: datetime
    task_id: int | None = None
    project_id: int | None = None
    space_id: int | None = None
    comment_id: int | None = None


@dataclass
class TimesheetGroup:
    key: int | None  # user id (member) or project id (project; None = personal tasks)
    name: str
    entries: list[TimeEntry] = field(default_factory=list)

    @property
    def total_ms(self) -> int:
        return sum(entry.logged_ms for entry in self.entries)

    @property
    def billable_ms(self) -> int:
        return sum(entry.logged_ms for entry in self.entries if entry.billable)


@dataclass
class Timesheet:
    """Stopped entries in a window, grouped by member or by project."""

    group_by: str
    groups: list[TimesheetGroup]

    @property
    def entries(self) -> list[TimeEntry]:
        return sorted((e for g in self.groups for e in g.entries), key=lambda e: e.start)

    @property
    def total_ms(self) -> int:
        return sum(group.total_ms for group in self.groups)

    @property
    def billable_ms(self) -> int:
        return sum(group.billable_ms for group in self.groups)


# ---- the world ----------------------------------------------------------------------------


class AstravueState:
    """Everything the fake Astravue knows. Ids grow monotonically per kind of record."""

    def __init__(
        self, clock: Callable[[], datetime] | None = None, *, put_replaces: bool = False
    ) -> None:
        self.clock: Callable[[], datetime] = clock or utc_now
        # How the HTTP API reads a PUT: False patches the fields the body holds; True
        # replaces the whole object, so a field missing from the body is cleared or reset to
        # its default, as a full-replace REST API would.
        self.put_replaces = put_replaces
        self.orgs: dict[int, Org] = {}
        self.users: dict[int, User] = {}
        self.spaces: dict[int, Space] = {}
        self.projects: dict[int, Project] = {}
        self.statuses: dict[int, Status] = {}
        self.priorities: dict[int, Priority] = {}
        self.tasks: dict[int, Task] = {}
        self.comments: dict[int, Comment] = {}
        self.checklist_items: dict[int, ChecklistItem] = {}
        self.entries: dict[int, TimeEntry] = {}
        self.notifications: dict[int, Notification] = {}
        # (method, path, X-Org-Id header as sent) of every API request, for tests.
        self.requests: list[tuple[str, str, str | None]] = []
        self._counters: defaultdict[str, Iterator[int]] = defaultdict(lambda: itertools.count(1))

    def now(self) -> datetime:
        return self.clock()

    def _next_id(self, kind: str) -> int:
        return next(self._counters[kind])

    # -- organisations and users --

    def add_org(self, org_id: int, name: str) -> Org:
        self.orgs[org_id] = Org(org_id, name)
        self._add_status_set(org_id, project_id=None, space_id=None, created_by=None)
        return self.orgs[org_id]

    def add_user(
        self, user_id: int, org_id: int, first_name: str, last_name: str, email: str, role: str
    ) -> User:
        if org_id not in self.orgs or role not in ROLE_IDS:
            raise ValueError(f"unknown org {org_id} or role {role!r}")
        user = User(user_id, org_id, first_name, last_name, email, role, self.now())
        self.users[user_id] = user
        return user

    def user(self, user_id: int) -> User:
        try:
            return self.users[user_id]
        except KeyError:
            raise NotFound(f"User {user_id} not found") from None

    def org_users(self, org_id: int) -> list[User]:
        return [u for u in self.users.values() if u.org_id == org_id]

    def _org_user(self, org_id: int, user_id: int, field_name: str) -> User:
        user = self.users.get(user_id)
        if user is None or user.org_id != org_id:
            raise invalid(field_name, f"unknown user id {user_id}", user_id)
        return user

    def mentioned_user_ids(self, org_id: int, text: str) -> list[int]:
        """Users of the org mentioned in `text`, in order of first mention."""
        found: list[int] = []
        for raw in _MENTION_TOKEN.findall(text):
            token = raw.rstrip(".").lower()
            for user in self.org_users(org_id):
                names = {user.email.lower(), user.handle.lower(), user.first_name.lower()}
                if token in names and user.user_id not in found:
                    found.append(user.user_id)
        return found

    # -- statuses and priorities --

    def _add_status_set(
        self, org_id: int, *, project_id: int | None, space_id: int | None, created_by: int | None
    ) -> None:
        for position, (name, category, color) in enumerate(STATUS_TEMPLATE):
            status_id = self._next_id("status")
            self.statuses[status_id] = Status(
                status_id, org_id, name, category, color, position, project_id, space_id, created_by
            )
        for position, (label, color) in enumerate(PRIORITY_TEMPLATE):
            priority_id = self._next_id("priority")
            self.priorities[priority_id] = Priority(
                priority_id,
                org_id,
                label,
                color,
                position,
                label == DEFAULT_PRIORITY,
                project_id,
                created_by,
            )

    def statuses_for(self, org_id: int, project_id: int | None) -> list[Status]:
        found = [
            s for s in self.statuses.values() if s.org_id == org_id and s.project_id == project_id
        ]
        return sorted(found, key=lambda s: s.position)

    def priorities_for(self, org_id: int, project_id: int | None) -> list[Priority]:
        found = [
            p for p in self.priorities.values() if p.org_id == org_id and p.project_id == project_id
        ]
        return sorted(found, key=lambda p: p.position)

    def status_named(self, org_id: int, project_id: int | None, name: str) -> Status:
        statuses = self.statuses_for(org_id, project_id)
        for status in statuses:
            if status.name.lower() == name.strip().lower():
                return status
        known = ", ".join(s.name for s in statuses)
        raise invalid("status", f"unknown status '{name}' (known: {known})", name)

    def priority_labelled(self, org_id: int, project_id: int | None, label: str) -> Priority:
        priorities = self.priorities_for(org_id, project_id)
        for priority in priorities:
            if priority.label.lower() == label.strip().lower():
                return priority
        known = ", ".join(p.label for p in priorities)
        raise invalid("priority", f"unknown priority '{label}' (known: {known})", label)

    # -- spaces --

    def spaces_of(self, actor_id: int) -> list[Space]:
        org_id = self.user(actor_id).org_id
        return [s for s in self.spaces.values() if s.org_id == org_id]

    def space(self, actor_id: int, space_id: int) -> Space:
        space = self.spaces.get(space_id)
        if space is None or space.org_id != self.user(actor_id).org_id:
            raise NotFound(f"Space {space_id} not found")
        return space

    def _require_admin(self, actor: User, action: str) -> None:
        if not actor.is_admin:
            raise Forbidden(f"Only organisation admins can {action} (your role: {actor.role})")

    def create_space(
        self, actor_id: int, name: str, *, description: str = "", color: str = DEFAULT_SPACE_COLOR
    ) -> Space:
        actor = self.user(actor_id)
        self._require_admin(actor, "create spaces")
        now = self.now()
        space_id = self._next_id("space")
        self.spaces[space_id] = Space(
            space_id, actor.org_id, name, description, color, actor_id, now, now
        )
        return self.spaces[space_id]

    def update_space(
        self,
        actor_id: int,
        space_id: int,
        name: str,
        *,
        description: str | _Unset | None = UNSET,
        color: str | _Unset = UNSET,
    ) -> Space:
        """Change the given fields (None clears the description)."""
        space = self.space(actor_id, space_id)
        self._require_admin(self.user(actor_id), "update spaces")
        space.name = name
        if description is not UNSET:
            space.description = description or ""
        if color is not UNSET:
            space.color = color
        space.updated_at = self.now()
        return space

    def delete_space(self, actor_id: int, space_id: int) -> None:
        self.space(actor_id, space_id)
        self._require_admin(self.user(actor_id), "delete spaces")
        for project in [p for p in self.projects.values() if p.space_id == space_id]:
            self._remove_project(project)
        del self.spaces[space_id]

    # -- projects --

    def projects_in(self, actor_id: int, space_id: int) -> list[Project]:
        self.space(actor_id, space_id)
        return [p for p in self.projects.values() if p.space_id == space_id]

    def project(self, actor_id: int, project_id: int, space_id: int | None = None) -> Project:
        project = self.projects.get(project_id)
        if (
            project is None
            or project.org_id != self.user(actor_id).org_id
            or (space_id is not None and project.space_id != space_id)
        ):
            where = f" in space {space_id}" if space_id is not None else ""
            raise NotFound(f"Project {project_id} not found{where}")
        return project

    def _require_project_admin(
        self, actor: User, space: Space, project: Project | None, action: str
    ) -> None:
        # Org admins, the space's creator (Space Admin) and the project's creator
        # (Project Admin) manage projects; memberships are not modelled beyond that.
        if actor.is_admin or actor.user_id == space.created_by:
            return
        if project is not None and actor.user_id == project.created_by:
            return
        raise Forbidden(f"Only admins of this space or project can {action}")

    def create_project(
        self,
        actor_id: int,
        space_id: int,
        name: str,
        *,
        description: str = "",
        status: str = DEFAULT_PROJECT_STATUS,
        priority: str = DEFAULT_PRIORITY,
        health: str = DEFAULT_HEALTH,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        budget: float | None = None,
    ) -> Project:
        actor = self.user(actor_id)
        space = self.space(actor_id, space_id)
        self._require_project_admin(actor, space, None, "create projects")
        _check_order(start_date, end_date, "endDate", "startDate")
        now = self.now()
        project_id = self._next_id("project")
        self.projects[project_id] = Project(
            project_id,
            actor.org_id,
            space_id,
            name,
            description,
            status,
            priority,
            health,
            start_date,
            end_date,
            budget,
            actor_id,
            now,
            now,
        )
        self._add_status_set(
            actor.org_id, project_id=project_id, space_id=space_id, created_by=actor_id
        )
        return self.projects[project_id]

    def update_project(
        self,
        actor_id: int,
        space_id: int,
        project_id: int,
        name: str,
        *,
        description: str | _Unset | None = UNSET,
        status: str | _Unset = UNSET,
        priority: str | _Unset = UNSET,
        health: str | _Unset = UNSET,
        start_date: datetime | _Unset | None = UNSET,
        end_date: datetime | _Unset | None = UNSET,
        budget: float | _Unset | None = UNSET,
    ) -> Project:
        """Change the given fields (None clears the description, the dates and the budget)."""
        project = self.project(actor_id, project_id, space_id)
        self._require_project_admin(
            self.user(actor_id), self.spaces[space_id], project, "update projects"
        )
        start = project.start_date if start_date is UNSET else start_date
        end = project.end_date if end_date is UNSET else end_date
        _check_order(start, end, "endDate", "startDate")
        project.name = name
        project.start_date, project.end_date = start, end
        if description is not UNSET:
            project.description = description or ""
        if status is not UNSET:
            project.status = status
        if priority is not UNSET:
            project.priority = priority
        if health is not UNSET:
            project.health = health
        if budget is not UNSET:
            project.budget = budget
        project.updated_at = self.now()
        return project

    def delete_project(self, actor_id: int, space_id: int, project_id: int) -> None:
        project = self.project(actor_id, project_id, space_id)
        self._require_project_admin(
            self.user(actor_id), self.spaces[space_id], project, "delete projects"
        )
        self._remove_project(project)

    def _remove_project(self, project: Project) -> None:
        for task in [t for t in self.tasks.values() if t.project_id == project.project_id]:
            self._remove_task(task.task_id)
        for table in (self.statuses, self.priorities):
            for key in [k for k, v in table.items() if v.project_id == project.project_id]:
                del table[key]
        del self.projects[project.project_id]

    # -- tasks --

    def _can_see(self, actor: User, task: Task) -> bool:
        if task.org_id != actor.org_id:
            return False
        # Personal tasks belong to their creator and whoever they were given to.
        return not task.is_personal or actor.user_id in (task.created_by, *task.owner_ids)

    def task(self, actor_id: int, task_id: int) -> Task:
        """Any task the actor may see, personal or project."""
        task = self.tasks.get(task_id)
        if task is None or not self._can_see(self.user(actor_id), task):
            raise NotFound(f"Task {task_id} not found")
        return task

    def personal_task(self, actor_id: int, task_id: int) -> Task:
        task = self.task(actor_id, task_id)
        if not task.is_personal:
            raise NotFound(
                f"Task {task_id} is not a personal task (it belongs to project {task.project_id})"
            )
        return task

    def project_task(
        self, actor_id: int, project_id: int, task_id: int, space_id: int | None = None
    ) -> Task:
        self.project(actor_id, project_id, space_id)
        task = self.task(actor_id, task_id)
        if task.project_id != project_id:
            raise NotFound(f"Task {task_id} not found in project {project_id}")
        return task

    def personal_tasks(self, actor_id: int) -> list[Task]:
        actor = self.user(actor_id)
        return [
            t
            for t in self.tasks.values()
            if t.is_personal and t.parent_id is None and self._can_see(actor, t)
        ]

    def project_tasks(self, actor_id: int, space_id: int, project_id: int) -> list[Task]:
        self.project(actor_id, project_id, space_id)
        return [
            t for t in self.tasks.values() if t.project_id == project_id and t.parent_id is None
        ]

    def subtasks(self, actor_id: int, parent_id: int) -> list[Task]:
        self.task(actor_id, parent_id)
        return [t for t in self.tasks.values() if t.parent_id == parent_id]

    def status_of(self, task: Task) -> Status:
        return self.statuses[task.status_id]

    def priority_of(self, task: Task) -> Priority:
        return self.priorities[task.priority_id]

    def create_task(
        self,
        actor_id: int,
        title: str,
        *,
        project_id: int | None = None,
        parent_id: int | None = None,
        description: str | None = None,
        owners: Sequence[int] = (),
        status: str | None = None,
        priority: str | None = None,
        start_date: datetime | None = None,
        due_date: datetime | None = None,
        completion: int = 0,
        tags: Sequence[str] = (),
    ) -> Task:
        """A personal task (no project), a project task, or a subtask of `parent_id`."""
        actor = self.user(actor_id)
        if actor.is_guest:
            raise Forbidden("Guests are read-only: they cannot create tasks")
        space_id = None
        if parent_id is not None:
            parent = self.task(actor_id, parent_id)
            project_id, space_id = parent.project_id, parent.space_id
        elif project_id is not None:
            space_id = self.project(actor_id, project_id).space_id
        org_id = actor.org_id
        owner_ids = self._owner_ids(org_id, owners)
        status_row = (
            self.status_named(org_id, project_id, status)
            if status
            else self.statuses_for(org_id, project_id)[0]
        )
        priority_row = self.priority_labelled(org_id, project_id, priority or DEFAULT_PRIORITY)
        _check_order(start_date, due_date, "dueDate", "startDate")
        description = description or ""
        now = self.now()
        task = Task(
            task_id=self._next_id("task"),
            org_id=org_id,
            title=title,
            description=description,
            mentioned_ids=self.mentioned_user_ids(org_id, description),
            owner_ids=owner_ids,
            status_id=status_row.status_id,
            priority_id=priority_row.priority_id,
            start_date=start_date,
            due_date=due_date,
            completion=completion,
            tags=list(tags),
            project_id=project_id,
            space_id=space_id,
            parent_id=parent_id,
            created_by=actor_id,
            modified_by=actor_id,
            created_at=now,
            updated_at=now,
        )
        self.tasks[task.task_id] = task
        self._notify_task_change(actor, task, set(task.owner_ids), set(task.mentioned_ids), None)
        return task

    def update_task(
        self,
        actor_id: int,
        task_id: int,
        *,
        title: str | _Unset = UNSET,
        description: str | _Unset | None = UNSET,
        owners: Sequence[int] | _Unset = UNSET,
        status: str | _Unset = UNSET,
        priority: str | _Unset = UNSET,
        start_date: datetime | _Unset | None = UNSET,
        due_date: datetime | _Unset | None = UNSET,
        completion: int | _Unset = UNSET,
        tags: Sequence[str] | _Unset = UNSET,
    ) -> Task:
        """Change the given fields (None clears description and dates) and notify."""
        actor = self.user(actor_id)
        task = self.task(actor_id, task_id)
        if actor.is_guest and actor_id not in task.owner_ids:
            raise Forbidden("Guests can only edit tasks they own")
        org_id, project_id = task.org_id, task.project_id
        # Resolve everything before changing anything, so a 400 leaves the task untouched.
        new_owners = task.owner_ids if owners is UNSET else self._owner_ids(org_id, owners)
        new_status = (
            task.status_id
            if status is UNSET
            else self.status_named(org_id, project_id, status).status_id
        )
        new_priority = (
            task.priority_id
            if priority is UNSET
            else self.priority_labelled(org_id, project_id, priority).priority_id
        )
        new_start = task.start_date if start_date is UNSET else start_date
        new_due = task.due_date if due_date is UNSET else due_date
        _check_order(new_start, new_due, "dueDate", "startDate")
        new_description = task.description if description is UNSET else description or ""
        old_owners, old_mentions, old_status = (
            set(task.owner_ids),
            set(task.mentioned_ids),
            task.status_id,
        )

        task.owner_ids, task.status_id, task.priority_id = new_owners, new_status, new_priority
        task.start_date, task.due_date = new_start, new_due
        task.description = new_description
        task.mentioned_ids = self.mentioned_user_ids(org_id, new_description)
        if title is not UNSET:
            task.title = title
        if completion is not UNSET:
            task.completion = completion
        if tags is not UNSET:
            task.tags = list(tags)
        task.modified_by, task.updated_at = actor_id, self.now()
        self._notify_task_change(
            actor,
            task,
            set(task.owner_ids) - old_owners,
            set(task.mentioned_ids) - old_mentions,
            old_status if old_status != task.status_id else None,
        )
        return task

    def delete_task(self, actor_id: int, task_id: int) -> None:
        actor = self.user(actor_id)
        task = self.task(actor_id, task_id)
        if not (actor.is_admin or actor_id == task.created_by or actor_id in task.owner_ids):
            raise Forbidden("Only the task's owners, its creator or an admin can delete it")
        self._remove_task(task_id)

    def _remove_task(self, task_id: int) -> None:
        for child in [t for t in self.tasks.values() if t.parent_id == task_id]:
            self._remove_task(child.task_id)
        for table in (self.comments, self.checklist_items, self.entries):
            for key in [k for k, v in table.items() if v.task_id == task_id]:
                del table[key]
        del self.tasks[task_id]

    def _owner_ids(self, org_id: int, owners: Sequence[int]) -> list[int]:
        return list(dict.fromkeys(self._org_user(org_id, uid, "owners").user_id for uid in owners))

    # -- comments and checklists (read-only in the REST API; seeded and used by the demo) --

    def add_comment(
        self, actor_id: int, task_id: int, text: str, *, parent_comment_id: int | None = None
    ) -> Comment:
        actor = self.user(actor_id)
        task = self.task(actor_id, task_id)
        if parent_comment_id is not None and parent_comment_id not in self.comments:
            raise NotFound(f"Comment {parent_comment_id} not found")
        now = self.now()
        comment = Comment(
            self._next_id("comment"),
            task_id,
            text,
            self.mentioned_user_ids(task.org_id, text),
            parent_comment_id,
            actor_id,
            now,
            now,
        )
        self.comments[comment.comment_id] = comment
        for user_id in comment.mentioned_ids:
            if user_id != actor_id:
                self.add_notification(
                    user_id,
                    MENTION,
                    f'{actor.full_name} mentioned you in a comment on "{task.title}"',
                    actor_id=actor_id,
                    task_id=task_id,
                    comment_id=comment.comment_id,
                )
        return comment

    def comments_of(self, actor_id: int, task_id: int) -> list[Comment]:
        self.task(actor_id, task_id)
        return [c for c in self.comments.values() if c.task_id == task_id]

    def add_checklist_item(
        self, actor_id: int, task_id: int, title: str, *, completed: bool = False
    ) -> ChecklistItem:
        self.task(actor_id, task_id)
        position = len([c for c in self.checklist_items.values() if c.task_id == task_id])
        item = ChecklistItem(
            self._next_id("checklist"), task_id, title, completed, position, actor_id, self.now()
        )
        self.checklist_items[item.checklist_id] = item
        return item

    def checklist_of(self, actor_id: int, task_id: int) -> list[ChecklistItem]:
        self.task(actor_id, task_id)
        items = [c for c in self.checklist_items.values() if c.task_id == task_id]
        return sorted(items, key=lambda c: c.position)

    def subtask_checklist(
        self, actor_id: int, task_id: int, subtask_id: int
    ) -> list[ChecklistItem]:
        self.task(actor_id, task_id)
        if self.task(actor_id, subtask_id).parent_id != task_id:
            raise NotFound(f"Subtask {subtask_id} not found under task {task_id}")
        return self.checklist_of(actor_id, subtask_id)

    # -- time tracking --

    def running_timer(self, user_id: int) -> TimeEntry | None:
        return next((e for e in self.entries.values() if e.user_id == user_id and e.running), None)

    def time_entries(self, user_id: int) -> list[TimeEntry]:
        """All of a user's entries, running one included, oldest first."""
        return sorted(
            (e for e in self.entries.values() if e.user_id == user_id), key=lambda e: e.start
        )

    def task_time_entries(
        self, actor_id: int, task_id: int, user_id: int | None = None
    ) -> list[TimeEntry]:
        actor = self.user(actor_id)
        self.task(actor_id, task_id)
        subject = actor_id if user_id is None else user_id
        if self.user(subject).org_id != actor.org_id:
            raise NotFound(f"User {subject} not found")
        if subject != actor_id and not actor.is_admin:
            raise Forbidden("Only admins can see other people's time entries")
        return [e for e in self.time_entries(subject) if e.task_id == task_id]

    def _loggable_task(self, actor_id: int, task_id: int, project_id: int | None) -> Task:
        actor = self.user(actor_id)
        task = (
            self.personal_task(actor_id, task_id)
            if project_id is None
            else self.project_task(actor_id, project_id, task_id)
        )
        if actor.is_guest and actor_id not in task.owner_ids:
            raise Forbidden("Guests can only log time on tasks they own")
        return task

    def _add_entry(
        self,
        actor_id: int,
        task: Task,
        start: datetime,
        end: datetime | None,
        entry_type: str,
        billable: bool,
        notes: str | None,
    ) -> TimeEntry:
        entry = TimeEntry(
            self._next_id("time_entry"),
            task.org_id,
            actor_id,
            task.task_id,
            task.project_id,
            start,
            end,
            billable,
            notes,
            entry_type,
        )
        self.entries[entry.entry_id] = entry
        return entry

    def start_timer(
        self, actor_id: int, task_id: int, *, project_id: int | None = None
    ) -> TimeEntry:
        """Start a live timer; a second one while one runs is a 409 naming the running task."""
        task = self._loggable_task(actor_id, task_id, project_id)
        running = self.running_timer(actor_id)
        if running is not None:
            running_task = self.tasks[running.task_id]
            raise Conflict(
                f'A timer is already running on "{running_task.title}" '
                f"(task {running_task.task_id}); stop it before starting another"
            )
        return self._add_entry(actor_id, task, self.now(), None, TIMER, False, None)

    def stop_timer(
        self, actor_id: int, task_id: int, *, billable: bool | None = None, notes: str | None = None
    ) -> TimeEntry:
        self.task(actor_id, task_id)
        running = self.running_timer(actor_id)
        if running is None or running.task_id != task_id:
            raise Conflict(f"No timer of yours is running on task {task_id}")
        running.end = max(self.now(), running.start)
        if billable is not None:
            running.billable = billable
        if notes is not None:
            running.notes = notes
        return running

    def add_range_entry(
        self,
        actor_id: int,
        task_id: int,
        start: datetime,
        end: datetime,
        *,
        project_id: int | None = None,
        billable: bool = False,
        notes: str | None = None,
    ) -> TimeEntry:
        task = self._loggable_task(actor_id, task_id, project_id)
        if end <= start:
            raise invalid("endTime", "must be after startTime", iso(end))
        return self._add_entry(actor_id, task, start, end, RANGE, billable, notes)

    def add_manual_entry(
        self,
        actor_id: int,
        task_id: int,
        duration: timedelta,
        *,
        project_id: int | None = None,
        start: datetime | None = None,
        billable: bool = False,
        notes: str | None = None,
    ) -> TimeEntry:
        """`duration` of work that began at `start` (default: it just ended)."""
        task = self._loggable_task(actor_id, task_id, project_id)
        if duration <= timedelta(0):
            raise invalid(
                "hours", "hours and minutes must add up to more than zero", millis(duration)
            )
        begin = start or self.now() - duration
        return self._add_entry(actor_id, task, begin, begin + duration, MANUAL, billable, notes)

    def _own_entry(self, actor_id: int, entry_id: int) -> TimeEntry:
        entry = self.entries.get(entry_id)
        if entry is None or entry.org_id != self.user(actor_id).org_id:
            raise NotFound(f"Time entry {entry_id} not found")
        if entry.user_id != actor_id:
            raise Forbidden("You can only change your own time entries")
        return entry

    def update_time_entry(
        self,
        actor_id: int,
        entry_id: int,
        *,
        start: datetime | _Unset = UNSET,
        end: datetime | _Unset = UNSET,
        billable: bool | _Unset = UNSET,
        notes: str | _Unset | None = UNSET,
    ) -> TimeEntry:
        entry = self._own_entry(actor_id, entry_id)
        new_start = entry.start if start is UNSET else start
        if entry.running:
            if end is not UNSET:
                raise invalid(
                    "endTime", "cannot be set on a running timer; stop it instead", iso(end)
                )
            if new_start > self.now():
                raise invalid("startTime", "must not be in the future", iso(new_start))
        else:
            new_end = entry.end if end is UNSET else end
            if new_end is not None and new_end <= new_start:
                raise invalid("endTime", "must be after startTime", iso(new_end))
            entry.end = new_end
        entry.start = new_start
        if billable is not UNSET:
            entry.billable = billable
        if notes is not UNSET:
            entry.notes = notes
        return entry

    def delete_time_entry(self, actor_id: int, entry_id: int) -> None:
        self._own_entry(actor_id, entry_id)
        del self.entries[entry_id]

    def timesheet(
        self,
        actor_id: int,
        *,
        project_id: int | None = None,
        start_date: date | None = None,
        end_date: date | None = None,
        group_by: str = "member",
    ) -> Timesheet:
        """Stopped entries by start date in [start_date, end_date]; admins see everyone,
        others only themselves. `project_id` limits it to one project."""
        actor = self.user(actor_id)
        if project_id is not None:
            self.project(actor_id, project_id)
        if start_date and end_date and end_date < start_date:
            raise invalid("endDate", "must not be before startDate", end_date.isoformat())
        groups: dict[int | None, TimesheetGroup] = {}
        for entry in sorted(self.entries.values(), key=lambda e: e.start):
            day = entry.start.astimezone(UTC).date()
            if (
                entry.running
                or entry.org_id != actor.org_id
                or (not actor.is_admin and entry.user_id != actor_id)
                or (project_id is not None and entry.project_id != project_id)
                or (start_date and day < start_date)
                or (end_date and day > end_date)
            ):
                continue
            key = entry.user_id if group_by == "member" else entry.project_id
            if key not in groups:
                groups[key] = TimesheetGroup(key, self._group_name(group_by, key))
            groups[key].entries.append(entry)
        return Timesheet(group_by, list(groups.values()))

    def _group_name(self, group_by: str, key: int | None) -> str:
        if group_by == "member" and key is not None:
            return self.users[key].full_name
        return self.projects[key].name if key is not None else "Personal tasks"

    # -- notifications --

    def add_notification(
        self,
        user_id: int,
        type_: str,
        message: str,
        *,
        actor_id: int,
        task_id: int | None = None,
        comment_id: int | None = None,
        created_at: datetime | None = None,
    ) -> Notification:
        task = self.tasks.get(task_id) if task_id is not None else None
        notification = Notification(
            self._next_id("notification"),
            self.user(user_id).org_id,
            user_id,
            type_,
            message,
            actor_id,
            False,
            created_at or self.now(),
            task_id,
            task.project_id if task else None,
            task.space_id if task else None,
            comment_id,
        )
        self.notifications[notification.notification_id] = notification
        return notification

    def notifications_for(self, user_id: int) -> list[Notification]:
        """Newest first."""
        mine = [n for n in self.notifications.values() if n.user_id == user_id]
        return sorted(mine, key=lambda n: (n.created_at, n.notification_id), reverse=True)

    def _own_notifications(self, user_id: int, ids: Sequence[int]) -> list[Notification]:
        found = []
        for notification_id in ids:
            notification = self.notifications.get(notification_id)
            if notification is None or notification.user_id != user_id:
                raise NotFound(f"Notification {notification_id} not found")
            found.append(notification)
        return found

    def mark_notifications_read(self, user_id: int, ids: Sequence[int] | None) -> list[int]:
        """Mark `ids` (all when None) read; returns the ids that were unread."""
        chosen = (
            self.notifications_for(user_id)
            if ids is None
            else self._own_notifications(user_id, ids)
        )
        changed = [n.notification_id for n in chosen if not n.read]
        for notification in chosen:
            notification.read = True
        return changed

    def delete_notifications(self, user_id: int, ids: Sequence[int]) -> list[int]:
        doomed = self._own_notifications(user_id, ids)
        for notification in doomed:
            self.notifications.pop(notification.notification_id, None)
        return list(dict.fromkeys(n.notification_id for n in doomed))

    def _notify_task_change(
        self,
        actor: User,
        task: Task,
        new_owners: set[int],
        new_mentions: set[int],
        old_status_id: int | None,
    ) -> None:
        """Tell people what `actor` did; the actor is never notified of their own action."""
        title = task.title
        for user_id in sorted(new_owners - {actor.user_id}):
            self.add_notification(
                user_id,
                ASSIGNMENT,
                f'{actor.full_name} assigned you to "{title}"',
                actor_id=actor.user_id,
                task_id=task.task_id,
            )
        for user_id in sorted(new_mentions - {actor.user_id}):
            self.add_notification(
                user_id,
                MENTION,
                f'{actor.full_name} mentioned you in "{title}"',
                actor_id=actor.user_id,
                task_id=task.task_id,
            )
        if old_status_id is not None:
            old, new = self.statuses[old_status_id].name, self.status_of(task).name
            for user_id in task.owner_ids:
                if user_id != actor.user_id:
                    self.add_notification(
                        user_id,
                        STATUS_CHANGE,
                        f'{actor.full_name} moved "{title}" from {old} to {new}',
                        actor_id=actor.user_id,
                        task_id=task.task_id,
                    )

    # -- demo traffic --

    def simulate_teammate_activity(self, target_user_id: int, rng: random.Random) -> str:
        """A teammate assigns, mentions or moves one of the target's tasks; returns what
        happened in one line. Each outcome leaves a new notification for the target."""
        target = self.user(target_user_id)
        teammates = [
            u
            for u in self.org_users(target.org_id)
            if u.user_id != target_user_id and not u.is_guest
        ]
        tasks = [
            t
            for t in self.tasks.values()
            if t.org_id == target.org_id and t.project_id is not None and t.parent_id is None
        ]
        if not teammates or not tasks:
            raise ValueError(f"user {target_user_id} has no teammates or project tasks")
        actor = rng.choice(teammates)
        owned = [t for t in tasks if target_user_id in t.owner_ids]
        unmentioned = [t for t in tasks if target_user_id not in t.mentioned_ids]
        unowned = [t for t in tasks if target_user_id not in t.owner_ids]
        # `owned` is empty only if `unowned` is not, so there is always a move.
        kind = rng.choice(
            [
                kind
                for kind, pool in (("assign", unowned), ("mention", unmentioned), ("status", owned))
                if pool
            ]
        )
        if kind == "status":
            task = rng.choice(owned)
            others = [
                s
                for s in self.statuses_for(task.org_id, task.project_id)
                if s.status_id != task.status_id
            ]
            new_status = rng.choice(others).name
            self.update_task(actor.user_id, task.task_id, status=new_status)
            return f'{actor.full_name} moved "{task.title}" (task {task.task_id}) to {new_status}'
        if kind == "mention":
            task = rng.choice(unmentioned)
            note = f"@{target.handle} could you take a look at this?"
            self.update_task(
                actor.user_id, task.task_id, description=f"{task.description}\n{note}".strip()
            )
            return (
                f'{actor.full_name} mentioned {target.full_name} in "{task.title}" '
                f"(task {task.task_id})"
            )
        task = rng.choice(unowned)
        self.update_task(actor.user_id, task.task_id, owners=[*task.owner_ids, target_user_id])
        return (
            f'{actor.full_name} assigned {target.full_name} to "{task.title}" (task {task.task_id})'
        )


def _check_order(
    first: datetime | None, second: datetime | None, field_name: str, other: str
) -> None:
    if first is not None and second is not None and second < first:
        raise invalid(field_name, f"must not be before {other}", iso(second))
