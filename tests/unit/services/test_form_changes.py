"""Edit forms to Astravue updates (bot.services.form_changes): only what changed is sent."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.domain.tasks import TaskDraft
from bot.services.form_changes import EntryEdit, entry_changes, task_changes

DRAFT = TaskDraft(
    title="Fix login",
    description=None,
    tags=["auth"],
    priority="High",
    status="Open",
    due=date(2026, 6, 12),
    start=None,
)


def test_only_the_changed_task_fields_are_sent() -> None:
    assert task_changes(DRAFT, [3], ["title", "priority"], "UTC") == {
        "task_title": "Fix login",
        "priority": "High",
    }


def test_nothing_changed_sends_nothing() -> None:
    assert task_changes(DRAFT, [3], [], "UTC") == {}


def test_an_emptied_field_is_cleared_on_purpose() -> None:
    assert task_changes(DRAFT, [], ["description", "start"], "UTC") == {
        "description": None,
        "start_date": None,
    }


def test_dates_are_the_users_local_days() -> None:
    changes = task_changes(DRAFT, [], ["due"], "Europe/Madrid")
    due = changes["due_date"]
    assert due is not None
    assert due.astimezone(UTC).date() in (date(2026, 6, 12), date(2026, 6, 11))


def test_owners_are_the_mapped_ids() -> None:
    assert task_changes(DRAFT, [3, 5], ["owners"], "UTC") == {"owners": [3, 5]}


def test_an_entry_edit_sends_only_what_changed() -> None:
    start = datetime(2026, 6, 10, 9, tzinfo=UTC)
    assert entry_changes(EntryEdit(start=start)) == {"start_time": start}
    assert entry_changes(EntryEdit()) == {}
    assert entry_changes(EntryEdit(billable=False)) == {"billable": False}


def test_an_emptied_note_is_cleared() -> None:
    assert entry_changes(EntryEdit(notes="")) == {"notes": None}
    assert entry_changes(EntryEdit(notes="pairing")) == {"notes": "pairing"}
