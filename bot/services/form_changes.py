"""What an edit form changes, as the Astravue update it means: only the fields the user
changed (one left alone keeps its stored value, even where the form shows it rounded), and a
field emptied on purpose is cleared. Listeners say which fields changed; the request shapes
stay here, out of the listeners."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, cast

from bot.astravue.updates import TaskChanges, TimerChanges
from bot.domain.tasks import TaskDraft
from bot.parsing import local_day_bounds, to_utc_due

TaskField = Literal["title", "description", "tags", "priority", "status", "due", "start", "owners"]


def task_changes(
    draft: TaskDraft, owner_ids: list[int], changed: Collection[TaskField], tz: str
) -> TaskChanges:
    """The update for the task form's `changed` fields; dates are the user's local days."""
    wanted: dict[TaskField, tuple[str, Any]] = {
        "title": ("task_title", draft.title),
        "description": ("description", draft.description),
        "tags": ("tags", draft.tags),
        "priority": ("priority", draft.priority),
        "status": ("status", draft.status),
        "due": ("due_date", to_utc_due(draft.due, tz) if draft.due else None),
        "start": ("start_date", local_day_bounds(draft.start, tz)[0] if draft.start else None),
        "owners": ("owners", owner_ids),
    }
    return cast(TaskChanges, dict(wanted[field] for field in changed))


@dataclass(frozen=True)
class EntryEdit:
    """A time entry form's changed values; None: left alone (`notes=""` clears the note)."""

    start: datetime | None = None
    end: datetime | None = None
    billable: bool | None = None
    notes: str | None = None


def entry_changes(edit: EntryEdit) -> TimerChanges:
    changes: TimerChanges = {}
    if edit.start is not None:
        changes["start_time"] = edit.start
    if edit.end is not None:
        changes["end_time"] = edit.end
    if edit.billable is not None:
        changes["billable"] = edit.billable
    if edit.notes is not None:
        changes["notes"] = edit.notes or None
    return changes
