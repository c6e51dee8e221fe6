"""AstravueClient: typed async access to the Astravue REST API for one user.

One client per (user, organisation), cheap to build: it borrows the process-wide
`httpx.AsyncClient`, `RetryPolicy` and `UserRateBudget`. Each call sends the user's bearer
token and `X-Org-Id`, unwraps the `{"success", "message", "code", "data"}` envelope and
validates `data` into a model. On a 401 the token provider refreshes once and the call is
sent once more; a second 401 means the link is dead (`ReauthorizationRequired`).
"""

from __future__ import annotations

import builtins
import logging
import time
from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass
from datetime import date
from functools import cache, partial
from typing import Any, Generic, Literal, Protocol, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from bot import metrics
from bot.astravue.budget import UserRateBudget
from bot.astravue.endpoints import ENDPOINTS, Endpoint
from bot.astravue.envelopes import RawList, read_list
from bot.astravue.errors import (
    AstravueConnectionError,
    AstravueTimeout,
    NotFound,
    ReauthorizationRequired,
    ResponseValidationError,
    Unauthorized,
    UnexpectedResponse,
    error_for_response,
)
from bot.astravue.models import (
    NotificationDeleteRequestDto,
    NotificationDeleteResponseDto,
    NotificationDto,
    NotificationKind,
    NotificationReadRequest,
    NotificationReadResponseDto,
    ProjectDto,
    ProjectListResponse,
    ProjectRequest,
    RequestModel,
    SpaceDto,
    SpaceRequest,
    TaskCheckListDto,
    TaskCommentDto,
    TaskCreateRequest,
    TaskDto,
    TaskListResponse,
    TaskUpdateRequest,
    TimerData,
    TimerRequest,
    TimerUpdateRequest,
    TimesheetGroupBy,
    TimesheetReport,
    TimesheetSummary,
    TimeTrackerDto,
)
from bot.astravue.pagination import Page, PageWalk
from bot.astravue.retry import RetryPolicy, capped_timeout, should_retry
from bot.astravue.updates import (
    ProjectChanges,
    SpaceChanges,
    TaskChanges,
    TimerChanges,
    project_update,
    space_update,
    task_update,
    timer_update,
)

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
SortDirection = Literal["ASC", "DESC"]
DEFAULT_PAGE_SIZE = 20


class TokenProvider(Protocol):
    """Supplies the user's access token; implemented by the token service."""

    async def access_token(self) -> str: ...

    async def refresh_after_unauthorized(self, rejected_token: str) -> str:
        """A fresh token after Astravue refused `rejected_token`.

        May raise ReauthorizationRequired.
        """
        ...


@cache
def _list_adapter(model: type[BaseModel]) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


@dataclass(frozen=True)
class Reply:
    """The unwrapped `data` of one call, with what is needed to report a bad shape."""

    operation: str
    path: str
    data: Any

    def _unexpected(self, detail: str, keys: Sequence[str] = ()) -> UnexpectedResponse:
        return UnexpectedResponse(self.operation, detail, keys=keys, path=self.path)

    def one(self, model: type[M]) -> M:
        if self.data is None:
            raise self._unexpected("`data` is null where an object is required")
        if not isinstance(self.data, dict):
            raise self._unexpected(f"an object was expected, got a {type(self.data).__name__}")
        try:
            return model.model_validate(self.data)
        except ValidationError as exc:
            raise self._unexpected(_summary(exc), list(self.data)) from None

    def optional(self, model: type[M]) -> M:
        """For answers nothing depends on (a write's receipt): `null` is an empty one."""
        return model() if self.data is None else self.one(model)

    def listing(self, model: type[M], *, wrapper: str | None = None) -> Listing[M]:
        """A list answer in any shape `read_list` knows, its items validated."""
        try:
            raw = read_list(self.data, operation=self.operation, wrapper=wrapper)
            items = _list_adapter(model).validate_python(raw.items)
        except UnexpectedResponse as exc:
            raise self._unexpected(exc.detail, exc.keys) from None
        except ValidationError as exc:
            raise self._unexpected(_summary(exc)) from None
        return Listing(items, raw)

    def many(self, model: type[M], *, wrapper: str | None = None) -> list[M]:
        return self.listing(model, wrapper=wrapper).items


