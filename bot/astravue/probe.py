"""`astravue-bot api-probe`: check every assumption about the Astravue API in one run.

Calls every GET operation of the endpoint table read-only, discovering ids as it goes
(spaces -> projects -> tasks -> subtasks ...), and with `write=True` a create-update-delete
round trip on a scratch personal task plus a 1-minute manual time entry that it removes.
Each answer is compared with what the client assumes (`probe_checks`). The report is a
table an operator can paste into a bug report: it never holds a token or a field's value.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx
from pydantic import BaseModel

from bot.astravue import probe_checks as checks
from bot.astravue.client import AstravueClient
from bot.astravue.endpoints import ENDPOINTS
from bot.astravue.errors import AstravueAPIError, AstravueError, NotFound, ReauthorizationRequired
from bot.astravue.models import (
    NotificationDto,
    ProjectDto,
    RequestModel,
    SpaceDto,
    TaskCheckListDto,
    TaskCommentDto,
    TaskCreateRequest,
    TaskDto,
    TimerData,
    TimerRequest,
    TimesheetReport,
    TimesheetSummary,
    TimeTrackerDto,
    page_order,
)
from bot.astravue.probe_report import ProbeReport, Row
from bot.astravue.retry import RetryPolicy


class _TitleOnly(RequestModel):
    """A task update naming the title alone: the full update model sends its clearable fields
    as null on purpose, which would clear them under either meaning of PUT."""

    task_title: str


__all__ = ["GET_OPERATIONS", "ProbeReport", "run_probe"]

Check = checks.Check
SCRATCH_DESCRIPTION = "Created by astravue-bot api-probe; it deletes this task itself."


class _Recorder:
    """An httpx response hook noting each answer's status and top-level keys (not values)."""

    def __init__(self) -> None:
        self.status: int | None = None
        self.keys: frozenset[str] | None = None

    async def __call__(self, response: httpx.Response) -> None:
        self.status = response.status_code
        await response.aread()
        try:
            body = json.loads(response.content or b"null")
        except ValueError:
            body = None
        self.keys = frozenset(body) if isinstance(body, dict) else None


# operation -> (model, the list shape assumed: a wrapper key, "array", or None for an object)
EXPECTED: dict[str, tuple[type[BaseModel], str | None]] = {
    "listSpaces": (SpaceDto, "array"),
    "getSpace": (SpaceDto, None),
    "listProjects": (ProjectDto, "projects"),
    "getProject": (ProjectDto, None),
    "listProjectTasks": (TaskDto, "tasks"),
    "getProjectTask": (TaskDto, None),
    "listProjectSubtasks": (TaskDto, "array"),
    "listPersonalTasks": (TaskDto, "tasks"),
    "getPersonalTask": (TaskDto, None),
    "listPersonalSubtasks": (TaskDto, "array"),
    "listTaskComments": (TaskCommentDto, "array"),
    "listTaskChecklists": (TaskCheckListDto, "array"),
    "listSubtaskChecklists": (TaskCheckListDto, "array"),
    "listTaskTimers": (TimeTrackerDto, "array"),
    "listActiveTimers": (TimerData, "array"),
    "getGlobalTimesheet": (TimesheetReport, None),
    "getProjectTimesheet": (TimesheetReport, None),
    "getProjectTimesheetSummary": (TimesheetSummary, None),
    "listNotifications": (NotificationDto, "array"),
    "createPersonalTask": (TaskDto, None),
    "updatePersonalTask": (TaskDto, None),
    "addPersonalTaskManual": (TimeTrackerDto, None),
}


