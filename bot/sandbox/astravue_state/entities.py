"""The records of the fake Astravue world."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.sandbox.astravue_state.values import ADMIN_ROLES, millis


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
