"""Tasks as the app reasons about them: references, the quick-capture draft, time on a task.

Also the one definition of Astravue task URLs: `{app}/tasks/{id}` for a personal task and
`{app}/spaces/{s}/projects/{p}/tasks/{id}` for a project task; both are accepted wherever a
task id is, and used for "Open in Astravue".
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Protocol

from bot.astravue.models import TaskDto

DONE_CATEGORY = "done"


class TaskRef:
    """Which task a button is about, as a compact button value: `p:<task>` for a personal
    task, `<space>:<project>:<task>` for a project task. Ids only, never anything secret; the
    actor is always the user who clicked, so a crafted value can only name a task that user
    may see in Astravue anyway."""

    __slots__ = ("project_id", "space_id", "task_id")

    def __init__(
        self, task_id: int, space_id: int | None = None, project_id: int | None = None
    ) -> None:
        self.task_id = task_id
        self.space_id = space_id
        self.project_id = project_id

    @property
    def personal(self) -> bool:
        return self.project_id is None

    def encode(self) -> str:
        if self.personal:
            return f"p:{self.task_id}"
        return f"{self.space_id}:{self.project_id}:{self.task_id}"

    @classmethod
    def decode(cls, value: str) -> TaskRef:
        """Raises ValueError on anything but the two forms above."""
        parts = value.split(":")
        if len(parts) == 2 and parts[0] == "p":
            return cls(int(parts[1]))
        if len(parts) == 3:
            return cls(int(parts[2]), int(parts[0]), int(parts[1]))
        raise ValueError(f"not a task reference: {value[:40]!r}")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TaskRef) and self.encode() == other.encode()

    def __hash__(self) -> int:
        return hash(self.encode())

    def __repr__(self) -> str:
        return f"TaskRef({self.encode()})"


class _TaskFields(Protocol):
    """What a task or a timer says about where its task lives."""

    @property
    def task_id(self) -> int | None: ...
    @property
    def space_id(self) -> int | None: ...
    @property
    def project_id(self) -> int | None: ...


def task_ref(item: _TaskFields) -> TaskRef:
    """The reference of a task, or of the task a timer runs on."""
    if item.project_id is None:
        return TaskRef(item.task_id or 0)
    return TaskRef(item.task_id or 0, item.space_id, item.project_id)


_URL_TAIL = re.compile(
    r"/(?:spaces/(?P<space>\d+)/projects/(?P<project>\d+)/)?tasks/(?P<task>\d+)"
    r"/?(?:[?#].*)?$"
)


def task_url(app_url: str, ref: TaskRef) -> str:
    base = app_url.rstrip("/")
    if ref.personal:
        return f"{base}/tasks/{ref.task_id}"
    return f"{base}/spaces/{ref.space_id}/projects/{ref.project_id}/tasks/{ref.task_id}"


def parse_task_locator(text: str, app_url: str) -> TaskRef | int | None:
    """A task URL (a TaskRef), a bare id such as `42` or `#42` (an int), or None.

    A bare id does not say whether the task is personal or in a project; the caller resolves it.
    """
    word = text.strip().strip("<>").split("|")[0]
    if word.lstrip("#").isdecimal():
        return int(word.lstrip("#"))
    base = app_url.rstrip("/")
    if not word.startswith(base + "/"):
        return None
    match = _URL_TAIL.fullmatch(word[len(base) :])
    if match is None:
        return None
    if match["project"]:
        return TaskRef(int(match["task"]), int(match["space"]), int(match["project"]))
    return TaskRef(int(match["task"]))


def is_done(task: TaskDto) -> bool:
    if task.status is None:
        return False
    category = (task.status.status_category or "").lower()
    return category == DONE_CATEGORY or (not category and task.status_name == "Done")


@dataclass
class Pick:
    """A question the preview asks: which project or which person a word meant."""

    kind: str  # "project" or "person"
    word: str
    choices: list[tuple[str, str]]  # (label, value)


@dataclass
class TaskDraft:
    """What quick capture (or a form) understood, kept until the user confirms."""

    title: str
    description: str | None = None
    space_id: int | None = None
    project_id: int | None = None
    project_name: str | None = None
    owners: list[tuple[int, str]] = field(default_factory=list)
    due: date | None = None
    start: date | None = None
    priority: str | None = None
    status: str | None = None
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    picks: list[Pick] = field(default_factory=list)
    permalink: str | None = None
    share: bool = False  # `--share`: the created task, not the draft, goes to the channel

    def to_json(self) -> str:
        data = asdict(self)
        data["due"] = self.due.isoformat() if self.due else None
        data["start"] = self.start.isoformat() if self.start else None
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> TaskDraft:
        data = json.loads(text)
        data["due"] = date.fromisoformat(data["due"]) if data.get("due") else None
        data["start"] = date.fromisoformat(data["start"]) if data.get("start") else None
        data["owners"] = [(int(i), str(n)) for i, n in data.get("owners") or []]
        data["picks"] = [
            Pick(p["kind"], p["word"], [tuple(c) for c in p["choices"]])
            for p in data.get("picks") or []
        ]
        return cls(**data)


@dataclass(frozen=True)
class TaskTime:
    """A user's time on one task: logged today (in their zone) and in all."""

    today: timedelta
    total: timedelta