class Probe:
    def __init__(self, client: AstravueClient, recorder: _Recorder) -> None:
        self.client = client
        self.recorder = recorder
        self.report = ProbeReport()

    async def call(
        self,
        operation: str,
        *,
        path: Mapping[str, int] | None = None,
        query: Mapping[str, Any] | None = None,
        body: RequestModel | None = None,
        extra: list[Check] | None = None,
    ) -> list[Any]:
        """One operation, its row in the report; the objects it answered (for ids)."""
        self.recorder.status, self.recorder.keys = None, None
        try:
            reply = await self.client.call(operation, path=path, query=query, body=body)
        except AstravueError as exc:
            status = getattr(exc, "status", None)
            self.report.rows.append(
                Row(
                    operation,
                    str(status or "-"),
                    "-",
                    [Check("path" if status in (404, 405) else "answered", False, _cause(exc))],
                )
            )
            return []
        row = Row(
            operation,
            str(self.recorder.status),
            "",
            [Check("path", True), checks.envelope(self.recorder.keys)],
        )
        model, shape = EXPECTED.get(operation, (None, None))
        items: list[Any] = [reply.data] if reply.data is not None else []
        if model is None:
            row.shape = checks.object_shape(reply.data)
        elif shape is None:
            row.shape = checks.object_shape(reply.data)
            row.checks += checks.fields(model, reply.data)
        else:
            row.shape, items, shape_check = checks.list_shape(operation, reply.data, shape)
            row.checks.append(shape_check)
            if items:
                row.checks += _merged([checks.fields(model, item) for item in items])
        row.checks += extra or []
        self.report.rows.append(row)
        return [item for item in items if isinstance(item, Mapping)]

    def skipped(self, operation: str, why: str) -> None:
        self.report.rows.append(Row(operation, "-", f"not called: {why}"))

    # -- read-only ---------------------------------------------------------------------------

    async def read_all(self) -> None:
        spaces = await self.call("listSpaces")
        space = _first_id(spaces, SpaceDto)
        project = None
        if space is None:
            for operation in ("getSpace", "listProjects"):
                self.skipped(operation, "no space")
        else:
            await self.call("getSpace", path={"spaceId": space})
            project = _first_id(
                await self.call("listProjects", path={"spaceId": space}, query={"size": 20}),
                ProjectDto,
            )
        project_task = None
        if space is None or project is None:
            for operation in (
                "getProject",
                "listProjectTasks",
                "getProjectTimesheet",
                "getProjectTimesheetSummary",
            ):
                self.skipped(operation, "no project")
        else:
            where = {"spaceId": space, "projectId": project}
            await self.call("getProject", path=where)
            project_task = _first_id(
                await self.call("listProjectTasks", path=where, query={"size": 20}), TaskDto
            )
            await self.call("getProjectTimesheet", path={"projectId": project})
            await self.call("getProjectTimesheetSummary", path={"projectId": project})
        subtask_parent = None
        if project_task is None or space is None or project is None:
            self.skipped("getProjectTask", "no project task")
            self.skipped("listProjectSubtasks", "no project task")
        else:
            where = {"spaceId": space, "projectId": project, "taskId": project_task}
            await self.call("getProjectTask", path=where)
            subtasks = await self.call("listProjectSubtasks", path=where)
            subtask_parent = (project_task, _first_id(subtasks, TaskDto))
        personal = _first_id(await self.call("listPersonalTasks", query={"size": 20}), TaskDto)
        if personal is None:
            self.skipped("getPersonalTask", "no personal task")
            self.skipped("listPersonalSubtasks", "no personal task")
        else:
            await self.call("getPersonalTask", path={"taskId": personal})
            await self.call("listPersonalSubtasks", path={"taskId": personal})
        any_task = project_task or personal
        if any_task is None:
            for operation in ("listTaskComments", "listTaskChecklists", "listTaskTimers"):
                self.skipped(operation, "no task")
        else:
            await self.call("listTaskComments", path={"taskId": any_task}, query={"size": 20})
            await self.call("listTaskChecklists", path={"taskId": any_task})
            await self.call("listTaskTimers", path={"taskId": any_task})
        if subtask_parent is None or subtask_parent[1] is None:
            self.skipped("listSubtaskChecklists", "no subtask")
        else:
            await self.call(
                "listSubtaskChecklists",
                path={"taskId": subtask_parent[0], "subtaskId": subtask_parent[1]},
            )
        await self.call("listActiveTimers")
        await self.call("getGlobalTimesheet")
        await self._notifications()

    async def _notifications(self) -> None:
        row_count = len(self.report.rows)
        found = await self.call("listNotifications", query={"page": 0, "size": 20})
        if len(self.report.rows) == row_count or self.report.rows[-1].broken:
            return
        try:
            order = page_order([NotificationDto.model_validate(n) for n in found])
        except ValueError:
            return  # the field checks of the row already say why
        self.report.rows[-1].checks.append(
            Check(
                "newest first",
                order != "oldest first",
                "listed oldest first" if order == "oldest first" else "",
            )
        )

    # -- with --write ------------------------------------------------------------------------

    async def round_trip(self) -> None:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
        created = await self.call(
            "createPersonalTask",
            body=TaskCreateRequest(
                task_title=f"api-probe scratch task {stamp}",
                description=SCRATCH_DESCRIPTION,
                tags=["api-probe"],
            ),
        )
        task_id = _first_id(created, TaskDto)
        if task_id is None:
            return
        try:
            await self._update_keeps_other_fields(task_id)
            await self._one_minute(task_id)
        finally:
            await self._delete(task_id)

    async def _update_keeps_other_fields(self, task_id: int) -> None:
        """Sends a title alone: a PUT that replaces the object clears the rest."""
        updated = await self.call(
            "updatePersonalTask",
            path={"taskId": task_id},
            body=_TitleOnly(task_title="api-probe scratch (renamed)"),
        )
        if not updated:
            return
        task = TaskDto.model_validate(updated[0])
        lost = [
            name
            for name, kept in (
                ("description", task.description == SCRATCH_DESCRIPTION),
                ("tags", task.tags == ["api-probe"]),
            )
            if not kept
        ]
        self.report.rows[-1].checks.append(
            Check(
                "PUT keeps fields not sent",
                not lost,
                f"a title-only PUT cleared {', '.join(lost)}: PUT replaces the whole object"
                if lost
                else "",
            )
        )

    async def _one_minute(self, task_id: int) -> None:
        entries = await self.call(
            "addPersonalTaskManual",
            path={"taskId": task_id},
            body=TimerRequest(hours=0, minutes=1, notes="api-probe"),
        )
        if not entries:
            return
        entry = TimeTrackerDto.model_validate(entries[0])
        self.report.rows[-1].checks.append(
            Check(
                "durations in ms",
                entry.duration_ms == 60_000,
                ""
                if entry.duration_ms == 60_000
                else f"1 minute came back as duration {entry.duration_ms}",
            )
        )
        await self.call("deleteTimer", path={"timeTrackerId": entry.time_tracker_id})

    async def _delete(self, task_id: int) -> None:
        await self.call("deletePersonalTask", path={"taskId": task_id})
        try:
            await self.client.call("getPersonalTask", path={"taskId": task_id})
        except NotFound:
            self.report.rows[-1].checks.append(Check("deleted task is gone", True))
            return
        except AstravueError:
            return
        self.report.rows[-1].checks.append(
            Check("deleted task is gone", False, "the task still answers after DELETE")
        )


