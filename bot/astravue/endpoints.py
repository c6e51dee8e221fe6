"""The one table of Astravue operations: name -> HTTP method and path template.

Most paths are inferred, not documented, so they live here and nowhere else: correcting one
is a one-line change. Names are the operationIds of openapi.yaml; the Keycloak operations the
spec does not list (refresh, revoke, userinfo) get names in the same style. REST paths are
relative to ASTRAVUE_API_URL, Keycloak paths to ASTRAVUE_AUTH_URL (the realm URL).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Confidence = Literal["documented", "partial", "inferred"]
Base = Literal["api", "auth"]

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    confidence: Confidence
    base: Base = "api"

    @property
    def idempotent(self) -> bool:
        """Whether resending after an unknown outcome is harmless (POST creates and starts)."""
        return self.method != "POST"

    @property
    def placeholders(self) -> frozenset[str]:
        return frozenset(_PLACEHOLDER.findall(self.path))

    def build(self, **params: int) -> str:
        """The concrete path. Ids must be ints, so no caller text can reshape the URL."""
        if set(params) != self.placeholders:
            raise ValueError(f"{self.name} needs {sorted(self.placeholders)}, got {sorted(params)}")
        for key, value in params.items():
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{self.name}: {key} must be an int, got {type(value).__name__}")
        return self.path.format(**params)


_OIDC = "/protocol/openid-connect"

_TABLE: tuple[Endpoint, ...] = (
    # Keycloak (relative to the realm URL)
    Endpoint("authorize", "GET", f"{_OIDC}/auth", "documented", "auth"),
    Endpoint("getAccessAndRefreshToken", "POST", f"{_OIDC}/token", "partial", "auth"),
    Endpoint("refreshAccessToken", "POST", f"{_OIDC}/token", "documented", "auth"),
    Endpoint("revokeToken", "POST", f"{_OIDC}/revoke", "inferred", "auth"),
    Endpoint("userinfo", "GET", f"{_OIDC}/userinfo", "inferred", "auth"),
    # Personal tasks
    Endpoint("listPersonalTasks", "GET", "/v1/tasks", "inferred"),
    Endpoint("createPersonalTask", "POST", "/v1/tasks", "partial"),
    Endpoint("getPersonalTask", "GET", "/v1/tasks/{taskId}", "inferred"),
    Endpoint("updatePersonalTask", "PUT", "/v1/tasks/{taskId}", "inferred"),
    Endpoint("deletePersonalTask", "DELETE", "/v1/tasks/{taskId}", "inferred"),
    # Spaces
    Endpoint("listSpaces", "GET", "/v1/spaces", "partial"),
    Endpoint("createSpace", "POST", "/v1/spaces", "partial"),
    Endpoint("getSpace", "GET", "/v1/spaces/{spaceId}", "inferred"),
    Endpoint("updateSpace", "PUT", "/v1/spaces/{spaceId}", "inferred"),
    Endpoint("deleteSpace", "DELETE", "/v1/spaces/{spaceId}", "inferred"),
    # Projects
    Endpoint("listProjects", "GET", "/v1/spaces/{spaceId}/projects", "inferred"),
    Endpoint("createProject", "POST", "/v1/spaces/{spaceId}/projects", "partial"),
    Endpoint("getProject", "GET", "/v1/spaces/{spaceId}/projects/{projectId}", "partial"),
    Endpoint("updateProject", "PUT", "/v1/spaces/{spaceId}/projects/{projectId}", "inferred"),
    Endpoint("deleteProject", "DELETE", "/v1/spaces/{spaceId}/projects/{projectId}", "inferred"),
    # Project tasks
    Endpoint(
        "listProjectTasks", "GET", "/v1/spaces/{spaceId}/projects/{projectId}/tasks", "partial"
    ),
    Endpoint(
        "createProjectTask", "POST", "/v1/spaces/{spaceId}/projects/{projectId}/tasks", "inferred"
    ),
    Endpoint(
        "getProjectTask",
        "GET",
        "/v1/spaces/{spaceId}/projects/{projectId}/tasks/{taskId}",
        "inferred",
    ),
    Endpoint(
        "updateProjectTask",
        "PUT",
        "/v1/spaces/{spaceId}/projects/{projectId}/tasks/{taskId}",
        "inferred",
    ),
    Endpoint(
        "deleteProjectTask",
        "DELETE",
        "/v1/spaces/{spaceId}/projects/{projectId}/tasks/{taskId}",
        "inferred",
    ),
    # Subtasks, comments, checklists (read-only in the public REST docs)
    Endpoint(
        "listProjectSubtasks",
        "GET",
        "/v1/spaces/{spaceId}/projects/{projectId}/tasks/{taskId}/subtasks",
        "inferred",
    ),
    Endpoint("listPersonalSubtasks", "GET", "/v1/tasks/{taskId}/subtasks", "inferred"),
    Endpoint("listTaskComments", "GET", "/v1/tasks/{taskId}/comments", "inferred"),
    Endpoint("listTaskChecklists", "GET", "/v1/tasks/{taskId}/checklists", "inferred"),
    Endpoint(
        "listSubtaskChecklists",
        "GET",
        "/v1/tasks/{taskId}/subtasks/{subtaskId}/checklists",
        "inferred",
    ),
    # Time tracking
    Endpoint("listTaskTimers", "GET", "/v1/time-track/tasks/{taskId}", "inferred"),
    Endpoint("listActiveTimers", "GET", "/v1/time-track/active", "inferred"),
    Endpoint("updateTimer", "PUT", "/v1/time-track/{timeTrackerId}", "inferred"),
    Endpoint("deleteTimer", "DELETE", "/v1/time-track/{timeTrackerId}", "inferred"),
    Endpoint("stopTimer", "PUT", "/v1/time-track/tasks/{taskId}/stop", "inferred"),
    Endpoint("startPersonalTaskTimer", "POST", "/v1/time-track/tasks/{taskId}/start", "inferred"),
    Endpoint("addPersonalTaskRange", "POST", "/v1/time-track/tasks/{taskId}/range", "partial"),
    Endpoint("addPersonalTaskManual", "POST", "/v1/time-track/tasks/{taskId}/manual", "inferred"),
    Endpoint(
        "startProjectTaskTimer",
        "POST",
        "/v1/time-track/projects/{projectId}/tasks/{taskId}/start",
        "inferred",
    ),
    Endpoint(
        "addProjectTaskRange",
        "POST",
        "/v1/time-track/projects/{projectId}/tasks/{taskId}/range",
        "partial",
    ),
    Endpoint(
        "addProjectTaskManual",
        "POST",
        "/v1/time-track/projects/{projectId}/tasks/{taskId}/manual",
        "partial",
    ),
    # Timesheets
    Endpoint("getGlobalTimesheet", "GET", "/v1/time-track/timesheet", "inferred"),
    Endpoint(
        "getProjectTimesheet", "GET", "/v1/time-track/projects/{projectId}/timesheet", "inferred"
    ),
    Endpoint(
        "getProjectTimesheetSummary",
        "GET",
        "/v1/time-track/projects/{projectId}/timesheet/summary",
        "inferred",
    ),
    # Notifications and mentions
    Endpoint("listNotifications", "GET", "/v1/notifications", "inferred"),
    Endpoint("markNotificationsRead", "PUT", "/v1/notifications/read", "inferred"),
    Endpoint("deleteNotifications", "DELETE", "/v1/notifications", "inferred"),
)

ENDPOINTS: dict[str, Endpoint] = {endpoint.name: endpoint for endpoint in _TABLE}


# The facts about the API the client relies on beyond the paths above, each with where it
# comes from (REFERENCE.md). `astravue-bot api-probe` checks each against the live API.
FACTS: tuple[tuple[str, Confidence | Literal["from-MCP", "unknown"]], ...] = (
    ("every answer is {success, message, code, data}; creations answer 200", "documented"),
    ("X-Org-Id header on every /v1 call, an integer organisation id", "documented"),
    ("ids are integers (the client also reads numeric strings)", "documented"),
    ("date-times are ISO-8601 UTC with Z (naive ones are read as UTC)", "documented"),
    ("task status and priority are sent by name, answered as objects", "documented"),
    ("durations are integer milliseconds (models.py: Milliseconds)", "from-MCP"),
    ("lists take 0-based page and size; tasks/projects come wrapped with totals", "inferred"),
    ("other lists are bare arrays (the client reads every usual envelope)", "inferred"),
    ("notifications are listed newest first (the poller does not rely on it)", "inferred"),
    ("PUT replaces or patches: not documented (api-probe --write tells)", "unknown"),
)
