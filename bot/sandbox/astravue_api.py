"""The sandbox Astravue REST API: the /v1 operations of openapi.yaml over an `AstravueState`.

This layer authenticates (bearer token through the caller's `authenticate`, then `X-Org-Id`),
parses query strings and JSON bodies into typed values, calls the state (which owns every
rule) and renders DTOs inside the success envelope. Every failure answers the ApiError body.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from starlette.applications import Starlette
from starlette.datastructures import QueryParams
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.sandbox.astravue_state import (
    DEFAULT_HEALTH,
    DEFAULT_PRIORITY,
    DEFAULT_PROJECT_STATUS,
    DEFAULT_SPACE_COLOR,
    ROLE_IDS,
    UNSET,
    AstravueState,
    BadRequest,
    ChecklistItem,
    Comment,
    FieldError,
    Forbidden,
    Notification,
    Priority,
    Project,
    SandboxError,
    Space,
    Status,
    Task,
    TimeEntry,
    Timesheet,
    Unauthorized,
    invalid,
    iso,
)
from bot.sandbox.dialect import Dialect
from bot.sandbox.faults import FaultMiddleware, Faults

JSON = dict[str, Any]
T = TypeVar("T")
SUCCESS_MESSAGE = "Operation completed successfully"
MAX_PAGE_SIZE = 100
TASK_SORT_FIELDS = ("createTime", "dueDate", "startDate", "priority", "status", "taskTitle")
# JSON field of TaskCreateRequest/TaskUpdateRequest -> keyword of AstravueState.*_task
_TASK_KWARGS = {
    "taskTitle": "title",
    "description": "description",
    "owners": "owners",
    "status": "status",
    "priority": "priority",
    "startDate": "start_date",
    "dueDate": "due_date",
    "completion": "completion",
    "tags": "tags",
}


def _opt_iso(moment: datetime | None) -> str | None:
    return iso(moment) if moment is not None else None


# ---- request parsing ----------------------------------------------------------------------


class _Body:
    """Reads typed fields from a JSON object, collecting every field error before failing."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.errors: list[FieldError] = []

    def __contains__(self, name: str) -> bool:
        return name in self.data

    def fail(self, name: str, message: str) -> None:
        self.errors.append(FieldError(name, message, self.data.get(name)))

    def _present(self, name: str, *, required: bool, nullable: bool) -> bool:
        """Whether there is a non-null value to parse; records missing/null errors."""
        if self.data.get(name) is not None:
            return True
        if required:
            self.fail(name, "is required")
        elif name in self.data and not nullable:
            self.fail(name, "must not be null")
        return False

    def text(self, name: str, *, required: bool = False, nullable: bool = False) -> str | None:
        if not self._present(name, required=required, nullable=nullable):
            return None
        value = self.data[name]
        if not isinstance(value, str):
            self.fail(name, "must be a string")
            return None
        if required and not value.strip():
            self.fail(name, "must not be blank")
            return None
        return value

    def named(self, name: str, keys: Sequence[str]) -> str | None:
        """A status/priority given by name, or (tolerated) an object carrying the name."""
        value = self.data.get(name)
        if isinstance(value, Mapping):
            value = next((value[k] for k in keys if isinstance(value.get(k), str)), None)
        if name in self.data and not (isinstance(value, str) and value.strip()):
            self.fail(name, "must be a non-empty name")
            return None
        return value

    def integer(
        self, name: str, *, minimum: int | None = None, maximum: int | None = None
    ) -> int | None:
        if not self._present(name, required=False, nullable=False):
            return None
        value = self.data[name]
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(name, "must be an integer")
            return None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            bounds = (
                f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
            )
            self.fail(name, f"must be {bounds}")
            return None
        return value

    def number(self, name: str, *, nullable: bool = False) -> float | None:
        if not self._present(name, required=False, nullable=nullable):
            return None
        value = self.data[name]
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            self.fail(name, "must be a non-negative number")
            return None
        return float(value)

    def boolean(self, name: str) -> bool | None:
        if not self._present(name, required=False, nullable=False):
            return None
        value = self.data[name]
        if not isinstance(value, bool):
            self.fail(name, "must be true or false")
            return None
        return value

    def moment(
        self, name: str, *, required: bool = False, nullable: bool = False
    ) -> datetime | None:
        if not self._present(name, required=required, nullable=nullable):
            return None
        parsed = _parse_datetime(self.data[name])
        if parsed is None:
            self.fail(name, "must be an ISO-8601 date-time such as 2024-05-01T09:00:00Z")
        return parsed

    def day(self, name: str) -> date | None:
        if not self._present(name, required=False, nullable=False):
            return None
        try:
            return date.fromisoformat(str(self.data[name]))
        except ValueError:
            self.fail(name, "must be a date such as 2024-05-01")
            return None

    def ids(self, name: str, *, required: bool = False) -> list[int] | None:
        if not self._present(name, required=required, nullable=False):
            return None
        value = self.data[name]
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            self.fail(name, "must be a list of integer ids")
            return None
        if required and not value:
            self.fail(name, "must not be empty")
            return None
        return value

    def texts(self, name: str) -> list[str] | None:
        if not self._present(name, required=False, nullable=False):
            return None
        value = self.data[name]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(name, "must be a list of strings")
            return None
        return value

    def check(self) -> None:
        if self.errors:
            fields = ", ".join(e.field for e in self.errors)
            raise BadRequest(f"Validation failed for {fields}", self.errors)


