"""Pydantic models of the Astravue payloads (openapi.yaml components).

Most shapes are inferred, so parsing is tolerant: unknown fields are kept (`model_extra`),
ids may arrive as numeric strings, status and priority may be a name or an object, a `null`
collection is an empty one (`Many`), where two spellings of a field are plausible both are
read (`spelled`, one place per field), and datetimes are normalised to aware UTC. Attributes
are snake_case with the camelCase wire names as aliases; request models serialise back to
the wire names with `to_wire()`.

Durations: every duration on the wire is an integer number of MILLISECONDS (REFERENCE §1.5,
from Astravue's MCP docs). Such fields end in `_ms` here (`Milliseconds`), and each has a
`timedelta` property; nothing else in the app converts units.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, ClassVar, Literal, TypeVar

from pydantic import AfterValidator, AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.alias_generators import to_camel


def _as_utc(value: datetime) -> datetime:
    """Naive datetimes are taken as UTC (the API documents UTC); offsets are converted."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


UtcDateTime = Annotated[datetime, AfterValidator(_as_utc)]


Milliseconds = int  # see the module docstring: the one unit of every duration on the wire


def _ms(value: Milliseconds | None) -> timedelta | None:
    return None if value is None else timedelta(milliseconds=value)


T = TypeVar("T")


def _empty_if_null(value: Any) -> Any:
    return [] if value is None else value


# A collection that may arrive as `null` (Java serialises an unset List as null).
Many = Annotated[list[T], BeforeValidator(_empty_if_null)]


def spelled(*names: str, **field: Any) -> Any:
    """A field read under any of `names` (first present wins), e.g. `taskId` or `id`."""
    return Field(validation_alias=AliasChoices(*names), **field)


class AstravueModel(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True, alias_generator=to_camel)


class RequestModel(AstravueModel):
    # Fields sent as an explicit null when None: full update bodies clear them on purpose
    # (see bot.astravue.updates). Any other None field is left out of the body.
    CLEARABLE: ClassVar[frozenset[str]] = frozenset()

    def to_wire(self) -> dict[str, Any]:
        """The JSON body: camelCase names; None fields left out unless CLEARABLE."""
        wire = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        for name in self.CLEARABLE:
            if getattr(self, name) is None:
                wire[type(self).model_fields[name].alias or name] = None
        return wire


# --- people -----------------------------------------------------------------------------


class OrgRoleDto(AstravueModel):
    org_role_id: int | None = None
    role_name: str | None = None


class UserDto(AstravueModel):
    user_id: int | None = spelled("userId", "id", "user_id", default=None)
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    profile_pic_url: str | None = Field(
        default=None,
        alias="profilePicURL",
        validation_alias=AliasChoices("profilePicURL", "profilePicUrl", "profile_pic_url"),
    )
    profile_pic_name: str | None = None
    profile_pic_color: str | None = None
    provider: str | None = None
    new_user: bool | None = None
    is_tour_completed: bool | None = None
    about: str | None = None
    update_time: UtcDateTime | None = None
    expiry_date: UtcDateTime | None = None
    status: str | None = None
    role: OrgRoleDto | None = None

    @property
    def display_name(self) -> str:
        full = " ".join(part for part in (self.first_name, self.last_name) if part)
        return full or self.email or (f"user {self.user_id}" if self.user_id else "unknown")


def _user_from_id(value: Any) -> Any:
    """Some payloads list owners as bare ids (as requests do); accept both shapes."""
    if (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, str) and value.isdecimal()
    ):
        return {"userId": value}
    return value


UserRef = Annotated[UserDto, BeforeValidator(_user_from_id)]


# --- tasks ------------------------------------------------------------------------------


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


def _name_of(value: Any) -> Any:
    """Projects carry status/priority as names; take the name if an object arrives."""
    if isinstance(value, dict):
        for key in ("statusName", "priorityLabel", "name", "label"):
            if isinstance(value.get(key), str):
                return value[key]
    return value


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


class TaskCreateRequest(RequestModel):
    task_title: str
    description: str | None = None
    owners: list[int] | None = None
    start_date: UtcDateTime | None = None
    due_date: UtcDateTime | None = None
    completion: int | None = Field(default=None, ge=0, le=100)
    status: str | None = None
    priority: str | None = None
    tags: list[str] | None = None


class TaskUpdateRequest(RequestModel):
    """A whole task as PUT sends it (built by bot.astravue.updates)."""

    CLEARABLE: ClassVar[frozenset[str]] = frozenset({"description", "start_date", "due_date"})

    task_title: str | None = None
    description: str | None = None
    owners: list[int] | None = None
    start_date: UtcDateTime | None = None
    due_date: UtcDateTime | None = None
    completion: int | None = Field(default=None, ge=0, le=100)
    status: str | None = None
    priority: str | None = None
    tags: list[str] | None = None


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


# --- spaces and projects ----------------------------------------------------------------


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


# --- time tracking ----------------------------------------------------------------------