@dataclass(frozen=True)
class Listing(Generic[M]):
    items: list[M]
    raw: RawList

    def page(self, number: int, requested_size: int) -> Page[M]:
        return Page.of(
            number,
            self.items,
            size=self.raw.size or requested_size,
            total_pages=self.raw.total_pages,
            last=self.raw.last,
        )


def _summary(exc: ValidationError) -> str:
    """Field locations and messages only: pydantic's full text would echo the payload."""
    return "; ".join(
        f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
        for error in exc.errors()[:5]
    )


def _query(**params: Any) -> dict[str, Any]:
    return {key: value for key, value in params.items() if value is not None}


class AstravueClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        base_url: str,
        org_id: int | None,
        tokens: TokenProvider,
        user_key: str,
        retry: RetryPolicy | None = None,
        budget: UserRateBudget | None = None,
    ) -> None:
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._org_id = org_id
        self._tokens = tokens
        self._user_key = user_key
        self._retry = retry or RetryPolicy()
        self._budget = budget
        self.tasks = PersonalTasks(self)
        self.spaces = Spaces(self)
        self.projects = Projects(self)
        self.project_tasks = ProjectTasks(self)
        self.subtasks = Subtasks(self)
        self.comments = Comments(self)
        self.checklists = Checklists(self)
        self.timers = Timers(self)
        self.timesheets = Timesheets(self)
        self.notifications = Notifications(self)

    async def call(
        self,
        operation: str,
        *,
        path: Mapping[str, int] | None = None,
        query: Mapping[str, Any] | None = None,
        body: RequestModel | None = None,
    ) -> Reply:
        """Send one operation of the endpoint table; the reply holds the envelope's `data`."""
        endpoint = ENDPOINTS[operation]
        concrete_path = endpoint.build(**(path or {}))
        json_body = body.to_wire() if body is not None else None
        token = await self._tokens.access_token()
        try:
            data = await self._send(endpoint, concrete_path, token, query, json_body)
        except Unauthorized:
            token = await self._tokens.refresh_after_unauthorized(token)
            try:
                data = await self._send(endpoint, concrete_path, token, query, json_body)
            except Unauthorized as exc:
                raise ReauthorizationRequired(
                    f"Astravue refused a freshly refreshed token on {endpoint.method} "
                    f"{endpoint.path}"
                ) from exc
        return Reply(operation, concrete_path, data)

    async def _send(
        self,
        endpoint: Endpoint,
        path: str,
        token: str,
        query: Mapping[str, Any] | None,
        json_body: Any,
    ) -> Any:
        async def attempt(seconds_left: float) -> Any:
            return await self._attempt(endpoint, path, token, query, json_body, seconds_left)

        return await self._retry.run(
            attempt, retryable=partial(should_retry, idempotent=endpoint.idempotent)
        )

    async def _attempt(
        self,
        endpoint: Endpoint,
        path: str,
        token: str,
        query: Mapping[str, Any] | None,
        json_body: Any,
        seconds_left: float,
    ) -> Any:
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        if self._org_id is not None:
            headers["X-Org-Id"] = str(self._org_id)
        slot: AbstractAsyncContextManager[None] = (
            self._budget.slot(self._user_key) if self._budget else nullcontext()
        )
        async with slot:
            started = time.perf_counter()
            try:
                response = await self._http.request(
                    endpoint.method,
                    self._base_url + path,
                    params=query,
                    json=json_body,
                    headers=headers,
                    timeout=capped_timeout(self._http.timeout, seconds_left),
                )
            except httpx.TimeoutException as exc:
                self._log(endpoint, "timeout", started)
                never_sent = isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout)
                raise AstravueTimeout(
                    endpoint.method, path, "timed out", request_sent=not never_sent
                ) from exc
            except httpx.RequestError as exc:
                self._log(endpoint, type(exc).__name__, started)
                raise AstravueConnectionError(
                    endpoint.method,
                    path,
                    f"connection failed ({type(exc).__name__})",
                    request_sent=not isinstance(exc, httpx.ConnectError),
                ) from exc
        self._log(endpoint, response.status_code, started)
        if not response.is_success:
            raise error_for_response(endpoint.method, path, response)
        return _unwrap(endpoint.method, path, response)

    def _log(self, endpoint: Endpoint, outcome: int | str, started: float) -> None:
        metrics.count_astravue_call(endpoint.name, outcome)
        logger.debug(
            "astravue %s %s -> %s in %.0f ms (user %s)",
            endpoint.method,
            endpoint.path,
            outcome,
            (time.perf_counter() - started) * 1000,
            self._user_key,
        )