def _parse_datetime(value: object) -> datetime | None:
    """ISO-8601 (`Z` or offset); a value without zone is taken as UTC."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _task_fields(body: _Body, *, creating: bool) -> dict[str, Any]:
    """Keyword arguments for `create_task`/`update_task` from a task request body."""
    readers: dict[str, Callable[[str], object]] = {
        "taskTitle": lambda n: body.text(n, required=True),
        "description": lambda n: body.text(n, nullable=True),
        "owners": body.ids,
        "status": lambda n: body.named(n, ("statusName", "name")),
        "priority": lambda n: body.named(n, ("priorityLabel", "label", "name")),
        "startDate": lambda n: body.moment(n, nullable=True),
        "dueDate": lambda n: body.moment(n, nullable=True),
        "completion": lambda n: body.integer(n, minimum=0, maximum=100),
        "tags": body.texts,
    }
    wanted = [n for n in readers if n in body or (creating and n == "taskTitle")]
    fields = {_TASK_KWARGS[n]: readers[n](n) for n in wanted}
    body.check()
    if creating:  # null on create means "not given": let the state apply its defaults
        fields = {k: v for k, v in fields.items() if v is not None}
    return fields


def _query_int(
    query: QueryParams, name: str, default: int, *, minimum: int, maximum: int | None = None
) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid(name, "must be an integer", raw) from None
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f"between {minimum} and {maximum}" if maximum else f"at least {minimum}"
        raise invalid(name, f"must be {bounds}", raw)
    return value


def _query_choice(query: QueryParams, name: str, choices: Sequence[str], default: str) -> str:
    """One of `choices`, matched case-insensitively, returned in its canonical spelling."""
    raw = query.get(name)
    if raw is None:
        return default
    for choice in choices:
        if choice.lower() == raw.lower():
            return choice
    raise invalid(name, f"must be one of {', '.join(choices)}", raw)


def _query_bool(query: QueryParams, name: str) -> bool | None:
    raw = query.get(name)
    if raw is None:
        return None
    return _query_choice(query, name, ("true", "false"), raw) == "true"


def _query_date(query: QueryParams, name: str) -> date | None:
    raw = query.get(name)
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise invalid(name, "must be a date such as 2024-05-01", raw) from None


def _page_of(query: QueryParams, items: Sequence[T], dialect: Dialect) -> tuple[list[T], int, int]:
    page = 0 if dialect.ignores_paging else _query_int(query, "page", 0, minimum=0)
    size = _query_int(query, "size", 20, minimum=1, maximum=MAX_PAGE_SIZE)
    return list(items[page * size : (page + 1) * size]), page, size


# ---- rendering ----------------------------------------------------------------------------


class _Render:
    """DTOs as openapi.yaml names them, built from state records."""

    def __init__(self, state: AstravueState) -> None:
        self.state = state

    def user(self, user_id: int | None) -> JSON | None:
        user = self.state.users.get(user_id) if user_id is not None else None
        if user is None:
            return None
        return {
            "userId": user.user_id,
            "firstName": user.first_name,
            "lastName": user.last_name,
            "email": user.email,
            "profilePicURL": None,
            "profilePicName": None,
            "profilePicColor": "#607D8B",
            "provider": "keycloak",
            "newUser": False,
            "isTourCompleted": True,
            "about": "",
            "updateTime": iso(user.created_at),
            "expiryDate": None,
            "status": "ACTIVE",
            "role": {"orgRoleId": ROLE_IDS[user.role], "roleName": user.role},
        }

    def status(self, status: Status) -> JSON:
        return {
            "tenantId": status.org_id,
            "taskStatusId": status.status_id,
            "statusName": status.name,
            "color": status.color,
            "statusCategory": status.category,
            "projectId": status.project_id,
            "spaceId": status.space_id,
            "createdBy": self.user(status.created_by),
            "modifiedBy": self.user(status.created_by),
        }

    def priority(self, priority: Priority) -> JSON:
        return {
            "tenantId": priority.org_id,
            "taskPriorityId": priority.priority_id,
            "priorityLabel": priority.label,
            "color": priority.color,
            "createdBy": self.user(priority.created_by),
            "modifiedBy": self.user(priority.created_by),
            "default": priority.is_default,
            "primary": priority.is_default,
        }

    def task(self, task: Task) -> JSON:
        return {
            "tenantId": task.org_id,
            "taskId": task.task_id,
            "taskTitle": task.title,
            "description": task.description,
            "descriptionMentionedUserIds": list(task.mentioned_ids),
            "startDate": _opt_iso(task.start_date),
            "dueDate": _opt_iso(task.due_date),
            "completion": task.completion,
            "priority": self.priority(self.state.priority_of(task)),
            "status": self.status(self.state.status_of(task)),
            "owners": [self.user(uid) for uid in task.owner_ids],
            "tags": list(task.tags),
            "projectId": task.project_id,
            "spaceId": task.space_id,
            "parentTaskId": task.parent_id,
            "createdBy": self.user(task.created_by),
            "modifiedBy": self.user(task.modified_by),
            "createTime": iso(task.created_at),
            "updateTime": iso(task.updated_at),
        }

    def space(self, space: Space) -> JSON:
        return {
            "tenantId": space.org_id,
            "spaceId": space.space_id,
            "spaceName": space.name,
            "description": space.description,
            "color": space.color,
            "createdBy": self.user(space.created_by),
            "createTime": iso(space.created_at),
            "updateTime": iso(space.updated_at),
        }

    def project(self, project: Project) -> JSON:
        return {
            "tenantId": project.org_id,
            "projectId": project.project_id,
            "spaceId": project.space_id,
            "projectName": project.name,
            "description": project.description,
            "status": project.status,
            "priority": project.priority,
            "health": project.health,
            "startDate": _opt_iso(project.start_date),
            "endDate": _opt_iso(project.end_date),
            "budget": project.budget,
            "createdBy": self.user(project.created_by),
            "createTime": iso(project.created_at),
            "updateTime": iso(project.updated_at),
        }

    def comment(self, comment: Comment) -> JSON:
        return {
            "commentId": comment.comment_id,
            "taskId": comment.task_id,
            "comment": comment.text,
            "mentionedUserIds": list(comment.mentioned_ids),
            "parentCommentId": comment.parent_comment_id,
            "createdBy": self.user(comment.created_by),
            "createTime": iso(comment.created_at),
            "updateTime": iso(comment.updated_at),
        }

    def checklist_item(self, item: ChecklistItem) -> JSON:
        return {
            "checkListId": item.checklist_id,
            "taskId": item.task_id,
            "title": item.title,
            "completed": item.completed,
            "position": item.position,
            "createdBy": self.user(item.created_by),
            "createTime": iso(item.created_at),
        }

    def entry(self, entry: TimeEntry) -> JSON:
        return {
            "timeTrackerId": entry.entry_id,
            "taskId": entry.task_id,
            "projectId": entry.project_id,
            "userId": entry.user_id,
            "startTime": iso(entry.start),
            "endTime": _opt_iso(entry.end),
            "duration": entry.duration_ms(self.state.now()),
            "billable": entry.billable,
            "notes": entry.notes,
            "entryType": entry.entry_type,
            "running": entry.running,
        }

    def timer(self, entry: TimeEntry) -> JSON:
        task = self.state.tasks[entry.task_id]
        return {
            "timeTrackerId": entry.entry_id,
            "taskId": entry.task_id,
            "taskTitle": task.title,
            "projectId": task.project_id,
            "spaceId": task.space_id,
            "startTime": iso(entry.start),
            "elapsed": entry.duration_ms(self.state.now()),
            "status": "RUNNING",
        }

    def notification(self, notification: Notification) -> JSON:
        return {
            "notificationId": notification.notification_id,
            "type": notification.type,
            "message": notification.message,
            "read": notification.read,
            "createTime": iso(notification.created_at),
            "actor": self.user(notification.actor_id),
            "taskId": notification.task_id,
            "projectId": notification.project_id,
            "spaceId": notification.space_id,
            "commentId": notification.comment_id,
        }

    def timesheet(self, sheet: Timesheet) -> JSON:
        key_name = "userId" if sheet.group_by == "member" else "projectId"
        return {
            "groupBy": sheet.group_by,
            **_totals(sheet.total_ms, sheet.billable_ms),
            "entries": [self.entry(e) for e in sheet.entries],
            # Not in the reconstructed schema, which has nowhere to put the grouping.
            "groups": [
                {
                    key_name: g.key,
                    "name": g.name,
                    "entryCount": len(g.entries),
                    **_totals(g.total_ms, g.billable_ms),
                }
                for g in sheet.groups
            ],
        }


def _totals(total_ms: int, billable_ms: int) -> JSON:
    return {
        "totalDuration": total_ms,
        "billableDuration": billable_ms,
        "nonBillableDuration": total_ms - billable_ms,
    }


# ---- endpoints ----------------------------------------------------------------------------


@dataclass
class _Call:
    """One authenticated request: who, in which org, and its parsed parts."""

    actor_id: int
    org_id: int
    path: Mapping[str, int]
    query: QueryParams
    body: _Body


Handler = Callable[[_Call], Awaitable[object]]


class _AstravueApi:
    def __init__(
        self, state: AstravueState, authenticate: Callable[[str], int | None], dialect: Dialect
    ) -> None:
        self.state = state
        self.authenticate = authenticate
        self.dialect = dialect
        self.render = _Render(state)

    @property
    def _put_replaces(self) -> bool:
        """PUT replaces the whole object: the state's own switch or the dialect's (which a test
        may change while the sandbox runs)."""
        return self.state.put_replaces or self.dialect.put_replaces

    def routes(self) -> list[Route]:
        task = "/v1/tasks/{task_id:int}"
        space = "/v1/spaces/{space_id:int}"
        project = space + "/projects/{project_id:int}"
        project_task = project + "/tasks/{task_id:int}"
        timer_task = "/v1/time-track/tasks/{task_id:int}"
        timer_project_task = "/v1/time-track/projects/{project_id:int}/tasks/{task_id:int}"
        table: list[tuple[str, str, Handler]] = [
            ("GET", "/v1/tasks", self.list_personal_tasks),
            ("POST", "/v1/tasks", self.create_personal_task),
            ("GET", task, self.get_personal_task),
            ("PUT", task, self.update_personal_task),
            ("DELETE", task, self.delete_personal_task),
            ("GET", task + "/subtasks", self.list_subtasks),
            ("GET", task + "/comments", self.list_comments),
            ("GET", task + "/checklists", self.list_checklists),
            ("GET", task + "/subtasks/{subtask_id:int}/checklists", self.list_subtask_checklists),
            ("GET", "/v1/spaces", self.list_spaces),
            ("POST", "/v1/spaces", self.create_space),
            ("GET", space, self.get_space),
            ("PUT", space, self.update_space),
            ("DELETE", space, self.delete_space),
            ("GET", space + "/projects", self.list_projects),
            ("POST", space + "/projects", self.create_project),
            ("GET", project, self.get_project),
            ("PUT", project, self.update_project),
            ("DELETE", project, self.delete_project),
            ("GET", project + "/tasks", self.list_project_tasks),
            ("POST", project + "/tasks", self.create_project_task),
            ("GET", project_task, self.get_project_task),
            ("PUT", project_task, self.update_project_task),
            ("DELETE", project_task, self.delete_project_task),
            ("GET", project_task + "/subtasks", self.list_project_subtasks),
            ("GET", timer_task, self.list_task_timers),
            ("GET", "/v1/time-track/active", self.list_active_timers),
            ("PUT", "/v1/time-track/{tracker_id:int}", self.update_timer),
            ("DELETE", "/v1/time-track/{tracker_id:int}", self.delete_timer),
            ("PUT", timer_task + "/stop", self.stop_timer),
            ("POST", timer_task + "/start", self.start_timer),
            ("POST", timer_project_task + "/start", self.start_timer),
            ("POST", timer_task + "/range", self.add_range),
            ("POST", timer_project_task + "/range", self.add_range),
            ("POST", timer_task + "/manual", self.add_manual),
            ("POST", timer_project_task + "/manual", self.add_manual),
            ("GET", "/v1/time-track/timesheet", self.global_timesheet),
            ("GET", "/v1/time-track/projects/{project_id:int}/timesheet", self.project_timesheet),
            (
                "GET",
                "/v1/time-track/projects/{project_id:int}/timesheet/summary",
                self.project_timesheet_summary,
            ),
            ("GET", "/v1/notifications", self.list_notifications),
            ("PUT", "/v1/notifications/read", self.mark_notifications_read),
            ("DELETE", "/v1/notifications", self.delete_notifications),
        ]
        return [
            Route(path, self._endpoint(handler), methods=[method])
            for method, path, handler in table
        ]

    # -- plumbing --

    def _endpoint(self, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            self.state.requests.append(
                (request.method, request.url.path, request.headers.get("x-org-id"))
            )
            try:
                call = await self._call(request)
                data = self.dialect.data(await handler(call))
            except SandboxError as exc:
                return self.error_response(request, exc)
            return JSONResponse(
                {"success": True, "message": SUCCESS_MESSAGE, "code": 200, "data": data}
            )

        return endpoint

    async def _call(self, request: Request) -> _Call:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        user_id = self.authenticate(token) if scheme.lower() == "bearer" and token else None
        user = self.state.users.get(user_id) if user_id is not None else None
        if user is None:
            raise Unauthorized(
                "Full authentication is required: the bearer token is missing, invalid or expired"
            )
        raw_org = request.headers.get("x-org-id")
        try:
            org_id = int(raw_org or "")
        except ValueError:
            raise invalid(
                "X-Org-Id", "header is required and must be an integer organisation id", raw_org
            ) from None
        if org_id != user.org_id:
            raise Forbidden(f"You do not have access to organisation {org_id}")
        return _Call(
            user.user_id,
            org_id,
            request.path_params,
            request.query_params,
            _Body(await _json_object(request)),
        )

    def error_response(self, request: Request, exc: SandboxError) -> JSONResponse:
        return self._error(request, exc.status, exc.message, exc.errors)

    async def http_error(self, request: Request, exc: Exception) -> Response:
        """Unknown paths and wrong methods answer the ApiError body too."""
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        what = "Method not allowed on" if status == 405 else "No endpoint"
        return self._error(request, status, f"{what} {request.method} {request.url.path}", ())

    def _error(
        self, request: Request, status: int, message: str, errors: Sequence[FieldError]
    ) -> JSONResponse:
        body = {
            "success": False,
            "message": message,
            "code": status,
            "errors": [
                {"field": e.field, "message": e.message, "rejectedValue": e.rejected_value}
                for e in errors
            ],
            "timestamp": iso(self.state.now()),
            "path": request.url.path,
        }
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(body, status_code=status, headers=headers)

    def _tasks_page(self, call: _Call, tasks: list[Task]) -> object:
        return self._paged(call, "tasks", self._sorted_tasks(call.query, tasks), self.render.task)

    def _paged(
        self, call: _Call, key: str, items: Sequence[T], render: Callable[[T], JSON]
    ) -> object:
        """A list documented with a wrapper key and totals."""
        chunk, page, size = _page_of(call.query, items, self.dialect)
        return self.dialect.page(
            key, [render(item) for item in chunk], page=page, size=size, total=len(items)
        )

    def _array(
        self, items: Sequence[T], render: Callable[[T], JSON], call: _Call | None = None
    ) -> object:
        """A list inferred to be a bare array (paged by `page`/`size` when `call` is given)."""
        if call is None:
            return self.dialect.listing([render(item) for item in items])
        chunk, page, size = _page_of(call.query, items, self.dialect)
        return self.dialect.listing(
            [render(item) for item in chunk], page=page, size=size, total=len(items)
        )

    def _sorted_tasks(self, query: QueryParams, tasks: list[Task]) -> list[Task]:
        """Sorted by `sortBy`; tasks without a value for it come last either way."""
        sort_by = _query_choice(query, "sortBy", TASK_SORT_FIELDS, "createTime")
        descending = _query_choice(query, "sortDirection", ("ASC", "DESC"), "ASC") == "DESC"
        keys: dict[str, Callable[[Task], Any]] = {
            "createTime": lambda t: (t.created_at, t.task_id),
            "dueDate": lambda t: t.due_date,
            "startDate": lambda t: t.start_date,
            "priority": lambda t: self.state.priority_of(t).position,
            "status": lambda t: self.state.status_of(t).position,
            "taskTitle": lambda t: t.title.lower(),
        }
        key = keys[sort_by]
        present = sorted((t for t in tasks if key(t) is not None), key=key, reverse=descending)
        return present + [t for t in tasks if key(t) is None]

    # -- personal tasks --

    async def list_personal_tasks(self, call: _Call) -> object:
        return self._tasks_page(call, self.state.personal_tasks(call.actor_id))

    async def create_personal_task(self, call: _Call) -> JSON:
        fields = _task_fields(call.body, creating=True)
        return self.render.task(self.state.create_task(call.actor_id, **fields))

    async def get_personal_task(self, call: _Call) -> JSON:
        return self.render.task(self.state.personal_task(call.actor_id, call.path["task_id"]))

    async def update_personal_task(self, call: _Call) -> JSON:
        return self._update_task(
            call, self.state.personal_task(call.actor_id, call.path["task_id"])
        )

    def _update_task(self, call: _Call, task: Task) -> JSON:
        if not self._put_replaces:
            fields = _task_fields(call.body, creating=False)
        else:  # what the body leaves out takes the value a new task gets
            defaults: dict[str, Any] = {
                "description": None,
                "owners": [],
                "tags": [],
                "start_date": None,
                "due_date": None,
                "completion": 0,
                "priority": DEFAULT_PRIORITY,
                "status": self.state.statuses_for(task.org_id, task.project_id)[0].name,
            }
            fields = {**defaults, **_task_fields(call.body, creating=True)}
        return self.render.task(self.state.update_task(call.actor_id, task.task_id, **fields))

    async def delete_personal_task(self, call: _Call) -> None:
        task = self.state.personal_task(call.actor_id, call.path["task_id"])
        self.state.delete_task(call.actor_id, task.task_id)

    async def list_subtasks(self, call: _Call) -> object:
        parent = self.state.personal_task(call.actor_id, call.path["task_id"])
        return self._array(self.state.subtasks(call.actor_id, parent.task_id), self.render.task)

    async def list_comments(self, call: _Call) -> object:
        comments = self.state.comments_of(call.actor_id, call.path["task_id"])
        return self._array(comments, self.render.comment, call)

    async def list_checklists(self, call: _Call) -> object:
        items = self.state.checklist_of(call.actor_id, call.path["task_id"])
        return self._array(items, self.render.checklist_item)

    async def list_subtask_checklists(self, call: _Call) -> object:
        items = self.state.subtask_checklist(
            call.actor_id, call.path["task_id"], call.path["subtask_id"]
        )
        return self._array(items, self.render.checklist_item)

    # -- spaces --

    def _space_fields(self, body: _Body) -> dict[str, Any]:
        fields = {
            "name": body.text("spaceName", required=True),
            "description": body.text("description"),
            "color": body.text("color"),
        }
        body.check()
        return fields

    async def list_spaces(self, call: _Call) -> object:
        return self._array(self.state.spaces_of(call.actor_id), self.render.space)

    async def create_space(self, call: _Call) -> JSON:
        fields = self._space_fields(call.body)
        fields = {k: v for k, v in fields.items() if v is not None}
        return self.render.space(self.state.create_space(call.actor_id, **fields))

    async def get_space(self, call: _Call) -> JSON:
        return self.render.space(self.state.space(call.actor_id, call.path["space_id"]))

    async def update_space(self, call: _Call) -> JSON:
        self.state.space(call.actor_id, call.path["space_id"])
        body = call.body
        name = body.text("spaceName", required=True)
        fields = self._updated(
            body,
            {
                "description": ("description", lambda n: body.text(n, nullable=True), None),
                "color": ("color", body.text, DEFAULT_SPACE_COLOR),
            },
        )
        space = self.state.update_space(call.actor_id, call.path["space_id"], str(name), **fields)
        return self.render.space(space)

    def _updated(
        self, body: _Body, readers: Mapping[str, tuple[str, Callable[[str], object], object]]
    ) -> dict[str, Any]:
        """Keyword arguments from the fields a PUT body holds: {wire name: (keyword, reader,
        value when replaced)}. When PUT replaces, an absent field takes the last."""
        fields = {
            kwarg: read(name) if name in body else replaced
            for name, (kwarg, read, replaced) in readers.items()
            if name in body or self._put_replaces
        }
        body.check()
        return fields

    async def delete_space(self, call: _Call) -> None:
        self.state.delete_space(call.actor_id, call.path["space_id"])

    # -- projects --

    def _project_fields(self, body: _Body) -> dict[str, Any]:
        fields = {
            "name": body.text("projectName", required=True),
            "description": body.text("description"),
            "status": body.text("status"),
            "priority": body.text("priority"),
            "health": body.text("health"),
            "start_date": body.moment("startDate"),
            "end_date": body.moment("endDate"),
            "budget": body.number("budget"),
        }
        body.check()
        return fields

    async def list_projects(self, call: _Call) -> object:
        projects = self.state.projects_in(call.actor_id, call.path["space_id"])
        return self._paged(call, "projects", projects, self.render.project)

    async def create_project(self, call: _Call) -> JSON:
        self.state.space(call.actor_id, call.path["space_id"])
        fields = {k: v for k, v in self._project_fields(call.body).items() if v is not None}
        return self.render.project(
            self.state.create_project(call.actor_id, call.path["space_id"], **fields)
        )

    async def get_project(self, call: _Call) -> JSON:
        return self.render.project(
            self.state.project(call.actor_id, call.path["project_id"], call.path["space_id"])
        )

    async def update_project(self, call: _Call) -> JSON:
        self.state.project(call.actor_id, call.path["project_id"], call.path["space_id"])
        body = call.body
        name = body.text("projectName", required=True)
        fields = self._updated(
            body,
            {
                "description": ("description", lambda n: body.text(n, nullable=True), None),
                "status": ("status", body.text, DEFAULT_PROJECT_STATUS),
                "priority": ("priority", body.text, DEFAULT_PRIORITY),
                "health": ("health", body.text, DEFAULT_HEALTH),
                "startDate": ("start_date", lambda n: body.moment(n, nullable=True), None),
                "endDate": ("end_date", lambda n: body.moment(n, nullable=True), None),
                "budget": ("budget", lambda n: body.number(n, nullable=True), None),
            },
        )
        project = self.state.update_project(
            call.actor_id, call.path["space_id"], call.path["project_id"], str(name), **fields
        )
        return self.render.project(project)

    async def delete_project(self, call: _Call) -> None:
        self.state.delete_project(call.actor_id, call.path["space_id"], call.path["project_id"])

    # -- project tasks --

    def _project_task(self, call: _Call) -> Task:
        return self.state.project_task(
            call.actor_id, call.path["project_id"], call.path["task_id"], call.path["space_id"]
        )

    async def list_project_tasks(self, call: _Call) -> object:
        space_id, project_id = call.path["space_id"], call.path["project_id"]
        tasks = self.state.project_tasks(call.actor_id, space_id, project_id)
        query = call.query
        if "status" in query:
            wanted = self.state.status_named(call.org_id, project_id, query["status"])
            tasks = [t for t in tasks if t.status_id == wanted.status_id]
        if "priority" in query:
            level = self.state.priority_labelled(call.org_id, project_id, query["priority"])
            tasks = [t for t in tasks if t.priority_id == level.priority_id]
        if query.get("search"):
            needle = query["search"].lower()
            tasks = [t for t in tasks if needle in t.title.lower()]
        return self._tasks_page(call, tasks)

    async def create_project_task(self, call: _Call) -> JSON:
        project = self.state.project(call.actor_id, call.path["project_id"], call.path["space_id"])
        fields = _task_fields(call.body, creating=True)
        return self.render.task(
            self.state.create_task(call.actor_id, project_id=project.project_id, **fields)
        )

    async def get_project_task(self, call: _Call) -> JSON:
        return self.render.task(self._project_task(call))

    async def update_project_task(self, call: _Call) -> JSON:
        return self._update_task(call, self._project_task(call))

    async def delete_project_task(self, call: _Call) -> None:
        self.state.delete_task(call.actor_id, self._project_task(call).task_id)

    async def list_project_subtasks(self, call: _Call) -> object:
        parent = self._project_task(call)
        return self._array(self.state.subtasks(call.actor_id, parent.task_id), self.render.task)

    # -- time tracking --

    async def list_task_timers(self, call: _Call) -> object:
        user_id = _query_int(call.query, "userId", call.actor_id, minimum=1)
        entries = self.state.task_time_entries(call.actor_id, call.path["task_id"], user_id)
        return self._array(entries, self.render.entry)

    async def list_active_timers(self, call: _Call) -> object:
        running = self.state.running_timer(call.actor_id)
        return self._array([running] if running else [], self.render.timer)

    async def update_timer(self, call: _Call) -> JSON:
        body = call.body
        if self._put_replaces:  # a replaced entry still needs its times
            entry = self.state.entries.get(call.path["tracker_id"])
            running = entry is not None and entry.running
            for name in ("startTime",) if running else ("startTime", "endTime"):
                if name not in body:
                    body.fail(name, "is required")
        fields = self._updated(
            body,
            {
                "startTime": ("start", body.moment, UNSET),
                "endTime": ("end", body.moment, UNSET),
                "billable": ("billable", body.boolean, False),
                "notes": ("notes", lambda n: body.text(n, nullable=True), None),
            },
        )
        entry = self.state.update_time_entry(call.actor_id, call.path["tracker_id"], **fields)
        return self.render.entry(entry)

    async def delete_timer(self, call: _Call) -> None:
        self.state.delete_time_entry(call.actor_id, call.path["tracker_id"])

    async def stop_timer(self, call: _Call) -> JSON:
        billable, notes = call.body.boolean("billable"), call.body.text("notes")
        call.body.check()
        entry = self.state.stop_timer(
            call.actor_id, call.path["task_id"], billable=billable, notes=notes
        )
        return self.render.entry(entry)

    async def start_timer(self, call: _Call) -> JSON:
        entry = self.state.start_timer(
            call.actor_id, call.path["task_id"], project_id=call.path.get("project_id")
        )
        return self.render.entry(entry)

    async def add_range(self, call: _Call) -> JSON:
        body = call.body
        start, end = body.moment("startTime", required=True), body.moment("endTime", required=True)
        billable, notes = body.boolean("billable"), body.text("notes")
        body.check()
        assert start is not None and end is not None  # check() raised otherwise
        entry = self.state.add_range_entry(
            call.actor_id,
            call.path["task_id"],
            start,
            end,
            project_id=call.path.get("project_id"),
            billable=bool(billable),
            notes=notes,
        )
        return self.render.entry(entry)

    async def add_manual(self, call: _Call) -> JSON:
        body = call.body
        hours = body.integer("hours", minimum=0) or 0
        minutes = body.integer("minutes", minimum=0, maximum=59) or 0
        start = body.moment("startTime")
        # Tolerated: a work day instead of a start time; the work is placed at 09:00 UTC.
        day = body.day("date")
        billable, notes = body.boolean("billable"), body.text("notes")
        body.check()
        if start is None and day is not None:
            start = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
        entry = self.state.add_manual_entry(
            call.actor_id,
            call.path["task_id"],
            timedelta(hours=hours, minutes=minutes),
            project_id=call.path.get("project_id"),
            start=start,
            billable=bool(billable),
            notes=notes,
        )
        return self.render.entry(entry)

    def _timesheet(self, call: _Call, project_id: int | None, group_by: str) -> Timesheet:
        return self.state.timesheet(
            call.actor_id,
            project_id=project_id,
            group_by=group_by,
            start_date=_query_date(call.query, "startDate"),
            end_date=_query_date(call.query, "endDate"),
        )

    async def global_timesheet(self, call: _Call) -> JSON:
        group_by = _query_choice(call.query, "groupBy", ("member", "project"), "member")
        return self.render.timesheet(self._timesheet(call, None, group_by))

    async def project_timesheet(self, call: _Call) -> JSON:
        return self.render.timesheet(self._timesheet(call, call.path["project_id"], "member"))

    async def project_timesheet_summary(self, call: _Call) -> JSON:
        sheet = self._timesheet(call, call.path["project_id"], "member")
        return {"projectId": call.path["project_id"], **_totals(sheet.total_ms, sheet.billable_ms)}

    # -- notifications --

    async def list_notifications(self, call: _Call) -> object:
        kind = _query_choice(call.query, "type", ("NOTIFICATION", "MENTION"), "")
        read = _query_bool(call.query, "read")
        found = [
            n
            for n in self.state.notifications_for(call.actor_id)
            if (read is None or n.read == read)
            and (not kind or (n.type == "mention") == (kind == "MENTION"))
        ]
        if self.dialect.oldest_first:
            found.reverse()
        return self._array(found, self.render.notification, call)

    async def mark_notifications_read(self, call: _Call) -> JSON:
        ids, mark_all = call.body.ids("notificationIds"), call.body.boolean("markAll")
        call.body.check()
        # No ids (or markAll) marks everything, as the operation's description says.
        changed = self.state.mark_notifications_read(
            call.actor_id, None if mark_all or not ids else ids
        )
        return {"updatedCount": len(changed), "notificationIds": changed}

    async def delete_notifications(self, call: _Call) -> JSON:
        ids = call.body.ids("notificationIds", required=True)
        call.body.check()
        deleted = self.state.delete_notifications(call.actor_id, ids or [])
        return {"deletedCount": len(deleted), "notificationIds": deleted}


async def _json_object(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        parsed = json.loads(raw)
    except ValueError:
        raise BadRequest("Malformed JSON request body") from None
    if not isinstance(parsed, dict):
        raise BadRequest("The request body must be a JSON object")
    return parsed


def create_astravue_app(
    state: AstravueState,
    *,
    authenticate: Callable[[str], int | None],
    faults: Faults,
    dialect: Dialect | None = None,
) -> Starlette:
    """The fake API. `authenticate(bearer_token)` returns the Astravue user id of a valid,
    unexpired access token, or None. `dialect` (default: from the environment) is read on
    every request, so a test may change it on a running app."""
    api = _AstravueApi(state, authenticate, Dialect.from_env() if dialect is None else dialect)
    return Starlette(
        routes=api.routes(),
        middleware=[Middleware(FaultMiddleware, faults=faults)],
        exception_handlers={HTTPException: api.http_error},
    )