ID_OF: dict[type[BaseModel], str] = {
    TaskDto: "task_id",
    ProjectDto: "project_id",
    SpaceDto: "space_id",
}


def _first_id(objects: list[Any], model: type[BaseModel]) -> int | None:
    """The id of the first object, read as the client reads it (any accepted spelling)."""
    for raw in objects:
        try:
            return int(getattr(model.model_validate(raw), ID_OF[model]))
        except ValueError:
            continue
    return None


class StaticToken:
    """The TokenProvider of `--token`: one access token, no refresh."""

    def __init__(self, token: str) -> None:
        self._token = token

    async def access_token(self) -> str:
        return self._token

    async def refresh_after_unauthorized(self, rejected_token: str) -> str:
        raise ReauthorizationRequired("Astravue refused the access token given with --token")


def _merged(per_item: list[list[Check]]) -> list[Check]:
    """One check per assumption over all items of a list: broken if any item broke it."""
    merged: dict[str, Check] = {}
    for item_checks in per_item:
        for check in item_checks:
            known = merged.get(check.assumption)
            if known is None or (known.held and not check.held):
                merged[check.assumption] = check
    return list(merged.values())


def _cause(exc: AstravueError) -> str:
    if isinstance(exc, AstravueAPIError):
        return f"HTTP {exc.status}: {exc.message}"[:200]
    return str(exc)[:200]


async def run_probe(
    *, base_url: str, org_id: int, token: Any, write: bool, seconds: float = 15.0
) -> ProbeReport:
    """`token` is a `TokenProvider`; a bare access token string is wrapped in one."""
    recorder = _Recorder()
    provider = StaticToken(token) if isinstance(token, str) else token
    async with httpx.AsyncClient(timeout=seconds, event_hooks={"response": [recorder]}) as http:
        client = AstravueClient(
            http,
            base_url=base_url,
            org_id=org_id,
            tokens=provider,
            user_key="api-probe",
            retry=RetryPolicy(max_retries=0),
        )
        probe = Probe(client, recorder)
        await probe.read_all()
        if write:
            await probe.round_trip()
    return probe.report


GET_OPERATIONS = sorted(
    name for name, e in ENDPOINTS.items() if e.method == "GET" and e.base == "api"
)
