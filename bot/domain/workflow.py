"""Task statuses in the order of their workflow, and the defaults a new task gets.

Astravue documents no endpoint that lists a project's statuses, so the app knows the ones it
has seen on tasks (name, `statusCategory`, `taskStatusId`). They are shown as a board shows
them: to-do statuses first, then those in progress, then done ones; within a category in the
order Astravue created them (their ids), never alphabetically.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

DEFAULT_STATUSES: Final = ("To Do", "In Progress", "In Review", "Done")
DEFAULT_PRIORITY: Final = "Medium"  # what Astravue gives a task created without one

_NOT_STARTED: Final = ("todo", "to_do", "open", "backlog", "not_started", "new")
_FINISHED: Final = ("done", "closed", "complete", "completed", "cancelled")
_UNKNOWN_ID: Final = 1 << 62


@dataclass(frozen=True)
class SeenStatus:
    category: str  # lower-cased statusCategory, "" when Astravue gave none
    status_id: int | None


def workflow_order(seen: dict[str, SeenStatus]) -> list[str]:
    """The names of `seen` in workflow order; the defaults when nothing was seen."""
    if not seen:
        return list(DEFAULT_STATUSES)
    return sorted(seen, key=lambda name: _position(name, seen[name]))


def _position(name: str, status: SeenStatus) -> tuple[int, int, int]:
    category = status.category.replace("-", "_").replace(" ", "_")
    stage = 0 if category in _NOT_STARTED else 2 if category in _FINISHED else 1
    if not category and name in DEFAULT_STATUSES:  # no category: the default board's place
        stage = 0 if name == DEFAULT_STATUSES[0] else 2 if name == DEFAULT_STATUSES[-1] else 1
    known = DEFAULT_STATUSES.index(name) if name in DEFAULT_STATUSES else len(DEFAULT_STATUSES)
    return stage, status.status_id if status.status_id is not None else _UNKNOWN_ID, known
