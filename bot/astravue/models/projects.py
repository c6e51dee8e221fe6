"""Spaces and the projects in them, and the requests that write them."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator, Field

from bot.astravue.models.base import AstravueModel, Many, RequestModel, UtcDateTime, spelled
from bot.astravue.models.people import UserDto


def _name_of(value: Any) -> Any:
    """Projects carry status/priority as names; take the name if an object arrives."""
    if isinstance(value, dict):
        for key in ("statusName", "priorityLabel", "name", "label"):
            if isinstance(value.get(key), str):
                return value[key]
    return value


class SpaceDto(AstravueModel):
    tenant_id: int | None = None
    space_id: int = spelled("spaceId", "id", "space_id")
    space_name: str = spelled("spaceName", "name", "space_name", default="")
    description: str | None = None
    color: str | None = None
    created_by: UserDto | None = None
    create_time: UtcDateTime | None = None
    update_time: UtcDateTime | None = None


class SpaceRequest(RequestModel):
    space_name: str
    description: str | None = None
    color: str | None = None


class SpaceUpdateRequest(SpaceRequest):
    """A whole space as PUT sends it (built by bot.astravue.updates)."""

    CLEARABLE: ClassVar[frozenset[str]] = frozenset({"description"})


class ProjectDto(AstravueModel):
    tenant_id: int | None = None
    project_id: int = spelled("projectId", "id", "project_id")
    space_id: int | None = None
    project_name: str = spelled("projectName", "name", "project_name", default="")
    description: str | None = None
    status: Annotated[str | None, BeforeValidator(_name_of)] = None
    priority: Annotated[str | None, BeforeValidator(_name_of)] = None
    health: str | None = None
    start_date: UtcDateTime | None = None
    end_date: UtcDateTime | None = None
    budget: float | None = None
    created_by: UserDto | None = None
    create_time: UtcDateTime | None = None
    update_time: UtcDateTime | None = None


class ProjectRequest(RequestModel):
    project_name: str
    description: str | None = None
    status: str | None = None
    priority: str | None = None
    health: str | None = None
    start_date: UtcDateTime | None = None
    end_date: UtcDateTime | None = None
    budget: float | None = None


class ProjectUpdateRequest(ProjectRequest):
    """A whole project as PUT sends it (built by bot.astravue.updates)."""

    CLEARABLE: ClassVar[frozenset[str]] = frozenset(
        {"description", "start_date", "end_date", "budget"}
    )


class ProjectListResponse(AstravueModel):
    projects: Many[ProjectDto] = Field(default_factory=list)
    page: int | None = None
    size: int | None = None
    total_elements: int | None = None
    total_pages: int | None = None
    last: bool | None = None
