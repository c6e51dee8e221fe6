"""Tolerant parsing: unknown fields kept, both status shapes, ms durations, UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from bot.astravue.models import (
    NotificationDeleteRequestDto,
    ProjectDto,
    TaskCreateRequest,
    TaskDto,
    TaskUpdateRequest,
    TimeTrackerDto,
    UserDto,
)

from . import payloads as p


def test_full_task_example_parses() -> None:
    task = TaskDto.model_validate(p.TASK)
    assert task.task_title == "Implement authentication module"
    assert task.status is not None and task.status.task_status_id == 2
    assert task.priority is not None and task.priority.is_default is False
    assert task.owners[0].profile_pic_url == "https://cdn.astravue.test/p/1.png"
    assert task.owners[0].role is not None and task.owners[0].role.role_name == "Admin"
    assert task.due_date == datetime(2023, 10, 15, tzinfo=UTC)


def test_status_and_priority_accept_bare_names() -> None:
    task = TaskDto.model_validate({"taskId": 1, "status": "Done", "priority": "Low"})
    assert (task.status_name, task.priority_label) == ("Done", "Low")


def test_project_status_accepts_an_object() -> None:
    project = ProjectDto.model_validate({"projectId": 1, "status": {"statusName": "Active"}})
    assert project.status == "Active"


def test_unknown_fields_are_kept() -> None:
    task = TaskDto.model_validate({**p.TASK, "storyPoints": 5})
    assert task.model_extra == {"storyPoints": 5}


def test_owners_may_be_bare_ids_and_ids_may_be_numeric_strings() -> None:
    task = TaskDto.model_validate({"taskId": "12", "owners": [2, {"userId": 3}]})
    assert task.task_id == 12
    assert [owner.user_id for owner in task.owners] == [2, 3]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-01T09:00:00Z", datetime(2024, 3, 1, 9, tzinfo=UTC)),
        ("2024-03-01T11:00:00+02:00", datetime(2024, 3, 1, 9, tzinfo=UTC)),
        ("2024-03-01T09:00:00", datetime(2024, 3, 1, 9, tzinfo=UTC)),
        ("2024-03-01T09:00:00.250Z", datetime(2024, 3, 1, 9, 0, 0, 250000, tzinfo=UTC)),
    ],
)
def test_datetimes_become_aware_utc(raw: str, expected: datetime) -> None:
    entry = TimeTrackerDto.model_validate({"timeTrackerId": 1, "startTime": raw})
    assert entry.start_time == expected
    assert entry.start_time is not None and entry.start_time.utcoffset() == timedelta(0)


def test_milliseconds_are_timedeltas_and_raw_ms_is_kept() -> None:
    entry = TimeTrackerDto.model_validate({"timeTrackerId": 1, "duration": 5_400_000})
    assert entry.duration_ms == 5_400_000
    assert entry.duration == timedelta(hours=1, minutes=30)
    assert TimeTrackerDto.model_validate({"timeTrackerId": 1}).duration is None


def test_requests_serialise_to_camel_case_without_none() -> None:
    body = TaskCreateRequest(task_title="New", due_date=datetime(2024, 1, 1, 12, 0))
    assert body.to_wire() == {"taskTitle": "New", "dueDate": "2024-01-01T12:00:00Z"}


def test_update_requests_send_clearable_fields_as_null() -> None:
    body = TaskUpdateRequest(task_title="New", due_date=datetime(2024, 1, 1, 12, 0))
    assert body.to_wire() == {
        "taskTitle": "New",
        "dueDate": "2024-01-01T12:00:00Z",
        "description": None,
        "startDate": None,
    }


def test_requests_accept_wire_names_too() -> None:
    assert TaskCreateRequest.model_validate({"taskTitle": "x"}).task_title == "x"


def test_request_validation_rejects_impossible_values() -> None:
    with pytest.raises(ValidationError):
        TaskCreateRequest(task_title="x", completion=150)
    with pytest.raises(ValidationError):
        NotificationDeleteRequestDto(notification_ids=[])


def test_display_name_falls_back_to_email() -> None:
    assert UserDto(first_name="Dev", last_name="Patel").display_name == "Dev Patel"
    assert UserDto(email="sam@acme.test").display_name == "sam@acme.test"
