"""Pydantic models of the Astravue payloads, one module per area; every name is importable here.

The wire conventions (tolerant parsing, aliases, milliseconds) are in `base`.
"""

from bot.astravue.models.api_errors import (
    ApiError,
    FieldError,
)
from bot.astravue.models.base import (
    AstravueModel,
    Many,
    Milliseconds,
    RequestModel,
    UtcDateTime,
    spelled,
)
from bot.astravue.models.notifications import (
    NotificationDeleteRequestDto,
    NotificationDeleteResponseDto,
    NotificationDto,
    NotificationKind,
    NotificationOrder,
    NotificationReadRequest,
    NotificationReadResponseDto,
    page_order,
)
from bot.astravue.models.people import (
    OrgRoleDto,
    UserDto,
    UserRef,
)
from bot.astravue.models.projects import (
    ProjectDto,
    ProjectListResponse,
    ProjectRequest,
    ProjectUpdateRequest,
    SpaceDto,
    SpaceRequest,
    SpaceUpdateRequest,
)
from bot.astravue.models.tasks import (
    TaskCheckListDto,
    TaskCommentDto,
    TaskCreateRequest,
    TaskDto,
    TaskFields,
    TaskListResponse,
    TaskPriorityDto,
    TaskStatusDto,
    TaskUpdateRequest,
)
from bot.astravue.models.time_tracking import (
    TimerData,
    TimerRequest,
    TimerUpdateRequest,
    TimesheetGroup,
    TimesheetGroupBy,
    TimesheetReport,
    TimesheetSummary,
    TimeTrackerDto,
)

__all__ = [
    "ApiError",
    "AstravueModel",
    "FieldError",
    "Many",
    "Milliseconds",
    "NotificationDeleteRequestDto",
    "NotificationDeleteResponseDto",
    "NotificationDto",
    "NotificationKind",
    "NotificationOrder",
    "NotificationReadRequest",
    "NotificationReadResponseDto",
    "OrgRoleDto",
    "ProjectDto",
    "ProjectListResponse",
    "ProjectRequest",
    "ProjectUpdateRequest",
    "RequestModel",
    "SpaceDto",
    "SpaceRequest",
    "SpaceUpdateRequest",
    "TaskCheckListDto",
    "TaskCommentDto",
    "TaskCreateRequest",
    "TaskDto",
    "TaskFields",
    "TaskListResponse",
    "TaskPriorityDto",
    "TaskStatusDto",
    "TaskUpdateRequest",
    "TimeTrackerDto",
    "TimerData",
    "TimerRequest",
    "TimerUpdateRequest",
    "TimesheetGroup",
    "TimesheetGroupBy",
    "TimesheetReport",
    "TimesheetSummary",
    "UserDto",
    "UserRef",
    "UtcDateTime",
    "page_order",
    "spelled",
]
