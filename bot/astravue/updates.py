"""Full update bodies: the object as read, with the caller's changes applied.

Whether Astravue's PUT replaces the whole object or patches the fields it is given is not
documented (REFERENCE.md infers the update operations). So every update sends every writable
field: the values just read, overwritten by the changes. Under either meaning the result is
the same, nothing the user did not change is lost, and a change to None clears the field on
purpose (the request models send their CLEARABLE fields as null).

The bodies hold only what the request schemas in openapi.yaml define: a field Astravue
returns but a PUT cannot carry is not ours to send, and replacing the request fields leaves
it alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypedDict, TypeVar

from bot.astravue.models import (
    ProjectDto,
    ProjectUpdateRequest,
    RequestModel,
    SpaceDto,
    SpaceUpdateRequest,
    TaskDto,
    TaskUpdateRequest,
    TimerUpdateRequest,
    TimeTrackerDto,
)

R = TypeVar("R", bound=RequestModel)


class TaskChanges(TypedDict, total=False):
    task_title: str
    description: str | None
    owners: list[int]
    start_date: datetime | None
    due_date: datetime | None
    completion: int
    status: str
    priority: str
    tags: list[str]


class SpaceChanges(TypedDict, total=False):
    space_name: str
    description: str | None
    color: str


class ProjectChanges(TypedDict, total=False):
    project_name: str
    description: str | None
    status: str
    priority: str
    health: str
    start_date: datetime | None
    end_date: datetime | None
    budget: float | None


class TimerChanges(TypedDict, total=False):
    start_time: datetime
    end_time: datetime
    billable: bool
    notes: str | None


def _applied(current: R, changes: Mapping[str, Any]) -> R:
    """`current` with `changes` applied, validated again (a bad change fails here, unsent)."""
    model = type(current)
    unknown = set(changes) - set(model.model_fields)
    if unknown:
        raise ValueError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
    return model.model_validate({**dict(current), **changes})


def task_update(current: TaskDto, changes: TaskChanges) -> TaskUpdateRequest:
    whole = TaskUpdateRequest(
        task_title=current.task_title,
        description=current.description,
        owners=[owner.user_id for owner in current.owners if owner.user_id is not None],
        start_date=current.start_date,
        due_date=current.due_date,
        completion=current.completion,
        status=current.status_name,
        priority=current.priority_label,
        tags=list(current.tags),
    )
    return _applied(whole, changes)


def space_update(current: SpaceDto, changes: SpaceChanges) -> SpaceUpdateRequest:
    whole = SpaceUpdateRequest(
        space_name=current.space_name, description=current.description, color=current.color
    )
    return _applied(whole, changes)


def project_update(current: ProjectDto, changes: ProjectChanges) -> ProjectUpdateRequest:
    whole = ProjectUpdateRequest(
        project_name=current.project_name,
        description=current.description,
        status=current.status,
        priority=current.priority,
        health=current.health,
        start_date=current.start_date,
        end_date=current.end_date,
        budget=current.budget,
    )
    return _applied(whole, changes)


def timer_update(current: TimeTrackerDto, changes: TimerChanges) -> TimerUpdateRequest:
    whole = TimerUpdateRequest(
        start_time=current.start_time,
        end_time=current.end_time,
        billable=current.billable,
        notes=current.notes,
    )
    return _applied(whole, changes)
