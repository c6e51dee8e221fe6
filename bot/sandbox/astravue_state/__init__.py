"""The in-memory Astravue world behind the sandbox API.

Holds organisations, users, spaces, projects (with their statuses and priorities), tasks,
comments, checklist items, time entries and notifications, and enforces the product rules the
real service enforces (roles, one running timer per user, organisation scoping). Every change
that would notify someone in Astravue notifies them here too, so the bot's poller sees real
traffic. The HTTP layer (`astravue_api`) only parses requests and renders DTOs; tests and the
demo call these methods directly.

Mention rule: `@token` in a description or comment mentions the user of the same organisation
whose full email, email local part or first name equals the token (case-insensitive), e.g.
`@maria`, `@Maria` or `@maria@acme.test`. An `@` glued to a word (an email address in running
text) is not a mention.
"""

from bot.sandbox.astravue_state.entities import (
    ChecklistItem,
    Comment,
    Notification,
    Org,
    Priority,
    Project,
    Space,
    Status,
    Task,
    TimeEntry,
    Timesheet,
    TimesheetGroup,
    User,
)
from bot.sandbox.astravue_state.errors import (
    BadRequest,
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    SandboxError,
    Unauthorized,
    invalid,
)
from bot.sandbox.astravue_state.teammates import Teammates
from bot.sandbox.astravue_state.values import (
    ADMIN_ROLES,
    ASSIGNMENT,
    DEFAULT_HEALTH,
    DEFAULT_PRIORITY,
    DEFAULT_PROJECT_STATUS,
    DEFAULT_SPACE_COLOR,
    MANUAL,
    MENTION,
    PRIORITY_TEMPLATE,
    RANGE,
    ROLE_IDS,
    STATUS_CHANGE,
    STATUS_TEMPLATE,
    TIMER,
    UNSET,
    iso,
    millis,
    utc_now,
)


class AstravueState(Teammates):
    """Everything the fake Astravue knows: each concern lives in its own module (`directory`,
    `notifications`, `workspaces`, `tasks`, `time_tracking`, `teammates`), stacked in that
    order over the tables of `store`."""


__all__ = [
    "ADMIN_ROLES",
    "ASSIGNMENT",
    "DEFAULT_HEALTH",
    "DEFAULT_PRIORITY",
    "DEFAULT_PROJECT_STATUS",
    "DEFAULT_SPACE_COLOR",
    "MANUAL",
    "MENTION",
    "PRIORITY_TEMPLATE",
    "RANGE",
    "ROLE_IDS",
    "STATUS_CHANGE",
    "STATUS_TEMPLATE",
    "TIMER",
    "UNSET",
    "AstravueState",
    "BadRequest",
    "ChecklistItem",
    "Comment",
    "Conflict",
    "FieldError",
    "Forbidden",
    "NotFound",
    "Notification",
    "Org",
    "Priority",
    "Project",
    "SandboxError",
    "Space",
    "Status",
    "Task",
    "TimeEntry",
    "Timesheet",
    "TimesheetGroup",
    "Unauthorized",
    "User",
    "invalid",
    "iso",
    "millis",
    "utc_now",
]