def _unwrap(method: str, path: str, response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        body = response.json()
    except ValueError:
        raise ResponseValidationError(method, path, "body is not JSON") from None
    if isinstance(body, dict):
        if "data" in body:
            return body["data"]
        if "success" in body:  # an envelope without a payload (deletes)
            return None
    raise ResponseValidationError(method, path, "no success envelope")


def _paging_facts(raw: RawList) -> dict[str, Any]:
    return {
        "page": raw.number,
        "size": raw.size,
        "total_elements": raw.total_elements,
        "total_pages": raw.total_pages,
        "last": raw.last,
    }


def _task_list(found: Listing[TaskDto]) -> TaskListResponse:
    return TaskListResponse(tasks=found.items, **_paging_facts(found.raw))


def _task_page(number: int, requested_size: int, result: TaskListResponse) -> Page[TaskDto]:
    return Page.of(
        number,
        result.tasks,
        size=result.size or requested_size,
        total_pages=result.total_pages,
        last=result.last,
    )


def _task_id(task: TaskDto) -> int:
    return task.task_id


class _Resource:
    def __init__(self, client: AstravueClient) -> None:
        self._client = client


class PersonalTasks(_Resource):
    """Tasks outside any project ("My tasks")."""

    async def list(
        self,
        *,
        page: int = 0,
        size: int = DEFAULT_PAGE_SIZE,
        sort_by: str | None = None,
        sort_direction: SortDirection | None = None,
    ) -> TaskListResponse:
        query = _query(page=page, size=size, sortBy=sort_by, sortDirection=sort_direction)
        reply = await self._client.call("listPersonalTasks", query=query)
        return _task_list(reply.listing(TaskDto, wrapper="tasks"))

    def iter(
        self,
        *,
        size: int = DEFAULT_PAGE_SIZE,
        sort_by: str | None = None,
        sort_direction: SortDirection | None = None,
    ) -> PageWalk[TaskDto]:
        async def fetch(page: int) -> Page[TaskDto]:
            result = await self.list(
                page=page, size=size, sort_by=sort_by, sort_direction=sort_direction
            )
            return _task_page(page, size, result)

        return PageWalk(fetch, operation="listPersonalTasks", identity=_task_id)

    async def get(self, *, task_id: int) -> TaskDto:
        reply = await self._client.call("getPersonalTask", path={"taskId": task_id})
        return reply.one(TaskDto)

    async def create(self, *, body: TaskCreateRequest) -> TaskDto:
        return (await self._client.call("createPersonalTask", body=body)).one(TaskDto)

    async def update(self, *, task_id: int, body: TaskUpdateRequest) -> TaskDto:
        reply = await self._client.call("updatePersonalTask", path={"taskId": task_id}, body=body)
        return reply.one(TaskDto)

    async def change(self, *, task_id: int, changes: TaskChanges) -> TaskDto:
        """Read the task, then PUT all of it with `changes` applied (bot.astravue.updates)."""
        current = await self.get(task_id=task_id)
        return await self.update(task_id=task_id, body=task_update(current, changes))

    async def delete(self, *, task_id: int) -> None:
        await self._client.call("deletePersonalTask", path={"taskId": task_id})


class Spaces(_Resource):
    async def list(self) -> builtins.list[SpaceDto]:
        return (await self._client.call("listSpaces")).many(SpaceDto, wrapper="spaces")

    async def get(self, *, space_id: int) -> SpaceDto:
        return (await self._client.call("getSpace", path={"spaceId": space_id})).one(SpaceDto)

    async def create(self, *, body: SpaceRequest) -> SpaceDto:
        return (await self._client.call("createSpace", body=body)).one(SpaceDto)

    async def update(self, *, space_id: int, body: SpaceRequest) -> SpaceDto:
        reply = await self._client.call("updateSpace", path={"spaceId": space_id}, body=body)
        return reply.one(SpaceDto)

    async def change(self, *, space_id: int, changes: SpaceChanges) -> SpaceDto:
        """Read the space, then PUT all of it with `changes` applied."""
        current = await self.get(space_id=space_id)
        return await self.update(space_id=space_id, body=space_update(current, changes))

    async def delete(self, *, space_id: int) -> None:
        await self._client.call("deleteSpace", path={"spaceId": space_id})


class Projects(_Resource):
    async def list(
        self, *, space_id: int, page: int = 0, size: int = DEFAULT_PAGE_SIZE
    ) -> ProjectListResponse:
        reply = await self._client.call(
            "listProjects", path={"spaceId": space_id}, query=_query(page=page, size=size)
        )
        found = reply.listing(ProjectDto, wrapper="projects")
        return ProjectListResponse(projects=found.items, **_paging_facts(found.raw))

    def iter(self, *, space_id: int, size: int = DEFAULT_PAGE_SIZE) -> PageWalk[ProjectDto]:
        async def fetch(page: int) -> Page[ProjectDto]:
            result = await self.list(space_id=space_id, page=page, size=size)
            return Page.of(
                page,
                result.projects,
                size=result.size or size,
                total_pages=result.total_pages,
                last=result.last,
            )

        return PageWalk(fetch, operation="listProjects", identity=lambda p: p.project_id)

    async def get(self, *, space_id: int, project_id: int) -> ProjectDto:
        path = {"spaceId": space_id, "projectId": project_id}
        return (await self._client.call("getProject", path=path)).one(ProjectDto)

    async def create(self, *, space_id: int, body: ProjectRequest) -> ProjectDto:
        reply = await self._client.call("createProject", path={"spaceId": space_id}, body=body)
        return reply.one(ProjectDto)

    async def update(self, *, space_id: int, project_id: int, body: ProjectRequest) -> ProjectDto:
        path = {"spaceId": space_id, "projectId": project_id}
        return (await self._client.call("updateProject", path=path, body=body)).one(ProjectDto)

    async def change(
        self, *, space_id: int, project_id: int, changes: ProjectChanges
    ) -> ProjectDto:
        """Read the project, then PUT all of it with `changes` applied."""
        current = await self.get(space_id=space_id, project_id=project_id)
        return await self.update(
            space_id=space_id, project_id=project_id, body=project_update(current, changes)
        )

    async def delete(self, *, space_id: int, project_id: int) -> None:
        await self._client.call(
            "deleteProject", path={"spaceId": space_id, "projectId": project_id}
        )


class ProjectTasks(_Resource):
    async def list(
        self,
        *,
        space_id: int,
        project_id: int,
        page: int = 0,
        size: int = DEFAULT_PAGE_SIZE,
        sort_by: str | None = None,
        sort_direction: SortDirection | None = None,
        status: str | None = None,
        priority: str | None = None,
        search: str | None = None,
    ) -> TaskListResponse:
        query = _query(
            page=page,
            size=size,
            sortBy=sort_by,
            sortDirection=sort_direction,
            status=status,
            priority=priority,
            search=search,
        )
        path = {"spaceId": space_id, "projectId": project_id}
        reply = await self._client.call("listProjectTasks", path=path, query=query)
        return _task_list(reply.listing(TaskDto, wrapper="tasks"))

    def iter(
        self,
        *,
        space_id: int,
        project_id: int,
        size: int = DEFAULT_PAGE_SIZE,
        sort_by: str | None = None,
        sort_direction: SortDirection | None = None,
        status: str | None = None,
        priority: str | None = None,
        search: str | None = None,
    ) -> PageWalk[TaskDto]:
        async def fetch(page: int) -> Page[TaskDto]:
            result = await self.list(
                space_id=space_id,
                project_id=project_id,
                page=page,
                size=size,
                sort_by=sort_by,
                sort_direction=sort_direction,
                status=status,
                priority=priority,
                search=search,
            )
            return _task_page(page, size, result)

        return PageWalk(fetch, operation="listProjectTasks", identity=_task_id)

    async def get(self, *, space_id: int, project_id: int, task_id: int) -> TaskDto:
        path = {"spaceId": space_id, "projectId": project_id, "taskId": task_id}
        return (await self._client.call("getProjectTask", path=path)).one(TaskDto)

    async def create(self, *, space_id: int, project_id: int, body: TaskCreateRequest) -> TaskDto:
        path = {"spaceId": space_id, "projectId": project_id}
        return (await self._client.call("createProjectTask", path=path, body=body)).one(TaskDto)

    async def update(
        self, *, space_id: int, project_id: int, task_id: int, body: TaskUpdateRequest
    ) -> TaskDto:
        path = {"spaceId": space_id, "projectId": project_id, "taskId": task_id}
        return (await self._client.call("updateProjectTask", path=path, body=body)).one(TaskDto)

    async def change(
        self, *, space_id: int, project_id: int, task_id: int, changes: TaskChanges
    ) -> TaskDto:
        """Read the task, then PUT all of it with `changes` applied."""
        current = await self.get(space_id=space_id, project_id=project_id, task_id=task_id)
        return await self.update(
            space_id=space_id,
            project_id=project_id,
            task_id=task_id,
            body=task_update(current, changes),
        )

    async def delete(self, *, space_id: int, project_id: int, task_id: int) -> None:
        path = {"spaceId": space_id, "projectId": project_id, "taskId": task_id}
        await self._client.call("deleteProjectTask", path=path)


class Subtasks(_Resource):
    async def list_personal(self, *, task_id: int) -> list[TaskDto]:
        reply = await self._client.call("listPersonalSubtasks", path={"taskId": task_id})
        return reply.many(TaskDto, wrapper="subtasks")

    async def list_project(self, *, space_id: int, project_id: int, task_id: int) -> list[TaskDto]:
        path = {"spaceId": space_id, "projectId": project_id, "taskId": task_id}
        return (await self._client.call("listProjectSubtasks", path=path)).many(
            TaskDto, wrapper="subtasks"
        )


class Comments(_Resource):
    async def list(
        self, *, task_id: int, page: int = 0, size: int = DEFAULT_PAGE_SIZE
    ) -> builtins.list[TaskCommentDto]:
        reply = await self._client.call(
            "listTaskComments", path={"taskId": task_id}, query=_query(page=page, size=size)
        )
        return reply.many(TaskCommentDto, wrapper="comments")

    def iter(self, *, task_id: int, size: int = DEFAULT_PAGE_SIZE) -> PageWalk[TaskCommentDto]:
        async def fetch(page: int) -> Page[TaskCommentDto]:
            reply = await self._client.call(
                "listTaskComments", path={"taskId": task_id}, query=_query(page=page, size=size)
            )
            return reply.listing(TaskCommentDto, wrapper="comments").page(page, size)

        return PageWalk(fetch, operation="listTaskComments", identity=lambda c: c.comment_id)


class Checklists(_Resource):
    async def list_for_task(self, *, task_id: int) -> list[TaskCheckListDto]:
        reply = await self._client.call("listTaskChecklists", path={"taskId": task_id})
        return reply.many(TaskCheckListDto)

    async def list_for_subtask(self, *, task_id: int, subtask_id: int) -> list[TaskCheckListDto]:
        path = {"taskId": task_id, "subtaskId": subtask_id}
        return (await self._client.call("listSubtaskChecklists", path=path)).many(TaskCheckListDto)


class Timers(_Resource):
    """Time tracking. Project-task variants are chosen by passing `project_id`."""

    async def list_for_task(
        self, *, task_id: int, user_id: int | None = None
    ) -> list[TimeTrackerDto]:
        reply = await self._client.call(
            "listTaskTimers", path={"taskId": task_id}, query=_query(userId=user_id)
        )
        return reply.many(TimeTrackerDto)

    async def active(self) -> list[TimerData]:
        return (await self._client.call("listActiveTimers")).many(TimerData)

    async def update(self, *, time_tracker_id: int, body: TimerUpdateRequest) -> TimeTrackerDto:
        reply = await self._client.call(
            "updateTimer", path={"timeTrackerId": time_tracker_id}, body=body
        )
        return reply.one(TimeTrackerDto)

    async def change(
        self, *, task_id: int, time_tracker_id: int, changes: TimerChanges
    ) -> TimeTrackerDto:
        """Read the entry (there is no GET of one entry: the task's entries hold it), then PUT
        all of it with `changes` applied."""
        current = next(
            (
                entry
                for entry in await self.list_for_task(task_id=task_id)
                if entry.time_tracker_id == time_tracker_id
            ),
            None,
        )
        if current is None:
            raise NotFound(
                404,
                "GET",
                ENDPOINTS["listTaskTimers"].build(taskId=task_id),
                f"time entry {time_tracker_id} is not among the task's entries",
            )
        return await self.update(
            time_tracker_id=time_tracker_id, body=timer_update(current, changes)
        )

    async def delete(self, *, time_tracker_id: int) -> None:
        await self._client.call("deleteTimer", path={"timeTrackerId": time_tracker_id})

    async def stop(self, *, task_id: int, body: TimerRequest | None = None) -> TimeTrackerDto:
        reply = await self._client.call("stopTimer", path={"taskId": task_id}, body=body)
        return reply.one(TimeTrackerDto)

    async def start(self, *, task_id: int, project_id: int | None = None) -> TimeTrackerDto:
        operation, path = _timer_target(
            "startPersonalTaskTimer", "startProjectTaskTimer", task_id, project_id
        )
        return (await self._client.call(operation, path=path)).one(TimeTrackerDto)

    async def add_range(
        self, *, task_id: int, body: TimerRequest, project_id: int | None = None
    ) -> TimeTrackerDto:
        operation, path = _timer_target(
            "addPersonalTaskRange", "addProjectTaskRange", task_id, project_id
        )
        return (await self._client.call(operation, path=path, body=body)).one(TimeTrackerDto)

    async def add_manual(
        self, *, task_id: int, body: TimerRequest, project_id: int | None = None
    ) -> TimeTrackerDto:
        operation, path = _timer_target(
            "addPersonalTaskManual", "addProjectTaskManual", task_id, project_id
        )
        return (await self._client.call(operation, path=path, body=body)).one(TimeTrackerDto)


def _timer_target(
    personal: str, project: str, task_id: int, project_id: int | None
) -> tuple[str, dict[str, int]]:
    if project_id is None:
        return personal, {"taskId": task_id}
    return project, {"projectId": project_id, "taskId": task_id}


def _date_range(start_date: date | None, end_date: date | None) -> dict[str, Any]:
    return _query(
        startDate=start_date.isoformat() if start_date else None,
        endDate=end_date.isoformat() if end_date else None,
    )


class Timesheets(_Resource):
    async def global_(
        self,
        *,
        start_date: date | None = None,
        end_date: date | None = None,
        group_by: TimesheetGroupBy | None = None,
    ) -> TimesheetReport:
        query = {**_date_range(start_date, end_date), **_query(groupBy=group_by)}
        return (await self._client.call("getGlobalTimesheet", query=query)).one(TimesheetReport)

    async def project(
        self, *, project_id: int, start_date: date | None = None, end_date: date | None = None
    ) -> TimesheetReport:
        reply = await self._client.call(
            "getProjectTimesheet",
            path={"projectId": project_id},
            query=_date_range(start_date, end_date),
        )
        return reply.one(TimesheetReport)

    async def project_summary(
        self, *, project_id: int, start_date: date | None = None, end_date: date | None = None
    ) -> TimesheetSummary:
        reply = await self._client.call(
            "getProjectTimesheetSummary",
            path={"projectId": project_id},
            query=_date_range(start_date, end_date),
        )
        return reply.one(TimesheetSummary)


class Notifications(_Resource):
    async def list(
        self,
        *,
        page: int = 0,
        size: int = DEFAULT_PAGE_SIZE,
        kind: NotificationKind | None = None,
        read: bool | None = None,
    ) -> builtins.list[NotificationDto]:
        return (await self.page(page=page, size=size, kind=kind, read=read)).items

    async def page(
        self,
        *,
        page: int = 0,
        size: int = DEFAULT_PAGE_SIZE,
        kind: NotificationKind | None = None,
        read: bool | None = None,
    ) -> Page[NotificationDto]:
        query = _query(page=page, size=size, type=kind, read=read)
        reply = await self._client.call("listNotifications", query=query)
        return reply.listing(NotificationDto, wrapper="notifications").page(page, size)

    def iter(
        self,
        *,
        size: int = DEFAULT_PAGE_SIZE,
        kind: NotificationKind | None = None,
        read: bool | None = None,
    ) -> PageWalk[NotificationDto]:
        async def fetch(page: int) -> Page[NotificationDto]:
            return await self.page(page=page, size=size, kind=kind, read=read)

        return PageWalk(fetch, operation="listNotifications", identity=lambda n: n.notification_id)

    async def mark_read(
        self, *, notification_ids: Sequence[int] | None = None, mark_all: bool | None = None
    ) -> NotificationReadResponseDto:
        body = NotificationReadRequest(
            notification_ids=list(notification_ids) if notification_ids is not None else None,
            mark_all=mark_all,
        )
        reply = await self._client.call("markNotificationsRead", body=body)
        return reply.optional(NotificationReadResponseDto)

    async def delete(self, *, notification_ids: Sequence[int]) -> NotificationDeleteResponseDto:
        body = NotificationDeleteRequestDto(notification_ids=list(notification_ids))
        reply = await self._client.call("deleteNotifications", body=body)
        return reply.optional(NotificationDeleteResponseDto)
