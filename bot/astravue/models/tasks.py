"""Tasks, their comments and checklists, and the requests that write them."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator, Field

from bot.astravue.models.base import AstravueModel, Many, RequestModel, UtcDateTime, spelled
from bot.astravue.models.people import UserDto, UserRef


class TaskPriorityDto(AstravueModel):
    tenant_id: int | None = None
    task_priority_id: int | None = None
    priority_label: str | None = None
    color: str | None = None
    created_by: UserDto | None = None
    modified_by: UserDto | None = None
    is_default: bool | None = Field(default=None, alias="default")
    primary: bool | None = None


class TaskStatusDto(AstravueModel):
    tenant_id: int | None = None
    task_status_id: int | None = None
    status_name: str | None = None
    color: str | None = None
    status_category: str | None = None
    project_id: int | None = None
    space_id: int | None = None
    created_by: UserDto | None = None
    modified_by: UserDto | None = None


def _named(key: str) -> Any:
    """Wrap a bare name into the object shape the API returns elsewhere."""

    def wrap(value: Any) -> Any:
        return {key: value} if isinstance(value, str) else value

    return wrap


class TaskDto(AstravueModel):
    tenant_id: int | None = None
    task_id: int = spelled("taskId", "id", "task_id")
    task_title: str = spelled("taskTitle", "title", "task_title", default="")
    description: str | None = None
    description_mentioned_user_ids: Many[int] = Field(default_factory=list)
    start_date: UtcDateTime | None = None
    due_date: UtcDateTime | None = None
    completion: int | None = None
    priority: Annotated[TaskPriorityDto | None, BeforeValidator(_named("priorityLabel"))] = None
    status: Annotated[TaskStatusDto | None, BeforeValidator(_named("statusName"))] = None
    owners: Many[UserRef] = Field(default_factory=list)
    tags: Many[str] = Field(default_factory=list)
    project_id: int | None = None
    space_id: int | None = None
    parent_task_id: int | None = None
    created_by: UserDto | None = None
    modified_by: UserDto | None = None
    create_time: UtcDateTime | None = None
    update_time: UtcDateTime | None = None

    @property
    def status_name(self) -> str | None:
        return self.status.status_name if self.status else None

    @property
    def priority_label(self) -> str | None:
        return self.priority.priority_label if self.priority else None


class TaskFields(RequestModel):
    """The writable fields of a task, shared by the create and the whole-task update bodies."""

    task_title: str | None = None
    description: str | None = None
    owners: list[int] | None = None
    start_date: UtcDateTime | None = None
    due_date: UtcDateTime | None = None
    completion: int | None = Field(default=None, ge=0, le=100)
    status: str | None = None
    priority: str | None = None
    tags: list[str] | None = None


class TaskCreateRequest(TaskFields):
    task_title: str


class TaskUpdateRequest(TaskFields):
    """A whole task as PUT sends it (built by bot.astravue.updates)."""

    CLEARABLE: ClassVar[frozenset[str]] = frozenset({"description", "start_date", "due_date"})


class TaskListResponse(AstravueModel):
    tasks: Many[TaskDto] = Field(default_factory=list)
    page: int | None = None
    size: int | None = None
    total_elements: int | None = None
    total_pages: int | None = None
    last: bool | None = None


class TaskCommentDto(AstravueModel):
    comment_id: int = spelled("commentId", "id", "comment_id")
    task_id: int | None = None
    comment: str = ""
    mentioned_user_ids: Many[int] = Field(default_factory=list)
    parent_comment_id: int | None = None
    created_by: UserDto | None = None
    create_time: UtcDateTime | None = None
    update_time: UtcDateTime | None = None


class TaskCheckListDto(AstravueModel):
    check_list_id: int = spelled("checkListId", "checklistId", "id", "check_list_id")
    task_id: int | None = None
    title: str = ""
    completed: bool = spelled("completed", "isCompleted", default=False)
    position: int | None = None
    created_by: UserDto | None = None
    create_time: UtcDateTime | None = None
