"""Project feeds, pure: what changed between two reads of a project, and when a digest is due.

A read of a project is a snapshot: task id -> `FeedTask`. `diff(before, after)` lists the
changes a channel hears about (created, completed, reopened, assigned, due date changed),
each with a key that names that change alone: `kind:task:revision`, where a task's revision
counts the changes seen on it. The key depends only on the two snapshots, so a poll that
crashed before recording its snapshot derives the very same keys again, and a task completed,
reopened and completed again gets three different keys.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.errors import DomainError

KINDS = ("created", "completed", "reopened", "assigned", "due_changed")
DIGEST_DEFAULT = "09:00"
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class FeedTask:
    """What a feed remembers of one task between reads."""

    task_id: int
    title: str
    done: bool = False
    owner_ids: tuple[int, ...] = ()
    owner_names: tuple[str, ...] = ()
    due: str | None = None  # ISO 8601 UTC datetime
    by: str | None = None  # who changed it last, when the API says
    rev: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "owner_ids": list(self.owner_ids),
            "owner_names": list(self.owner_names),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FeedTask:
        return cls(
            task_id=int(data["task_id"]),
            title=str(data.get("title") or ""),
            done=bool(data.get("done")),
            owner_ids=tuple(int(i) for i in data.get("owner_ids") or ()),
            owner_names=tuple(str(n) for n in data.get("owner_names") or ()),
            due=data.get("due"),
            by=data.get("by"),
            rev=int(data.get("rev") or 0),
        )


Snapshot = dict[int, FeedTask]


def snapshot_to_json(snapshot: Snapshot) -> dict[str, Any]:
    return {str(task_id): task.to_json() for task_id, task in snapshot.items()}


def snapshot_from_json(data: dict[str, Any] | None) -> Snapshot:
    return {int(key): FeedTask.from_json(value) for key, value in (data or {}).items()}


def unchanged(stored: dict[str, Any] | None, after: Snapshot) -> bool:
    """Whether a read (`after`) found exactly what the stored snapshot (its JSON) holds, field
    for field (revisions aside): then `diff` would find no change and store the same snapshot,
    and a steady-state poll skips it. Compares the JSON as it is, without building tasks; any
    doubt (a missing or differently typed field) answers False, and `diff` decides."""
    if stored is None or len(stored) != len(after):
        return False
    for task_id, task in after.items():
        data = stored.get(str(task_id))
        if (
            data is None
            or data.get("title") != task.title
            or data.get("done") is not task.done
            or data.get("due") != task.due
            or data.get("by") != task.by
            or data.get("owner_ids") != list(task.owner_ids)
            or data.get("owner_names") != list(task.owner_names)
        ):
            return False
    return True


@dataclass(frozen=True)
class FeedChange:
    kind: str  # one of KINDS
    task: FeedTask  # the task as it is now
    key: str
    previous_due: str | None = None
    added_owners: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "task": self.task.to_json(),
            "key": self.key,
            "previous_due": self.previous_due,
            "added_owners": list(self.added_owners),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FeedChange:
        return cls(
            kind=str(data["kind"]),
            task=FeedTask.from_json(data["task"]),
            key=str(data["key"]),
            previous_due=data.get("previous_due"),
            added_owners=tuple(data.get("added_owners") or ()),
        )


def diff(before: Snapshot, after: Snapshot) -> tuple[list[FeedChange], Snapshot]:
    """The changes from `before` to `after`, in task id order, and `after` with each task's
    revision carried over (and advanced where something changed): the snapshot to store."""
    changes: list[FeedChange] = []
    stored: Snapshot = {}
    for task_id in sorted(after):
        now = after[task_id]
        old = before.get(task_id)
        if old is None:
            now = replace(now, rev=1)
            changes.append(FeedChange("created", now, f"created:{task_id}:1"))
            stored[task_id] = now
            continue
        found: list[tuple[str, dict[str, Any]]] = []
        if now.done != old.done:
            found.append(("completed" if now.done else "reopened", {}))
        added = [
            name
            for owner_id, name in zip(now.owner_ids, now.owner_names, strict=False)
            if owner_id not in old.owner_ids
        ]
        if added or (set(now.owner_ids) - set(old.owner_ids)):
            found.append(("assigned", {"added_owners": tuple(added)}))
        if now.due != old.due:
            found.append(("due_changed", {"previous_due": old.due}))
        rev = old.rev + (1 if found else 0)
        now = replace(now, rev=rev)
        stored[task_id] = now
        for kind, extra in found:
            changes.append(FeedChange(kind, now, f"{kind}:{task_id}:{rev}", **extra))
    return changes, stored


def parse_clock(text: str) -> str | None:
    """ "9:00" -> "09:00"; None when it is not a time of day."""
    match = _CLOCK.match(text.strip())
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else None


def digest_day(
    digest_time: str | None, zone: str, now: datetime, last_day: str | None
) -> str | None:
    """The local day whose digest is due now (its time has passed and it was not sent), or
    None."""
    if not digest_time:
        return None
    local = now.astimezone(_zone(zone))
    today = local.date().isoformat()
    if today == last_day or local.time() < time.fromisoformat(digest_time):
        return None
    return today


def first_digest_day(digest_time: str | None, zone: str, now: datetime) -> str | None:
    """At a feed's first read: today counts as done when its digest time has passed, so a
    feed made at 10:00 does not post a 09:00 digest at once."""
    return digest_day(digest_time, zone, now, None)


@dataclass(frozen=True)
class Digest:
    day: str
    overdue: list[FeedTask]
    today: list[FeedTask]

    def to_json(self) -> dict[str, Any]:
        return {
            "day": self.day,
            "overdue": [t.to_json() for t in self.overdue],
            "today": [t.to_json() for t in self.today],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Digest:
        return cls(
            day=str(data["day"]),
            overdue=[FeedTask.from_json(t) for t in data.get("overdue") or ()],
            today=[FeedTask.from_json(t) for t in data.get("today") or ()],
        )


def digest_of(snapshot: Snapshot, day: str, zone: str) -> Digest:
    """Open tasks due on `day` (local) or before it, by due date."""
    tz = _zone(zone)
    target = date.fromisoformat(day)
    overdue: list[FeedTask] = []
    today: list[FeedTask] = []
    for task in sorted(snapshot.values(), key=lambda t: (t.due or "", t.task_id)):
        if task.done or not task.due:
            continue
        local = datetime.fromisoformat(task.due).astimezone(tz).date()
        if local < target:
            overdue.append(task)
        elif local == target:
            today.append(task)
    return Digest(day, overdue, today)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


@dataclass(eq=False)
class FeedError(DomainError):
    """A feed command the user can fix; `bot.ui.feeds` words each one."""


@dataclass(eq=False)
class NotSubscribed(FeedError):
    words: str


@dataclass(eq=False)
class TooManyFeeds(FeedError):
    limit: int