class TimerRequest(RequestModel):
    start_time: UtcDateTime | None = None
    end_time: UtcDateTime | None = None
    hours: int | None = Field(default=None, ge=0)
    minutes: int | None = Field(default=None, ge=0, le=59)
    billable: bool | None = None
    notes: str | None = None


class TimerUpdateRequest(RequestModel):
    """A whole time entry as PUT sends it (built by bot.astravue.updates)."""

    CLEARABLE: ClassVar[frozenset[str]] = frozenset({"notes"})

    start_time: UtcDateTime | None = None
    end_time: UtcDateTime | None = None
    billable: bool | None = None
    notes: str | None = None


class TimeTrackerDto(AstravueModel):
    time_tracker_id: int = spelled("timeTrackerId", "id", "time_tracker_id")
    task_id: int | None = None
    project_id: int | None = None
    user_id: int | None = None
    start_time: UtcDateTime | None = None
    end_time: UtcDateTime | None = None
    duration_ms: Milliseconds | None = Field(default=None, alias="duration")
    billable: bool | None = None
    notes: str | None = None
    entry_type: str | None = None
    running: bool | None = None

    @property
    def duration(self) -> timedelta | None:
        return _ms(self.duration_ms)


class TimerData(AstravueModel):
    time_tracker_id: int = spelled("timeTrackerId", "id", "time_tracker_id")
    task_id: int | None = None
    task_title: str | None = None
    project_id: int | None = None
    space_id: int | None = None
    start_time: UtcDateTime | None = None
    elapsed_ms: Milliseconds | None = Field(default=None, alias="elapsed")
    status: str | None = None

    @property
    def elapsed(self) -> timedelta | None:
        return _ms(self.elapsed_ms)


class _DurationTotals(AstravueModel):
    total_duration_ms: Milliseconds | None = Field(default=None, alias="totalDuration")
    billable_duration_ms: Milliseconds | None = Field(default=None, alias="billableDuration")
    non_billable_duration_ms: Milliseconds | None = Field(default=None, alias="nonBillableDuration")

    @property
    def total_duration(self) -> timedelta | None:
        return _ms(self.total_duration_ms)

    @property
    def billable_duration(self) -> timedelta | None:
        return _ms(self.billable_duration_ms)

    @property
    def non_billable_duration(self) -> timedelta | None:
        return _ms(self.non_billable_duration_ms)


class TimesheetGroup(_DurationTotals):
    """One member's or project's totals (`userId` or `projectId`, by the report's groupBy)."""

    user_id: int | None = None
    project_id: int | None = None
    name: str | None = None
    entry_count: int | None = None


class TimesheetReport(_DurationTotals):
    group_by: str | None = None
    entries: Many[TimeTrackerDto] = Field(default_factory=list)
    groups: Many[TimesheetGroup] = Field(default_factory=list)


class TimesheetSummary(_DurationTotals):
    project_id: int | None = None


TimesheetGroupBy = Literal["member", "project"]


# --- notifications ----------------------------------------------------------------------


class NotificationDto(AstravueModel):
    notification_id: int = spelled("notificationId", "id", "notification_id")
    type: str | None = None
    message: str = ""
    read: bool = spelled("read", "isRead", default=False)
    create_time: UtcDateTime | None = None
    actor: UserDto | None = None
    task_id: int | None = None
    project_id: int | None = None
    space_id: int | None = None
    comment_id: int | None = None


NotificationKind = Literal["NOTIFICATION", "MENTION"]
NotificationOrder = Literal["newest first", "oldest first"]
_EARLIEST = datetime.min.replace(tzinfo=UTC)


def page_order(items: list[NotificationDto]) -> NotificationOrder | None:
    """The order of a page of notifications by (creation time, id); None when it shows none
    (the API's order is not documented)."""
    keys = [(n.create_time or _EARLIEST, n.notification_id) for n in items]
    if len(set(keys)) < 2:
        return None
    if keys == sorted(keys, reverse=True):
        return "newest first"
    if keys == sorted(keys):
        return "oldest first"
    return None


class NotificationReadRequest(RequestModel):
    notification_ids: list[int] | None = None
    mark_all: bool | None = None


class NotificationReadResponseDto(AstravueModel):
    updated_count: int | None = None
    notification_ids: Many[int] = Field(default_factory=list)


class NotificationDeleteRequestDto(RequestModel):
    notification_ids: list[int] = Field(min_length=1)


class NotificationDeleteResponseDto(AstravueModel):
    deleted_count: int | None = None
    notification_ids: Many[int] = Field(default_factory=list)


# --- errors -----------------------------------------------------------------------------


class FieldError(AstravueModel):
    field: str | None = None
    message: str | None = None
    rejected_value: Any = None


class ApiError(AstravueModel):
    success: bool | None = None
    message: str | None = None
    code: int | None = None
    errors: Many[FieldError] = Field(default_factory=list)
    timestamp: UtcDateTime | None = None
    path: str | None = None
