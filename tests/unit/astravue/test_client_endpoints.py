"""Every REST operation once through the client: method, path, headers, query, body, result."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
import respx

from bot.astravue.client import AstravueClient
from bot.astravue.endpoints import ENDPOINTS
from bot.astravue.models import (
    ProjectRequest,
    SpaceRequest,
    TaskCreateRequest,
    TaskUpdateRequest,
    TimerRequest,
    TimerUpdateRequest,
)

from . import payloads as p
from .conftest import ACCESS_TOKEN, envelope

START = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
END = datetime(2024, 3, 1, 10, 30, tzinfo=UTC)
TASK_BODY = TaskCreateRequest(
    task_title="Implement authentication module",
    description="Implement the authentication module.",
    owners=[1, 2, 3],
    start_date=datetime(2023, 10, 1, tzinfo=UTC),
    due_date=datetime(2023, 10, 15, tzinfo=UTC),
    completion=50,
    status="In Progress",
    priority="High",
    tags=["backend", "urgent"],
)
TASK_WIRE = {
    "taskTitle": "Implement authentication module",
    "description": "Implement the authentication module.",
    "owners": [1, 2, 3],
    "startDate": "2023-10-01T00:00:00Z",
    "dueDate": "2023-10-15T00:00:00Z",
    "completion": 50,
    "status": "In Progress",
    "priority": "High",
    "tags": ["backend", "urgent"],
}
RANGE_BODY = TimerRequest(start_time=START, end_time=END, billable=True, notes="pairing")
RANGE_WIRE = {
    "startTime": "2024-03-01T09:00:00Z",
    "endTime": "2024-03-01T10:30:00Z",
    "billable": True,
    "notes": "pairing",
}
MANUAL_BODY = TimerRequest(start_time=START, hours=1, minutes=30, billable=False)
MANUAL_WIRE = {"startTime": "2024-03-01T09:00:00Z", "hours": 1, "minutes": 30, "billable": False}


@dataclass(frozen=True)
class Case:
    operation: str
    invoke: Callable[[AstravueClient], Awaitable[Any]]
    path: str
    data: Any
    observe: Callable[[Any], Any]
    expected: Any
    query: dict[str, str] | None = None
    body: Any = None


def task_fields(task: Any) -> tuple[int, str | None, str | None]:
    return task.task_id, task.status_name, task.priority_label


TASK_SEEN = (7, "In Progress", "High")
ENTRY_SEEN = (31, timedelta(hours=1, minutes=30))


def entry_fields(entry: Any) -> tuple[int, timedelta]:
    return entry.time_tracker_id, entry.duration


CASES = [
    # personal tasks
    Case(
        "listPersonalTasks",
        lambda c: c.tasks.list(page=1, size=5, sort_by="dueDate", sort_direction="ASC"),
        "/v1/tasks",
        p.TASK_PAGE,
        lambda r: [task_fields(t) for t in r.tasks],
        [TASK_SEEN],
        query={"page": "1", "size": "5", "sortBy": "dueDate", "sortDirection": "ASC"},
    ),
    Case(
        "createPersonalTask",
        lambda c: c.tasks.create(body=TASK_BODY),
        "/v1/tasks",
        p.TASK,
        task_fields,
        TASK_SEEN,
        body=TASK_WIRE,
    ),
    Case(
        "getPersonalTask",
        lambda c: c.tasks.get(task_id=7),
        "/v1/tasks/7",
        p.TASK,
        task_fields,
        TASK_SEEN,
    ),
    Case(
        "updatePersonalTask",
        lambda c: c.tasks.update(task_id=7, body=TaskUpdateRequest(status="Done", completion=100)),
        "/v1/tasks/7",
        p.TASK,
        task_fields,
        TASK_SEEN,
        # A TaskUpdateRequest is a whole task: its unset clearable fields go as null.
        body={
            "status": "Done",
            "completion": 100,
            "description": None,
            "startDate": None,
            "dueDate": None,
        },
    ),
    Case(
        "deletePersonalTask",
        lambda c: c.tasks.delete(task_id=7),
        "/v1/tasks/7",
        None,
        lambda r: r,
        None,
    ),
    # spaces
    Case(
        "listSpaces",
        lambda c: c.spaces.list(),
        "/v1/spaces",
        [p.SPACE],
        lambda r: [(s.space_id, s.space_name) for s in r],
        [(3, "Engineering")],
    ),
    Case(
        "createSpace",
        lambda c: c.spaces.create(body=SpaceRequest(space_name="Engineering", color="#123456")),
        "/v1/spaces",
        p.SPACE,
        lambda r: r.space_id,
        3,
        body={"spaceName": "Engineering", "color": "#123456"},
    ),
    Case(
        "getSpace",
        lambda c: c.spaces.get(space_id=3),
        "/v1/spaces/3",
        p.SPACE,
        lambda r: r.created_by.email,
        "maria@acme.test",
    ),
    Case(
        "updateSpace",
        lambda c: c.spaces.update(space_id=3, body=SpaceRequest(space_name="Eng")),
        "/v1/spaces/3",
        p.SPACE,
        lambda r: r.space_id,
        3,
        body={"spaceName": "Eng"},
    ),
    Case(
        "deleteSpace",
        lambda c: c.spaces.delete(space_id=3),
        "/v1/spaces/3",
        None,
        lambda r: r,
        None,
    ),
    # projects
    Case(
        "listProjects",
        lambda c: c.projects.list(space_id=3, page=0, size=10),
        "/v1/spaces/3/projects",
        p.PROJECT_PAGE,
        lambda r: [(x.project_id, x.project_name) for x in r.projects],
        [(4, "Website")],
        query={"page": "0", "size": "10"},
    ),
    Case(
        "createProject",
        lambda c: c.projects.create(
            space_id=3, body=ProjectRequest(project_name="Website", budget=1000.5)
        ),
        "/v1/spaces/3/projects",
        p.PROJECT,
        lambda r: r.project_id,
        4,
        body={"projectName": "Website", "budget": 1000.5},
    ),
    Case(
        "getProject",
        lambda c: c.projects.get(space_id=3, project_id=4),
        "/v1/spaces/3/projects/4",
        p.PROJECT,
        lambda r: (r.status, r.budget),
        ("Active", 1000.5),
    ),
    Case(
        "updateProject",
        lambda c: c.projects.update(
            space_id=3, project_id=4, body=ProjectRequest(project_name="Site", health="AT_RISK")
        ),
        "/v1/spaces/3/projects/4",
        p.PROJECT,
        lambda r: r.project_id,
        4,
        body={"projectName": "Site", "health": "AT_RISK"},
    ),
    Case(
        "deleteProject",
        lambda c: c.projects.delete(space_id=3, project_id=4),
        "/v1/spaces/3/projects/4",
        None,
        lambda r: r,
        None,
    ),
    # project tasks
    Case(
        "listProjectTasks",
        lambda c: c.project_tasks.list(
            space_id=3,
            project_id=4,
            status="In Progress",
            priority="High",
            search="auth",
            sort_by="dueDate",
            sort_direction="DESC",
        ),
        "/v1/spaces/3/projects/4/tasks",
        p.TASK_PAGE,
        lambda r: [task_fields(t) for t in r.tasks],
        [TASK_SEEN],
        query={
            "page": "0",
            "size": "20",
            "sortBy": "dueDate",
            "sortDirection": "DESC",
            "status": "In Progress",
            "priority": "High",
            "search": "auth",
        },
    ),
    Case(
        "createProjectTask",
        lambda c: c.project_tasks.create(space_id=3, project_id=4, body=TASK_BODY),
        "/v1/spaces/3/projects/4/tasks",
        p.TASK,
        task_fields,
        TASK_SEEN,
        body=TASK_WIRE,
    ),
    Case(
        "getProjectTask",
        lambda c: c.project_tasks.get(space_id=3, project_id=4, task_id=7),
        "/v1/spaces/3/projects/4/tasks/7",
        p.TASK,
        task_fields,
        TASK_SEEN,
    ),
    Case(
        "updateProjectTask",
        lambda c: c.project_tasks.update(
            space_id=3, project_id=4, task_id=7, body=TaskUpdateRequest(owners=[2])
        ),
        "/v1/spaces/3/projects/4/tasks/7",
        p.TASK,
        task_fields,
        TASK_SEEN,
        body={"owners": [2], "description": None, "startDate": None, "dueDate": None},
    ),
    Case(
        "deleteProjectTask",
        lambda c: c.project_tasks.delete(space_id=3, project_id=4, task_id=7),
        "/v1/spaces/3/projects/4/tasks/7",
        None,
        lambda r: r,
        None,
    ),
    # subtasks, comments, checklists
    Case(
        "listProjectSubtasks",
        lambda c: c.subtasks.list_project(space_id=3, project_id=4, task_id=7),
        "/v1/spaces/3/projects/4/tasks/7/subtasks",
        [p.TASK],
        lambda r: [task_fields(t) for t in r],
        [TASK_SEEN],
    ),
    Case(
        "listPersonalSubtasks",
        lambda c: c.subtasks.list_personal(task_id=7),
        "/v1/tasks/7/subtasks",
        [p.TASK],
        lambda r: [t.task_id for t in r],
        [7],
    ),
    Case(
        "listTaskComments",
        lambda c: c.comments.list(task_id=7, page=2, size=50),
        "/v1/tasks/7/comments",
        [p.COMMENT],
        lambda r: [(x.comment_id, x.mentioned_user_ids) for x in r],
        [(11, [2])],
        query={"page": "2", "size": "50"},
    ),
    Case(
        "listTaskChecklists",
        lambda c: c.checklists.list_for_task(task_id=7),
        "/v1/tasks/7/checklists",
        [p.CHECKLIST],
        lambda r: [(x.check_list_id, x.completed) for x in r],
        [(21, True)],
    ),
    Case(
        "listSubtaskChecklists",
        lambda c: c.checklists.list_for_subtask(task_id=7, subtask_id=8),
        "/v1/tasks/7/subtasks/8/checklists",
        [p.CHECKLIST],
        lambda r: [x.title for x in r],
        ["Write tests"],
    ),
    # time tracking
    Case(
        "listTaskTimers",
        lambda c: c.timers.list_for_task(task_id=7, user_id=1),
        "/v1/time-track/tasks/7",
        [p.TIME_ENTRY],
        lambda r: [entry_fields(e) for e in r],
        [ENTRY_SEEN],
        query={"userId": "1"},
    ),
    Case(
        "listActiveTimers",
        lambda c: c.timers.active(),
        "/v1/time-track/active",
        [p.ACTIVE_TIMER],
        lambda r: [(t.time_tracker_id, t.elapsed) for t in r],
        [(32, timedelta(seconds=125))],
    ),
    Case(
        "updateTimer",
        lambda c: c.timers.update(
            time_tracker_id=31, body=TimerUpdateRequest(billable=False, notes="fixed")
        ),
        "/v1/time-track/31",
        p.TIME_ENTRY,
        entry_fields,
        ENTRY_SEEN,
        body={"billable": False, "notes": "fixed"},
    ),
    Case(
        "deleteTimer",
        lambda c: c.timers.delete(time_tracker_id=31),
        "/v1/time-track/31",
        None,
        lambda r: r,
        None,
    ),
    Case(
        "stopTimer",
        lambda c: c.timers.stop(task_id=7, body=TimerRequest(billable=True, notes="done")),
        "/v1/time-track/tasks/7/stop",
        p.TIME_ENTRY,
        entry_fields,
        ENTRY_SEEN,
        body={"billable": True, "notes": "done"},
    ),
    Case(
        "startPersonalTaskTimer",
        lambda c: c.timers.start(task_id=7),
        "/v1/time-track/tasks/7/start",
        p.TIME_ENTRY,
        entry_fields,
        ENTRY_SEEN,
    ),
    Case(
        "addPersonalTaskRange",
        lambda c: c.timers.add_range(task_id=7, body=RANGE_BODY),
        "/v1/time-track/tasks/7/range",
        p.TIME_ENTRY,
        entry_fields,
        ENTRY_SEEN,
        body=RANGE_WIRE,
    ),
    Case(
        "addPersonalTaskManual",
        lambda c: c.timers.add_manual(task_id=7, body=MANUAL_BODY),
        "/v1/time-track/tasks/7/manual",
        p.TIME_ENTRY,
        entry_fields,
        ENTRY_SEEN,
        body=MANUAL_WIRE,
    ),
    Case(
        "startProjectTaskTimer",
        lambda c: c.timers.start(task_id=7, project_id=4),
        "/v1/time-track/projects/4/tasks/7/start",
        p.TIME_ENTRY,
        entry_fields,
        ENTRY_SEEN,
    ),
    Case(
        "addProjectTaskRange",
        lambda c: c.timers.add_range(task_id=7, project_id=4, body=RANGE_BODY),
        "/v1/time-track/projects/4/tasks/7/range",
        p.TIME_ENTRY,
        entry_fields,
        ENTRY_SEEN,
        body=RANGE_WIRE,
    ),
    Case(
        "addProjectTaskManual",
        lambda c: c.timers.add_manual(task_id=7, project_id=4, body=MANUAL_BODY),
        "/v1/time-track/projects/4/tasks/7/manual",
        p.TIME_ENTRY,
        entry_fields,
        ENTRY_SEEN,
        body=MANUAL_WIRE,
    ),
    # timesheets
    Case(
        "getGlobalTimesheet",
        lambda c: c.timesheets.global_(
            start_date=date(2024, 3, 1), end_date=date(2024, 3, 31), group_by="member"
        ),
        "/v1/time-track/timesheet",
        p.REPORT,
        lambda r: (r.total_duration, len(r.entries)),
        (timedelta(hours=2), 1),
        query={"startDate": "2024-03-01", "endDate": "2024-03-31", "groupBy": "member"},
    ),
    Case(
        "getProjectTimesheet",
        lambda c: c.timesheets.project(project_id=4, start_date=date(2024, 3, 1)),
        "/v1/time-track/projects/4/timesheet",
        p.REPORT,
        lambda r: r.billable_duration,
        timedelta(hours=1, minutes=30),
        query={"startDate": "2024-03-01"},
    ),
    Case(
        "getProjectTimesheetSummary",
        lambda c: c.timesheets.project_summary(project_id=4),
        "/v1/time-track/projects/4/timesheet/summary",
        p.SUMMARY,
        lambda r: (r.project_id, r.non_billable_duration),
        (4, timedelta(minutes=30)),
    ),
    # notifications
    Case(
        "listNotifications",
        lambda c: c.notifications.list(page=0, size=50, kind="MENTION", read=False),
        "/v1/notifications",
        [p.NOTIFICATION],
        lambda r: [(n.notification_id, n.type, n.actor.user_id) for n in r],
        [(41, "MENTION", 1)],
        query={"page": "0", "size": "50", "type": "MENTION", "read": "false"},
    ),
    Case(
        "markNotificationsRead",
        lambda c: c.notifications.mark_read(notification_ids=[41, 42]),
        "/v1/notifications/read",
        {"updatedCount": 2, "notificationIds": [41, 42]},
        lambda r: (r.updated_count, r.notification_ids),
        (2, [41, 42]),
        body={"notificationIds": [41, 42]},
    ),
    Case(
        "deleteNotifications",
        lambda c: c.notifications.delete(notification_ids=[41]),
        "/v1/notifications",
        {"deletedCount": 1, "notificationIds": [41]},
        lambda r: r.deleted_count,
        1,
        body={"notificationIds": [41]},
    ),
]


def test_every_rest_operation_has_a_case() -> None:
    rest = {name for name, endpoint in ENDPOINTS.items() if endpoint.base == "api"}
    assert len(rest) == 42
    assert {case.operation for case in CASES} == rest


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.operation)
async def test_operation(case: Case, client: AstravueClient, router: respx.MockRouter) -> None:
    method = ENDPOINTS[case.operation].method
    route = router.route(method=method, path=case.path).respond(json=envelope(case.data))

    result = await case.invoke(client)

    assert route.call_count == 1
    request: httpx.Request = route.calls.last.request
    assert request.method == method
    assert request.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert request.headers["X-Org-Id"] == "1"
    assert dict(request.url.params) == (case.query or {})
    if case.body is None:
        assert request.content == b""
    else:
        assert request.headers["Content-Type"] == "application/json"
        assert json.loads(request.content) == case.body
    assert case.observe(result) == case.expected


async def test_no_org_header_when_org_unknown(
    make_client: Callable[..., AstravueClient], router: respx.MockRouter
) -> None:
    route = router.get("/v1/spaces").respond(json=envelope([]))
    await make_client(org_id=None).spaces.list()
    assert "X-Org-Id" not in route.calls.last.request.headers


async def test_void_envelope_without_data_and_empty_body(
    client: AstravueClient, router: respx.MockRouter
) -> None:
    router.delete("/v1/tasks/7").respond(json={"success": True, "message": "ok", "code": 200})
    router.delete("/v1/spaces/3").respond(204)
    assert await client.tasks.delete(task_id=7) is None
    assert await client.spaces.delete(space_id=3) is None
