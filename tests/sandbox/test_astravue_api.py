"""The sandbox Astravue API over HTTP (in process): envelope, auth, every operation group,
role rules, the one-timer rule, notification generation and timesheet arithmetic."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from bot.sandbox.astravue_api import create_astravue_app
from bot.sandbox.astravue_state import AstravueState
from bot.sandbox.faults import Faults
from bot.sandbox.seed import build_seed_state

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
TOKENS = {"tok-maria": 1, "tok-dev": 2, "tok-sam": 3, "tok-gina": 4, "tok-olga": 5}
MINUTE_MS = 60_000


class FakeClock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


class ApiClient:
    """Calls the API as a seed user (token `tok-<user>`) in an organisation."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def call(
        self,
        method: str,
        path: str,
        *,
        user: str = "maria",
        org: int | str | None = 1,
        **kwargs: Any,
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer tok-{user}"}
        if org is not None:
            headers["X-Org-Id"] = str(org)
        return await self.client.request(method, path, headers=headers, **kwargs)

    async def data(self, method: str, path: str, **kwargs: Any) -> Any:
        """The `data` of a call that must succeed."""
        response = await self.call(method, path, **kwargs)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["success"] is True and body["code"] == 200
        return body["data"]

    async def error(self, status: int, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """The ApiError body of a call that must fail with `status`."""
        response = await self.call(method, path, **kwargs)
        assert response.status_code == status, response.text
        body = response.json()
        assert body["success"] is False and body["code"] == status
        assert body["path"] == path.split("?")[0] and body["timestamp"].endswith("Z")
        return body


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def state(clock: FakeClock) -> AstravueState:
    seeded = build_seed_state(NOW)
    seeded.clock = clock
    return seeded


@pytest.fixture
def faults() -> Faults:
    return Faults()


@pytest.fixture
async def api(state: AstravueState, faults: Faults) -> AsyncIterator[ApiClient]:
    app = create_astravue_app(state, authenticate=TOKENS.get, faults=faults)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        yield ApiClient(client)


def task_id(state: AstravueState, title: str) -> int:
    return next(t.task_id for t in state.tasks.values() if t.title == title)


def project_id(state: AstravueState, name: str) -> int:
    return next(p.project_id for p in state.projects.values() if p.name == name)


def task_path(state: AstravueState, title: str) -> str:
    """The REST path of a project task."""
    task = state.tasks[task_id(state, title)]
    return f"/v1/spaces/{task.space_id}/projects/{task.project_id}/tasks/{task.task_id}"


def timer_path(state: AstravueState, title: str, action: str) -> str:
    task = state.tasks[task_id(state, title)]
    if task.project_id is None:
        return f"/v1/time-track/tasks/{task.task_id}/{action}"
    return f"/v1/time-track/projects/{task.project_id}/tasks/{task.task_id}/{action}"


def fields_of(body: dict[str, Any]) -> set[str]:
    return {error["field"] for error in body["errors"]}


# ---- envelope, authentication, organisation ------------------------------------------------


async def test_success_envelope_wraps_the_payload(api: ApiClient) -> None:
    response = await api.call("GET", "/v1/spaces")
    body = response.json()
    assert response.status_code == 200
    assert body["success"] is True
    assert body["code"] == 200
    assert body["message"] == "Operation completed successfully"
    assert [s["spaceName"] for s in body["data"]] == ["Engineering", "Marketing"]


@pytest.mark.parametrize(
    "authorization", [None, "Bearer tok-unknown", "Basic tok-maria", "Bearer "]
)
async def test_missing_or_invalid_bearer_token_is_401(
    api: ApiClient, authorization: str | None
) -> None:
    headers = {"X-Org-Id": "1"} | ({"Authorization": authorization} if authorization else {})
    response = await api.client.get("/v1/tasks", headers=headers)
    body = response.json()
    assert response.status_code == 401
    assert body["success"] is False and body["code"] == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("org", [None, "acme", "1.5", ""])
async def test_missing_or_non_integer_org_header_is_400(api: ApiClient, org: str | None) -> None:
    body = await api.error(400, "GET", "/v1/spaces", org=org)
    assert fields_of(body) == {"X-Org-Id"}


async def test_org_the_user_does_not_belong_to_is_403(api: ApiClient) -> None:
    body = await api.error(403, "GET", "/v1/spaces", org=2)
    assert "organisation 2" in body["message"]


async def test_ids_of_another_org_are_404(api: ApiClient, state: AstravueState) -> None:
    await api.error(404, "GET", "/v1/spaces/1", user="olga", org=2)
    onboarding = state.projects[project_id(state, "Onboarding")]
    await api.error(404, "GET", f"/v1/spaces/{onboarding.space_id}")
    olga_task = task_id(state, "Welcome new hires")
    await api.error(404, "GET", f"/v1/tasks/{olga_task}/comments")


async def test_unknown_routes_and_methods_answer_the_error_body(api: ApiClient) -> None:
    await api.error(404, "GET", "/v1/nothing-here")
    await api.error(405, "PATCH", "/v1/spaces")


async def test_requests_are_logged_with_their_org_header(
    api: ApiClient, state: AstravueState
) -> None:
    state.requests.clear()
    await api.call("GET", "/v1/spaces")
    await api.call("GET", "/v1/notifications", org=None)
    assert state.requests == [("GET", "/v1/spaces", "1"), ("GET", "/v1/notifications", None)]


async def test_faults_apply_before_the_handler(
    api: ApiClient, faults: Faults, state: AstravueState
) -> None:
    faults.down = True
    state.requests.clear()
    response = await api.call("GET", "/v1/spaces")
    assert response.status_code == 503
    assert state.requests == []


# ---- personal tasks ---------------------------------------------------------------------------


async def test_create_personal_task_resolves_names_mentions_and_owners(
    api: ApiClient, state: AstravueState
) -> None:
    task = await api.data(
        "POST",
        "/v1/tasks",
        json={
            "taskTitle": "Plan the offsite",
            "description": "With @dev and @Sam. Mail bob@acme.test",
            "owners": [1, 2],
            "startDate": "2025-03-11T09:00:00Z",
            "dueDate": "2025-03-14T17:00:00Z",
            "completion": 10,
            "status": "In Progress",
            "priority": "High",
            "tags": ["team"],
        },
    )
    assert task["taskTitle"] == "Plan the offsite"
    assert task["status"]["statusName"] == "In Progress"
    assert task["status"]["statusCategory"] == "in_progress"
    assert task["priority"]["priorityLabel"] == "High"
    assert task["descriptionMentionedUserIds"] == [2, 3]
    assert [o["email"] for o in task["owners"]] == ["maria@acme.test", "dev@acme.test"]
    assert task["dueDate"] == "2025-03-14T17:00:00Z"
    assert task["projectId"] is None and task["tenantId"] == 1
    assert task["createdBy"]["role"] == {"orgRoleId": 2, "roleName": "Admin"}
    mine = await api.data("GET", "/v1/tasks")
    assert task["taskId"] in [t["taskId"] for t in mine["tasks"]]
    # Dev is assigned and mentioned, Sam only mentioned, Maria (the actor) nothing.
    kinds = {
        uid: [n.type for n in state.notifications_for(uid) if n.task_id == task["taskId"]]
        for uid in (1, 2, 3)
    }
    assert kinds == {1: [], 2: ["mention", "assignment"], 3: ["mention"]}


async def test_task_defaults_and_status_given_as_object(api: ApiClient) -> None:
    task = await api.data("POST", "/v1/tasks", json={"taskTitle": "Defaults"})
    assert task["status"]["statusName"] == "To Do"
    assert task["priority"]["priorityLabel"] == "Medium"
    assert task["priority"]["default"] is True
    updated = await api.data(
        "PUT", f"/v1/tasks/{task['taskId']}", json={"status": {"statusName": "Done"}}
    )
    assert updated["status"]["statusName"] == "Done"


async def test_task_body_errors_are_all_reported(api: ApiClient) -> None:
    body = await api.error(
        400,
        "POST",
        "/v1/tasks",
        json={
            "description": "no title",
            "dueDate": "next friday",
            "completion": 150,
            "owners": ["x"],
        },
    )
    assert fields_of(body) == {"taskTitle", "dueDate", "completion", "owners"}
    body = await api.error(400, "POST", "/v1/tasks", json={"taskTitle": "x", "status": "Nope"})
    assert fields_of(body) == {"status"} and "To Do" in body["errors"][0]["message"]
    body = await api.error(400, "POST", "/v1/tasks", json={"taskTitle": "x", "owners": [5]})
    assert body["errors"][0] == {
        "field": "owners",
        "message": "unknown user id 5",
        "rejectedValue": 5,
    }
    body = await api.error(
        400,
        "POST",
        "/v1/tasks",
        json={
            "taskTitle": "x",
            "startDate": "2025-03-12T00:00:00Z",
            "dueDate": "2025-03-11T00:00:00Z",
        },
    )
    assert fields_of(body) == {"dueDate"}
    await api.error(400, "POST", "/v1/tasks", content=b"{not json")


async def test_personal_tasks_are_private_and_separate_from_project_tasks(
    api: ApiClient, state: AstravueState
) -> None:
    budget = task_id(state, "Review Q3 budget")
    await api.error(404, "GET", f"/v1/tasks/{budget}", user="sam")
    await api.error(404, "GET", f"/v1/tasks/{task_id(state, 'Fix login redirect loop')}")
    sams = await api.data("GET", "/v1/tasks", user="sam")
    assert sams["tasks"] == []


async def test_personal_task_list_pages_and_sorts(api: ApiClient) -> None:
    first = await api.data("GET", "/v1/tasks?sortBy=dueDate&sortDirection=ASC&size=2")
    assert [t["taskTitle"] for t in first["tasks"]] == ["Renew passport", "Review Q3 budget"]
    assert (first["page"], first["size"], first["totalElements"], first["totalPages"]) == (
        0,
        2,
        3,
        2,
    )
    second = await api.data("GET", "/v1/tasks?sortBy=dueDate&sortDirection=desc&size=2&page=1")
    assert [t["taskTitle"] for t in second["tasks"]] == ["Renew passport"]
    body = await api.error(400, "GET", "/v1/tasks?sortBy=colour")
    assert fields_of(body) == {"sortBy"}
    await api.error(400, "GET", "/v1/tasks?size=0")


async def test_update_and_delete_personal_task(api: ApiClient, state: AstravueState) -> None:
    passport = task_id(state, "Renew passport")
    updated = await api.data(
        "PUT",
        f"/v1/tasks/{passport}",
        json={"taskTitle": "Renew passport (urgent)", "dueDate": None},
    )
    assert updated["taskTitle"] == "Renew passport (urgent)"
    assert updated["dueDate"] is None
    assert updated["priority"]["priorityLabel"] == "Low"  # untouched
    await api.error(400, "PUT", f"/v1/tasks/{passport}", json={"taskTitle": ""})
    assert await api.data("DELETE", f"/v1/tasks/{passport}") is None
    await api.error(404, "GET", f"/v1/tasks/{passport}")


# ---- spaces and projects ----------------------------------------------------------------------


async def test_admin_manages_spaces_and_others_may_not(
    api: ApiClient, state: AstravueState
) -> None:
    space = await api.data("POST", "/v1/spaces", json={"spaceName": "Design", "color": "#000"})
    assert space["spaceName"] == "Design" and space["createdBy"]["userId"] == 1
    body = await api.error(403, "POST", "/v1/spaces", user="dev", json={"spaceName": "Mine"})
    assert "admins" in body["message"]
    await api.error(400, "POST", "/v1/spaces", json={"description": "no name"})
    renamed = await api.data(
        "PUT", f"/v1/spaces/{space['spaceId']}", json={"spaceName": "Design Team"}
    )
    assert renamed["spaceName"] == "Design Team" and renamed["color"] == "#000"
    await api.error(403, "DELETE", f"/v1/spaces/{space['spaceId']}", user="sam")
    assert await api.data("GET", f"/v1/spaces/{space['spaceId']}") == renamed


async def test_deleting_a_space_deletes_its_projects_and_tasks(
    api: ApiClient, state: AstravueState
) -> None:
    marketing = next(s for s in state.spaces.values() if s.name == "Marketing")
    launch = project_id(state, "Launch")
    announcement = task_id(state, "Write launch announcement")
    await api.data("DELETE", f"/v1/spaces/{marketing.space_id}")
    await api.error(404, "GET", f"/v1/spaces/{marketing.space_id}/projects/{launch}")
    await api.error(404, "GET", f"/v1/tasks/{announcement}")
    await api.error(404, "GET", f"/v1/time-track/tasks/{announcement}")


async def test_projects_crud_with_paged_list(api: ApiClient, state: AstravueState) -> None:
    engineering = next(s for s in state.spaces.values() if s.name == "Engineering").space_id
    listing = await api.data("GET", f"/v1/spaces/{engineering}/projects?size=1")
    assert [p["projectName"] for p in listing["projects"]] == ["Website"]
    assert listing["totalElements"] == 2 and listing["totalPages"] == 2
    created = await api.data(
        "POST",
        f"/v1/spaces/{engineering}/projects",
        json={"projectName": "API", "budget": 1000, "startDate": "2025-03-01T00:00:00Z"},
    )
    assert created["budget"] == 1000.0 and created["spaceId"] == engineering
    path = f"/v1/spaces/{engineering}/projects/{created['projectId']}"
    await api.error(
        403,
        "POST",
        f"/v1/spaces/{engineering}/projects",
        user="dev",
        json={"projectName": "Side project"},
    )
    body = await api.error(
        400, "PUT", path, json={"projectName": "API", "endDate": "2025-02-01T00:00:00Z"}
    )
    assert fields_of(body) == {"endDate"}
    updated = await api.data("PUT", path, json={"projectName": "Public API", "health": "Late"})
    assert (updated["projectName"], updated["health"]) == ("Public API", "Late")
    task = await api.data("POST", path + "/tasks", json={"taskTitle": "Rate limits"})
    assert task["status"]["projectId"] == created["projectId"]
    await api.data("DELETE", path)
    await api.error(404, "GET", f"/v1/tasks/{task['taskId']}")
    wrong_space = next(s for s in state.spaces.values() if s.name == "Marketing").space_id
    await api.error(404, "GET", f"/v1/spaces/{wrong_space}/projects/{project_id(state, 'Website')}")


# ---- project tasks ----------------------------------------------------------------------------


async def test_project_task_list_filters_and_sorts(api: ApiClient, state: AstravueState) -> None:
    website = state.projects[project_id(state, "Website")]
    base = f"/v1/spaces/{website.space_id}/projects/{website.project_id}/tasks"
    all_tasks = await api.data("GET", base)
    assert all_tasks["totalElements"] == 5  # subtasks are not listed
    doing = await api.data("GET", base + "?status=in%20progress")
    assert [t["taskTitle"] for t in doing["tasks"]] == ["Fix login redirect loop"]
    high = await api.data("GET", base + "?priority=High&search=BANNER")
    assert [t["taskTitle"] for t in high["tasks"]] == ["Add cookie consent banner"]
    by_priority = await api.data("GET", base + "?sortBy=priority&sortDirection=DESC")
    labels = [t["priority"]["priorityLabel"] for t in by_priority["tasks"]]
    assert labels == ["High", "High", "Medium", "Medium", "Low"]
    body = await api.error(400, "GET", base + "?status=Blocked")
    assert fields_of(body) == {"status"}


async def test_members_create_and_guests_edit_only_their_tasks(
    api: ApiClient, state: AstravueState
) -> None:
    launch = state.projects[project_id(state, "Launch")]
    base = f"/v1/spaces/{launch.space_id}/projects/{launch.project_id}/tasks"
    created = await api.data(
        "POST", base, user="sam", json={"taskTitle": "Brief agency", "owners": [3]}
    )
    assert created["createdBy"]["userId"] == 3
    body = await api.error(403, "POST", base, user="gina", json={"taskTitle": "Mine"})
    assert "Guests" in body["message"]
    await api.error(403, "POST", "/v1/tasks", user="gina", json={"taskTitle": "Mine"})
    press_kit = task_path(state, "Prepare press kit")  # owned by Gina
    moved = await api.data("PUT", press_kit, user="gina", json={"status": "In Progress"})
    assert moved["status"]["statusName"] == "In Progress"
    await api.error(
        403,
        "PUT",
        task_path(state, "Write launch announcement"),
        user="gina",
        json={"completion": 50},
    )
    listing = await api.data("GET", base, user="gina")  # guests can read
    assert created["taskId"] in [t["taskId"] for t in listing["tasks"]]


async def test_task_delete_by_owner_creator_or_admin_only(
    api: ApiClient, state: AstravueState
) -> None:
    login = task_path(state, "Fix login redirect loop")
    body = await api.error(403, "DELETE", login, user="sam")
    assert "owners" in body["message"]
    await api.data("DELETE", login, user="dev")
    await api.error(404, "GET", login)
    await api.data("DELETE", task_path(state, "Schedule social posts"), user="maria")
    mismatched = task_path(state, "Prepare press kit").replace(
        f"/projects/{project_id(state, 'Launch')}/", f"/projects/{project_id(state, 'Website')}/"
    )
    await api.error(404, "GET", mismatched)


async def test_status_change_notifies_owners_but_not_the_actor(
    api: ApiClient, state: AstravueState
) -> None:
    offline = task_path(state, "Offline mode for task list")  # owners Maria and Dev
    before = {uid: len(state.notifications_for(uid)) for uid in (1, 2, 3)}
    await api.data("PUT", offline, user="sam", json={"status": "Done", "completion": 100})
    await api.data("PUT", offline, user="sam", json={"status": "Done"})  # no change: no news
    after = {uid: state.notifications_for(uid) for uid in (1, 2, 3)}
    assert {uid: len(after[uid]) - before[uid] for uid in (1, 2, 3)} == {1: 1, 2: 1, 3: 0}
    newest = after[1][0]
    assert newest.type == "status_change" and newest.actor_id == 3
    assert newest.message == 'Sam Kim moved "Offline mode for task list" from In Progress to Done'


async def test_only_new_mentions_and_new_owners_notify(
    api: ApiClient, state: AstravueState
) -> None:
    pricing = task_path(state, "Update pricing page copy")
    before = len(state.notifications_for(4))
    await api.data("PUT", pricing, json={"description": "@gina please check"})
    await api.data("PUT", pricing, json={"description": "@gina please check again"})
    await api.data("PUT", pricing, json={"owners": [1, 4]})
    await api.data("PUT", pricing, json={"owners": [1, 4], "tags": ["x"]})
    assert [n.type for n in state.notifications_for(4)[:2]] == ["assignment", "mention"]
    assert len(state.notifications_for(4)) == before + 2


async def test_subtasks_comments_and_checklists(api: ApiClient, state: AstravueState) -> None:
    login = task_id(state, "Fix login redirect loop")
    subtasks = await api.data("GET", task_path(state, "Fix login redirect loop") + "/subtasks")
    assert [s["taskTitle"] for s in subtasks] == ["Reproduce on Safari", "Write regression test"]
    assert all(s["parentTaskId"] == login for s in subtasks)
    budget = task_id(state, "Review Q3 budget")
    personal = await api.data("GET", f"/v1/tasks/{budget}/subtasks")
    assert [s["taskTitle"] for s in personal] == ["Check travel line items"]

    comments = await api.data("GET", f"/v1/tasks/{login}/comments")
    assert [c["createdBy"]["firstName"] for c in comments] == ["Maria", "Dev", "Sam"]
    assert comments[1]["parentCommentId"] == comments[0]["commentId"]
    assert comments[2]["mentionedUserIds"] == [2]
    assert len(await api.data("GET", f"/v1/tasks/{login}/comments?size=1&page=2")) == 1

    checklist = await api.data("GET", f"/v1/tasks/{login}/checklists")
    assert [(c["title"], c["completed"]) for c in checklist] == [
        ("Check the OAuth callback URL", True),
        ("Clear session cookies on logout", False),
    ]
    regression = task_id(state, "Write regression test")
    sub_items = await api.data("GET", f"/v1/tasks/{login}/subtasks/{regression}/checklists")
    assert [c["title"] for c in sub_items] == ["Cover Safari", "Cover Firefox"]
    await api.error(404, "GET", f"/v1/tasks/{budget}/subtasks/{regression}/checklists")


# ---- time tracking ----------------------------------------------------------------------------


async def test_one_running_timer_per_user(
    api: ApiClient, state: AstravueState, clock: FakeClock
) -> None:
    started = await api.data("POST", timer_path(state, "Update pricing page copy", "start"))
    assert started["running"] is True and started["endTime"] is None
    assert started["entryType"] == "TIMER" and started["startTime"] == "2025-03-10T12:00:00Z"
    body = await api.error(409, "POST", timer_path(state, "Renew passport", "start"))
    assert '"Update pricing page copy"' in body["message"]
    # Someone else's timer is independent.
    await api.data("POST", timer_path(state, "Fix login redirect loop", "start"), user="dev")

    clock.advance(minutes=25)
    active = await api.data("GET", "/v1/time-track/active")
    assert len(active) == 1
    assert active[0]["taskTitle"] == "Update pricing page copy"
    assert active[0]["elapsed"] == 25 * MINUTE_MS and active[0]["status"] == "RUNNING"

    pricing = task_id(state, "Update pricing page copy")
    stopped = await api.data(
        "PUT",
        f"/v1/time-track/tasks/{pricing}/stop",
        json={"billable": True, "notes": "Hero section"},
    )
    assert stopped["duration"] == 25 * MINUTE_MS and stopped["running"] is False
    assert (stopped["billable"], stopped["notes"]) == (True, "Hero section")
    assert stopped["endTime"] == "2025-03-10T12:25:00Z"
    assert await api.data("GET", "/v1/time-track/active") == []
    assert state.running_timer(1) is None
    await api.error(409, "PUT", f"/v1/time-track/tasks/{pricing}/stop")
    await api.data("POST", timer_path(state, "Renew passport", "start"))


async def test_timer_paths_check_task_kind_and_project(
    api: ApiClient, state: AstravueState
) -> None:
    login = task_id(state, "Fix login redirect loop")
    body = await api.error(404, "POST", f"/v1/time-track/tasks/{login}/start")
    assert "not a personal task" in body["message"]
    launch = project_id(state, "Launch")
    await api.error(404, "POST", f"/v1/time-track/projects/{launch}/tasks/{login}/start")
    await api.error(
        403, "POST", timer_path(state, "Write launch announcement", "start"), user="gina"
    )
    await api.data("POST", timer_path(state, "Prepare press kit", "start"), user="gina")


async def test_manual_and_range_entries(api: ApiClient, state: AstravueState) -> None:
    manual = await api.data(
        "POST",
        timer_path(state, "Renew passport", "manual"),
        json={"hours": 1, "minutes": 15, "date": "2025-03-07"},
    )
    assert manual["duration"] == 75 * MINUTE_MS and manual["entryType"] == "MANUAL"
    assert (manual["startTime"], manual["endTime"]) == (
        "2025-03-07T09:00:00Z",
        "2025-03-07T10:15:00Z",
    )
    now_manual = await api.data(
        "POST", timer_path(state, "Write launch announcement", "manual"), json={"minutes": 30}
    )
    assert now_manual["endTime"] == "2025-03-10T12:00:00Z" and now_manual["billable"] is False
    for bad in ({"hours": -1}, {"minutes": 60}, {"hours": 0, "minutes": 0}, {}):
        await api.error(400, "POST", timer_path(state, "Renew passport", "manual"), json=bad)

    ranged = await api.data(
        "POST",
        timer_path(state, "Write launch announcement", "range"),
        json={
            "startTime": "2025-03-10T08:00:00+01:00",
            "endTime": "2025-03-10T08:45:00Z",
            "billable": True,
        },
    )
    assert ranged["duration"] == 105 * MINUTE_MS and ranged["startTime"] == "2025-03-10T07:00:00Z"
    body = await api.error(
        400,
        "POST",
        timer_path(state, "Renew passport", "range"),
        json={"startTime": "2025-03-10T10:00:00Z", "endTime": "2025-03-10T09:00:00Z"},
    )
    assert fields_of(body) == {"endTime"}
    body = await api.error(400, "POST", timer_path(state, "Renew passport", "range"), json={})
    assert fields_of(body) == {"startTime", "endTime"}


async def test_update_list_and_delete_time_entries(api: ApiClient, state: AstravueState) -> None:
    pricing = task_id(state, "Update pricing page copy")
    (entry,) = await api.data("GET", f"/v1/time-track/tasks/{pricing}")
    assert entry["duration"] == 90 * MINUTE_MS and entry["userId"] == 1
    path = f"/v1/time-track/{entry['timeTrackerId']}"
    updated = await api.data(
        "PUT", path, json={"endTime": "2025-03-09T11:00:00Z", "billable": False, "notes": None}
    )
    assert updated["duration"] == 120 * MINUTE_MS
    assert (updated["billable"], updated["notes"]) == (False, None)
    await api.error(400, "PUT", path, json={"endTime": "2025-03-09T08:00:00Z"})
    await api.error(403, "PUT", path, user="dev", json={"billable": True})
    await api.error(403, "DELETE", path, user="dev")

    login = task_id(state, "Fix login redirect loop")
    assert len(await api.data("GET", f"/v1/time-track/tasks/{login}?userId=2")) == 1
    await api.error(403, "GET", f"/v1/time-track/tasks/{pricing}?userId=1", user="dev")
    await api.error(404, "GET", f"/v1/time-track/tasks/{pricing}?userId=5")

    assert await api.data("DELETE", path) is None
    assert await api.data("GET", f"/v1/time-track/tasks/{pricing}") == []
    await api.error(404, "DELETE", path)


async def test_project_timesheet_groups_by_member_and_sums_billable(
    api: ApiClient, state: AstravueState
) -> None:
    website = project_id(state, "Website")
    # Seed: Maria 90 min billable, Dev 180 min billable; add 60 non-billable minutes.
    await api.data(
        "POST",
        timer_path(state, "Update pricing page copy", "manual"),
        json={"hours": 1, "startTime": "2025-03-10T06:00:00Z"},
    )
    sheet = await api.data("GET", f"/v1/time-track/projects/{website}/timesheet")
    assert sheet["groupBy"] == "member"
    totals = {g["name"]: (g["totalDuration"], g["billableDuration"]) for g in sheet["groups"]}
    assert totals == {
        "Maria Lopez": (150 * MINUTE_MS, 90 * MINUTE_MS),
        "Dev Patel": (180 * MINUTE_MS, 180 * MINUTE_MS),
    }
    assert sheet["totalDuration"] == 330 * MINUTE_MS and len(sheet["entries"]) == 3
    summary = await api.data("GET", f"/v1/time-track/projects/{website}/timesheet/summary")
    assert summary == {
        "projectId": website,
        "totalDuration": 330 * MINUTE_MS,
        "billableDuration": 270 * MINUTE_MS,
        "nonBillableDuration": 60 * MINUTE_MS,
    }
    only_sunday = await api.data(
        "GET",
        f"/v1/time-track/projects/{website}/timesheet/summary"
        "?startDate=2025-03-10&endDate=2025-03-10",
    )
    assert only_sunday["totalDuration"] == 60 * MINUTE_MS


async def test_global_timesheet_scopes_to_self_unless_admin(api: ApiClient) -> None:
    everyone = await api.data("GET", "/v1/time-track/timesheet")
    by_member = {g["userId"]: g["totalDuration"] for g in everyone["groups"]}
    # Maria 90 + 120 + 45 min, Dev 180 + 90 min; only Dev's and 90 of Maria's are billable.
    assert by_member == {1: 255 * MINUTE_MS, 2: 270 * MINUTE_MS}
    assert everyone["billableDuration"] == 360 * MINUTE_MS
    assert everyone["nonBillableDuration"] == 165 * MINUTE_MS

    devs = await api.data("GET", "/v1/time-track/timesheet?groupBy=project", user="dev")
    by_project = {g["name"]: g["totalDuration"] for g in devs["groups"]}
    assert by_project == {"Website": 180 * MINUTE_MS, "Mobile App": 90 * MINUTE_MS}
    marias = await api.data(
        "GET", "/v1/time-track/timesheet?groupBy=project&startDate=2025-03-09&endDate=2025-03-09"
    )
    assert {g["name"]: g["totalDuration"] for g in marias["groups"]} == {
        "Website": 270 * MINUTE_MS,
        "Personal tasks": 45 * MINUTE_MS,
    }
    await api.error(400, "GET", "/v1/time-track/timesheet?groupBy=team")
    await api.error(400, "GET", "/v1/time-track/timesheet?startDate=2025-03-09&endDate=2025-03-01")
    await api.error(400, "GET", "/v1/time-track/timesheet?startDate=yesterday")


# ---- notifications ----------------------------------------------------------------------------


async def test_notification_list_filters_newest_first(api: ApiClient) -> None:
    devs = await api.data("GET", "/v1/notifications", user="dev")
    assert [n["type"] for n in devs] == ["mention", "assignment", "assignment"]
    assert [n["read"] for n in devs] == [False, False, True]
    assert devs[0]["actor"]["email"] == "sam@acme.test" and devs[0]["commentId"] is not None
    unread = await api.data("GET", "/v1/notifications?read=false", user="dev")
    assert len(unread) == 2
    mentions = await api.data("GET", "/v1/notifications?type=MENTION", user="dev")
    assert [n["notificationId"] for n in mentions] == [devs[0]["notificationId"]]
    others = await api.data("GET", "/v1/notifications?type=NOTIFICATION&size=1&page=1", user="dev")
    assert [n["notificationId"] for n in others] == [devs[2]["notificationId"]]
    await api.error(400, "GET", "/v1/notifications?read=maybe")


async def test_mark_notifications_read(api: ApiClient, state: AstravueState) -> None:
    first, second = await api.data("GET", "/v1/notifications")
    result = await api.data(
        "PUT", "/v1/notifications/read", json={"notificationIds": [first["notificationId"]]}
    )
    assert result == {"updatedCount": 1, "notificationIds": [first["notificationId"]]}
    everything = await api.data("PUT", "/v1/notifications/read")
    assert everything == {"updatedCount": 1, "notificationIds": [second["notificationId"]]}
    assert all(n.read for n in state.notifications_for(1))
    dev_id = state.notifications_for(2)[0].notification_id
    await api.error(404, "PUT", "/v1/notifications/read", json={"notificationIds": [dev_id]})


async def test_delete_notifications(api: ApiClient, state: AstravueState) -> None:
    body = await api.error(400, "DELETE", "/v1/notifications", json={"notificationIds": []})
    assert fields_of(body) == {"notificationIds"}
    await api.error(400, "DELETE", "/v1/notifications")
    ids = [n.notification_id for n in state.notifications_for(1)]
    await api.error(404, "DELETE", "/v1/notifications", user="dev", json={"notificationIds": ids})
    result = await api.data("DELETE", "/v1/notifications", json={"notificationIds": ids})
    assert result == {"deletedCount": 2, "notificationIds": ids}
    assert state.notifications_for(1) == []


async def test_notification_ids_grow_monotonically(api: ApiClient) -> None:
    before = {n["notificationId"] for n in await api.data("GET", "/v1/notifications", user="dev")}
    await api.data("POST", "/v1/tasks", json={"taskTitle": "a", "owners": [2]})
    await api.data("POST", "/v1/tasks", json={"taskTitle": "b", "owners": [2]})
    listed = await api.data("GET", "/v1/notifications", user="dev")
    new = [n["notificationId"] for n in listed if n["notificationId"] not in before]
    assert len(new) == 2 and new == sorted(new, reverse=True)  # newest first
    assert min(new) > max(before)


@pytest.mark.parametrize("seed", range(12))
def test_teammate_activity_always_notifies_the_target(seed: int) -> None:
    state = build_seed_state(NOW)
    target = 1 + seed % 3
    before = {n.notification_id for n in state.notifications_for(target)}
    line = state.simulate_teammate_activity(target, random.Random(seed))
    new = [n for n in state.notifications_for(target) if n.notification_id not in before]
    assert len(new) == 1
    assert new[0].actor_id != target and not state.users[new[0].actor_id].is_guest
    assert state.users[new[0].actor_id].full_name in line
    assert new[0].type in {"assignment", "mention", "status_change"}


# ---- PUT: patch (default; null clears) or, with put_replaces, replace ---------------------


async def test_patch_keeps_what_the_body_leaves_out_and_null_clears(
    api: ApiClient, state: AstravueState
) -> None:
    path = task_path(state, "Update pricing page copy")
    before = await api.data("GET", path)
    assert before["dueDate"] and before["owners"] and before["tags"]
    after = await api.data("PUT", path, json={"description": "New words", "startDate": None})
    assert after["description"] == "New words" and after["startDate"] is None
    for kept in ("taskTitle", "dueDate", "owners", "tags", "priority", "status", "completion"):
        assert after[kept] == before[kept], kept

    space = next(s for s in state.spaces.values() if s.name == "Marketing")
    renamed = await api.data(
        "PUT", f"/v1/spaces/{space.space_id}", json={"spaceName": "Growth", "description": None}
    )
    assert (renamed["description"], renamed["color"]) == ("", "#E91E63")

    website = project_id(state, "Website")
    project = await api.data(
        "PUT",
        f"/v1/spaces/{space.space_id - 1}/projects/{website}",
        json={"projectName": "Site", "budget": None},
    )
    assert (project["budget"], project["description"]) == (None, "Public website")


async def test_replace_resets_what_the_body_leaves_out(
    api: ApiClient, state: AstravueState
) -> None:
    state.put_replaces = True
    path = task_path(state, "Update pricing page copy")
    before = await api.data("GET", path)
    refused = await api.error(400, "PUT", path, json={"status": "Done"})
    assert fields_of(refused) == {"taskTitle"}
    assert await api.data("GET", path) == before  # a refused PUT changes nothing

    after = await api.data("PUT", path, json={"taskTitle": "Pricing", "status": "Done"})
    assert (after["taskTitle"], after["status"]["statusName"]) == ("Pricing", "Done")
    assert (after["description"], after["owners"], after["tags"]) == ("", [], [])
    assert (after["dueDate"], after["startDate"], after["completion"]) == (None, None, 0)
    assert after["priority"]["priorityLabel"] == "Medium"

    website = project_id(state, "Website")
    space_id = state.projects[website].space_id
    project = await api.data(
        "PUT", f"/v1/spaces/{space_id}/projects/{website}", json={"projectName": "Website"}
    )
    assert (project["description"], project["budget"], project["health"]) == ("", None, "On Track")
    space = await api.data("PUT", f"/v1/spaces/{space_id}", json={"spaceName": "Eng"})
    assert (space["description"], space["color"]) == ("", "#3F51B5")

    (entry,) = await api.data("GET", f"/v1/time-track/tasks/{before['taskId']}")
    assert entry["billable"] and entry["notes"]
    entry_path = f"/v1/time-track/{entry['timeTrackerId']}"
    refused = await api.error(400, "PUT", entry_path, json={"billable": True})
    assert fields_of(refused) == {"startTime", "endTime"}
    replaced = await api.data(
        "PUT", entry_path, json={"startTime": entry["startTime"], "endTime": entry["endTime"]}
    )
    assert (replaced["billable"], replaced["notes"]) == (False, None)
