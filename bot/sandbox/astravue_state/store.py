"""The tables of the fake Astravue world, its clock and its id counters."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import datetime

from bot.sandbox.astravue_state.entities import (
    ChecklistItem,
    Comment,
    Notification,
    Org,
    Priority,
    Project,
    Space,
    Status,
    Task,
    TimeEntry,
    User,
)
from bot.sandbox.astravue_state.values import utc_now


class StateStore:
    """The tables of the fake Astravue world. Ids grow monotonically per kind of record."""

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

    def status_of(self, task: Task) -> Status:
        return self.statuses[task.status_id]

    def priority_of(self, task: Task) -> Priority:
        return self.priorities[task.priority_id]

    def _remove_task(self, task_id: int) -> None:
        for child in [t for t in self.tasks.values() if t.parent_id == task_id]:
            self._remove_task(child.task_id)
        for table in (self.comments, self.checklist_items, self.entries):
            for key in [k for k, v in table.items() if v.task_id == task_id]:
                del table[key]
        del self.tasks[task_id]
