"""Full update bodies: the object as read, with the changes applied, on the wire."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from bot.astravue.models import ProjectDto, SpaceDto, TaskDto, TimeTrackerDto
from bot.astravue.updates import project_update, space_update, task_update, timer_update
from tests.unit.astravue import payloads as p


def test_a_task_change_sends_every_writable_field_as_read() -> None:
    wire = task_update(TaskDto.model_validate(p.TASK), {"status": "Done"}).to_wire()
    assert wire == {
        "taskTitle": "Implement authentication module",
        "description": "Implement the authentication module.",
        "owners": [1],
        "startDate": "2023-10-01T00:00:00Z",
        "dueDate": "2023-10-15T00:00:00Z",
        "completion": 50,
        "status": "Done",
        "priority": "High",
        "tags": ["backend", "urgent"],
    }


def test_a_change_to_none_clears_the_field_with_an_explicit_null() -> None:
    wire = task_update(
        TaskDto.model_validate(p.TASK), {"due_date": None, "description": None, "tags": []}
    ).to_wire()
    assert wire["dueDate"] is None and wire["description"] is None and wire["tags"] == []
    assert wire["startDate"] == "2023-10-01T00:00:00Z"  # untouched


def test_fields_the_read_did_not_have_are_null_only_where_clearing_is_meant() -> None:
    bare = TaskDto.model_validate({"taskId": 1, "taskTitle": "Bare"})
    wire = task_update(bare, {"completion": 100}).to_wire()
    assert wire == {
        "taskTitle": "Bare",
        "description": None,
        "owners": [],
        "startDate": None,
        "dueDate": None,
        "completion": 100,
        "tags": [],
    }


def test_space_project_and_time_entry_bodies_are_whole() -> None:
    space = space_update(SpaceDto.model_validate(p.SPACE), {"space_name": "Eng"}).to_wire()
    assert space == {"spaceName": "Eng", "description": "All engineering work", "color": "#123456"}
    project = project_update(
        ProjectDto.model_validate(p.PROJECT), {"health": "AT_RISK", "budget": None}
    ).to_wire()
    assert project == {
        "projectName": "Website",
        "description": None,
        "status": "Active",
        "priority": "High",
        "health": "AT_RISK",
        "startDate": "2024-01-01T00:00:00Z",
        "endDate": "2024-06-30T00:00:00Z",
        "budget": None,
    }
    entry = timer_update(
        TimeTrackerDto.model_validate(p.TIME_ENTRY),
        {"end_time": datetime(2024, 3, 1, 11, tzinfo=UTC)},
    ).to_wire()
    assert entry == {
        "startTime": "2024-03-01T09:00:00Z",
        "endTime": "2024-03-01T11:00:00Z",
        "billable": True,
        "notes": "pairing",
    }


def test_a_running_entry_sends_no_end_time() -> None:
    running = TimeTrackerDto.model_validate({**p.TIME_ENTRY, "endTime": None, "running": True})
    assert "endTime" not in timer_update(running, {"notes": None}).to_wire()


def test_unknown_or_invalid_changes_fail_before_anything_is_sent() -> None:
    task = TaskDto.model_validate(p.TASK)
    with pytest.raises(ValueError, match="no field dueday"):
        task_update(task, {"dueday": None})  # type: ignore[typeddict-unknown-key]
    with pytest.raises(ValidationError):
        task_update(task, {"completion": 140})
