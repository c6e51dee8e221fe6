"""The routes table, authentication, the error body, and the Starlette app."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.sandbox.astravue_api.base import Call, Handler
from bot.sandbox.astravue_api.notifications import NotificationEndpoints
from bot.sandbox.astravue_api.requests import SUCCESS_MESSAGE, Body, json_object
from bot.sandbox.astravue_api.tasks import TaskEndpoints
from bot.sandbox.astravue_api.time_tracking import TimeEndpoints
from bot.sandbox.astravue_api.workspaces import WorkspaceEndpoints
from bot.sandbox.astravue_state import (
    AstravueState,
    FieldError,
    Forbidden,
    SandboxError,
    Unauthorized,
    invalid,
    iso,
)
from bot.sandbox.dialect import Dialect
from bot.sandbox.faults import FaultMiddleware, Faults


class AstravueApi(TaskEndpoints, WorkspaceEndpoints, TimeEndpoints, NotificationEndpoints):
    """Every /v1 operation of openapi.yaml, routed."""

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

    async def _call(self, request: Request) -> Call:
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
        return Call(
            user.user_id,
            org_id,
            request.path_params,
            request.query_params,
            Body(await json_object(request)),
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
    api = AstravueApi(state, authenticate, Dialect.from_env() if dialect is None else dialect)
    return Starlette(
        routes=api.routes(),
        middleware=[Middleware(FaultMiddleware, faults=faults)],
        exception_handlers={HTTPException: api.http_error},
    )
