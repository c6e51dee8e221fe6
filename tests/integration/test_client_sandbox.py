"""Every REST operation of the endpoint table, through `AstravueClient`, against the sandbox
over real HTTP with tokens the sandbox Keycloak issued; plus the Keycloak operations."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from bot.astravue.auth import KeycloakClient, TerminalGrantError, unverified_claims
from bot.astravue.client import AstravueClient
from bot.astravue.endpoints import ENDPOINTS
from bot.astravue.errors import Forbidden, NotFound
from bot.astravue.models import (
    ProjectRequest,
    SpaceRequest,
    TaskCreateRequest,
    TimerRequest,
)
from bot.sandbox.astravue_state import AstravueState
from bot.sandbox.server import Sandbox
from tests.integration.conftest import SessionTokens, astravue_client, login

MARIA, ACME = 1, 1
REST_OPERATIONS = frozenset(name for name, e in ENDPOINTS.items() if e.base == "api")


def operation_of(method: str, path: str) -> str:
    """The endpoint-table entry a request on the wire belongs to (ids are digits)."""
    for name in REST_OPERATIONS:
        endpoint = ENDPOINTS[name]
        pattern = re.sub(r"\\\{\w+\\\}", r"\\d+", re.escape(endpoint.path))
        if endpoint.method == method and re.fullmatch(pattern, path):
            return name
    raise AssertionError(f"{method} {path} is not in the endpoint table")


@dataclass
class Tour:
    sandbox: Sandbox
    client: AstravueClient

    @property
    def state(self) -> AstravueState:
        return self.sandbox.astravue

    def task_id(self, title: str) -> int:
        return next(t.task_id for t in self.state.tasks.values() if t.title == title)

    def space_id(self, name: str) -> int:
        return next(s.space_id for s in self.state.spaces.values() if s.name == name)

    def project_id(self, name: str) -> int:
        return next(p.project_id for p in self.state.projects.values() if p.name == name)

    def last_request(self) -> tuple[str, str, str | None]:
        return self.state.requests[-1]


async def personal_tasks(tour: Tour) -> None:
    tasks = tour.client.tasks
    expected = {t.task_id for t in tour.state.personal_tasks(MARIA)}
    page = await tasks.list(page=0, size=2, sort_by="dueDate", sort_direction="ASC")
    assert tour.last_request() == ("GET", "/v1/tasks", str(ACME))
    assert len(page.tasks) == 2 and page.total_elements == len(expected)
    assert [t.task_id async for t in tasks.iter(size=2)] != []
    assert {t.task_id async for t in tasks.iter(size=2)} == expected

    due = datetime(2030, 1, 2, 17, tzinfo=UTC)
    created = await tasks.create(
        body=TaskCreateRequest(task_title="Integration <task>", due_date=due, priority="High")
    )
    assert tour.last_request() == ("POST", "/v1/tasks", str(ACME))
    stored = tour.state.tasks[created.task_id]
    assert stored.title == created.task_title == "Integration <task>"
    assert created.due_date == due and created.priority is not None
    assert created.priority.priority_label == "High"

    fetched = await tasks.get(task_id=created.task_id)
    assert tour.last_request()[1] == f"/v1/tasks/{created.task_id}"
    assert fetched.task_id == created.task_id and fetched.status_name == created.status_name

    updated = await tasks.change(
        task_id=created.task_id, changes={"status": "Done", "completion": 100}
    )
    assert tour.last_request()[0] == "PUT"
    assert updated.status_name == "Done" and updated.completion == 100
    assert updated.due_date == due and updated.priority_label == "High"  # kept
    assert tour.state.status_of(stored).name == "Done"

    await tasks.delete(task_id=created.task_id)
    assert tour.last_request() == ("DELETE", f"/v1/tasks/{created.task_id}", str(ACME))
    assert created.task_id not in tour.state.tasks
    with pytest.raises(NotFound):
        await tasks.get(task_id=created.task_id)


async def spaces(tour: Tour) -> None:
    listed = await tour.client.spaces.list()
    assert {s.space_id for s in listed} == {s.space_id for s in tour.state.spaces_of(MARIA)}
    created = await tour.client.spaces.create(
        body=SpaceRequest(space_name="Research", color="#00FF00")
    )
    assert tour.state.spaces[created.space_id].name == "Research"
    fetched = await tour.client.spaces.get(space_id=created.space_id)
    assert fetched.space_name == "Research" and fetched.color == "#00FF00"
    updated = await tour.client.spaces.change(
        space_id=created.space_id, changes={"space_name": "R&D"}
    )
    assert updated.space_name == tour.state.spaces[created.space_id].name == "R&D"
    assert updated.color == "#00FF00"
    await tour.client.spaces.delete(space_id=created.space_id)
    assert tour.last_request() == ("DELETE", f"/v1/spaces/{created.space_id}", str(ACME))
    assert created.space_id not in tour.state.spaces


async def projects(tour: Tour) -> None:
    space_id = tour.space_id("Engineering")
    listed = await tour.client.projects.list(space_id=space_id, size=1)
    assert listed.total_elements == 2 and len(listed.projects) == 1
    names = {p.project_name async for p in tour.client.projects.iter(space_id=space_id, size=1)}
    assert names == {"Website", "Mobile App"}
    created = await tour.client.projects.create(
        space_id=space_id, body=ProjectRequest(project_name="Docs", budget=1500.0)
    )
    assert tour.last_request() == ("POST", f"/v1/spaces/{space_id}/projects", str(ACME))
    assert created.space_id == space_id and created.budget == 1500.0
    path = f"/v1/spaces/{space_id}/projects/{created.project_id}"
    fetched = await tour.client.projects.get(space_id=space_id, project_id=created.project_id)
    assert fetched.project_name == "Docs" and tour.last_request()[1] == path
    updated = await tour.client.projects.change(
        space_id=space_id, project_id=created.project_id, changes={"health": "At Risk"}
    )
    assert updated.health == tour.state.projects[created.project_id].health == "At Risk"
    assert updated.project_name == "Docs" and updated.budget == 1500.0
    await tour.client.projects.delete(space_id=space_id, project_id=created.project_id)
    assert tour.last_request() == ("DELETE", path, str(ACME))
    assert created.project_id not in tour.state.projects


async def project_tasks(tour: Tour) -> None:
    space_id, project_id = tour.space_id("Engineering"), tour.project_id("Website")
    project_tasks = tour.client.project_tasks
    listed = await project_tasks.list(space_id=space_id, project_id=project_id, search="login")
    assert [t.task_title for t in listed.tasks] == ["Fix login redirect loop"]
    every = [t async for t in project_tasks.iter(space_id=space_id, project_id=project_id, size=2)]
    assert len(every) == len(tour.state.project_tasks(MARIA, space_id, project_id))
    created = await project_tasks.create(
        space_id=space_id,
        project_id=project_id,
        body=TaskCreateRequest(task_title="Add sitemap", owners=[2], tags=["seo"]),
    )
    assert created.project_id == project_id and [o.user_id for o in created.owners] == [2]
    ids = {"space_id": space_id, "project_id": project_id, "task_id": created.task_id}
    fetched = await project_tasks.get(**ids)
    assert fetched.tags == ["seo"]
    assert tour.last_request() == (
        "GET",
        f"/v1/spaces/{space_id}/projects/{project_id}/tasks/{created.task_id}",
        "1",
    )
    updated = await project_tasks.change(**ids, changes={"task_title": "Sitemap"})
    assert updated.task_title == tour.state.tasks[created.task_id].title == "Sitemap"
    assert updated.tags == ["seo"] and [o.user_id for o in updated.owners] == [2]
    await project_tasks.delete(**ids)
    assert created.task_id not in tour.state.tasks


async def task_details(tour: Tour) -> None:
    login_id, budget_id = tour.task_id("Fix login redirect loop"), tour.task_id("Review Q3 budget")
    regression_id = tour.task_id("Write regression test")
    space_id, project_id = tour.space_id("Engineering"), tour.project_id("Website")
    personal = await tour.client.subtasks.list_personal(task_id=budget_id)
    assert [t.task_title for t in personal] == ["Check travel line items"]
    assert all(t.parent_task_id == budget_id for t in personal)
    in_project = await tour.client.subtasks.list_project(
        space_id=space_id, project_id=project_id, task_id=login_id
    )
    assert {t.task_title for t in in_project} == {"Reproduce on Safari", "Write regression test"}
    comments = [c async for c in tour.client.comments.iter(task_id=login_id, size=2)]
    assert [c.comment for c in comments] == [
        c.text for c in tour.state.comments_of(MARIA, login_id)
    ]
    assert comments[1].parent_comment_id == comments[0].comment_id
    checklist = await tour.client.checklists.list_for_task(task_id=login_id)
    assert [(c.title, c.completed) for c in checklist] == [
        ("Check the OAuth callback URL", True),
        ("Clear session cookies on logout", False),
    ]
    sub_checklist = await tour.client.checklists.list_for_subtask(
        task_id=login_id, subtask_id=regression_id
    )
    assert [c.title for c in sub_checklist] == ["Cover Safari", "Cover Firefox"]
    assert tour.last_request()[1] == (f"/v1/tasks/{login_id}/subtasks/{regression_id}/checklists")


async def timers(tour: Tour) -> None:
    flights = tour.task_id("Book flights for the offsite")
    pricing = tour.task_id("Update pricing page copy")
    website = tour.project_id("Website")
    timers = tour.client.timers
    started = await timers.start(task_id=flights)
    assert tour.last_request() == ("POST", f"/v1/time-track/tasks/{flights}/start", "1")
    assert started.running and tour.state.running_timer(MARIA) is not None
    active = await timers.active()
    assert [(a.time_tracker_id, a.task_title) for a in active] == [
        (started.time_tracker_id, "Book flights for the offsite")
    ]
    stopped = await timers.stop(task_id=flights, body=TimerRequest(billable=True, notes="done"))
    assert tour.last_request() == ("PUT", f"/v1/time-track/tasks/{flights}/stop", "1")
    assert not stopped.running and stopped.billable and tour.state.running_timer(MARIA) is None
    assert await timers.active() == []

    project_timer = await timers.start(task_id=pricing, project_id=website)
    assert tour.last_request()[1] == f"/v1/time-track/projects/{website}/tasks/{pricing}/start"
    assert project_timer.project_id == website
    await timers.stop(task_id=pricing)

    start = datetime(2030, 3, 4, 9, tzinfo=UTC)
    ranged = await timers.add_range(
        task_id=flights, body=TimerRequest(start_time=start, end_time=start + timedelta(hours=1))
    )
    assert ranged.duration == timedelta(hours=1)
    project_range = await timers.add_range(
        task_id=pricing,
        project_id=website,
        body=TimerRequest(start_time=start, end_time=start + timedelta(minutes=30)),
    )
    assert project_range.duration == timedelta(minutes=30)
    manual = await timers.add_manual(task_id=flights, body=TimerRequest(hours=2, minutes=15))
    assert manual.duration == timedelta(hours=2, minutes=15)
    project_manual = await timers.add_manual(
        task_id=pricing, project_id=website, body=TimerRequest(minutes=20, billable=True)
    )
    assert tour.last_request() == (
        "POST",
        f"/v1/time-track/projects/{website}/tasks/{pricing}/manual",
        "1",
    )
    assert project_manual.billable and project_manual.duration == timedelta(minutes=20)

    entries = await timers.list_for_task(task_id=flights, user_id=MARIA)
    assert {e.time_tracker_id for e in entries} == {
        e.entry_id for e in tour.state.time_entries(MARIA) if e.task_id == flights
    }
    edited = await timers.change(
        task_id=flights, time_tracker_id=manual.time_tracker_id, changes={"notes": "Compared fares"}
    )
    assert edited.notes == tour.state.entries[manual.time_tracker_id].notes == "Compared fares"
    assert edited.duration == manual.duration and edited.start_time == manual.start_time
    await timers.delete(time_tracker_id=manual.time_tracker_id)
    assert tour.last_request() == ("DELETE", f"/v1/time-track/{manual.time_tracker_id}", "1")
    assert manual.time_tracker_id not in tour.state.entries


async def timesheets(tour: Tour) -> None:
    today = datetime.now(UTC).date()
    window = {"start_date": today - timedelta(days=7), "end_date": today}
    report = await tour.client.timesheets.global_(group_by="project", **window)
    assert report.group_by == "project" and report.entries
    assert report.total_duration == sum(
        (e.duration or timedelta() for e in report.entries), timedelta()
    )
    website = tour.project_id("Website")
    project = await tour.client.timesheets.project(project_id=website, **window)
    assert {e.project_id for e in project.entries} == {website}
    summary = await tour.client.timesheets.project_summary(project_id=website, **window)
    assert summary.project_id == website
    assert summary.total_duration == project.total_duration > timedelta()
    assert tour.last_request()[1] == f"/v1/time-track/projects/{website}/timesheet/summary"


async def notifications(tour: Tour) -> None:
    unread = await tour.client.notifications.list(read=False)
    expected = [n for n in tour.state.notifications_for(MARIA) if not n.read]
    assert {n.notification_id for n in unread} == {n.notification_id for n in expected} != set()
    mentions = await tour.client.notifications.list(kind="MENTION")
    assert mentions and all(n.type == "mention" for n in mentions)
    first = unread[0].notification_id
    marked = await tour.client.notifications.mark_read(notification_ids=[first])
    assert marked.updated_count == 1 and tour.state.notifications[first].read
    assert tour.last_request() == ("PUT", "/v1/notifications/read", "1")
    deleted = await tour.client.notifications.delete(notification_ids=[first])
    assert deleted.deleted_count == 1 and first not in tour.state.notifications
    assert tour.last_request() == ("DELETE", "/v1/notifications", "1")


GROUPS: dict[str, Callable[[Tour], Awaitable[None]]] = {
    fn.__name__: fn
    for fn in (
        personal_tasks,
        spaces,
        projects,
        project_tasks,
        task_details,
        timers,
        timesheets,
        notifications,
    )
}


@pytest.fixture
async def tour(sandbox: Sandbox, http: httpx.AsyncClient, keycloak: KeycloakClient) -> Tour:
    signed_in = await login(keycloak, http, "maria")
    client = astravue_client(sandbox, http, SessionTokens(keycloak, signed_in.tokens))
    return Tour(sandbox, client)


@pytest.mark.parametrize("group", list(GROUPS))
async def test_operation_group(tour: Tour, group: str) -> None:
    before = len(tour.state.requests)
    await GROUPS[group](tour)
    sent = tour.state.requests[before:]
    assert sent and all(org == str(ACME) for _, _, org in sent), "every call names the org"


async def test_every_endpoint_of_the_table_is_exercised(tour: Tour) -> None:
    for group in GROUPS.values():
        await group(tour)
    exercised = {operation_of(method, path) for method, path, _ in tour.state.requests}
    assert exercised == REST_OPERATIONS, f"untested: {sorted(REST_OPERATIONS - exercised)}"
    assert len(REST_OPERATIONS) == 42


async def test_other_organisation_is_forbidden(
    sandbox: Sandbox, http: httpx.AsyncClient, keycloak: KeycloakClient
) -> None:
    signed_in = await login(keycloak, http, "maria")
    client = astravue_client(sandbox, http, SessionTokens(keycloak, signed_in.tokens), org_id=2)
    with pytest.raises(Forbidden):
        await client.spaces.list()
    assert sandbox.astravue.requests[-1] == ("GET", "/v1/spaces", "2")


async def test_keycloak_code_exchange_userinfo_refresh_and_revoke(
    sandbox: Sandbox, http: httpx.AsyncClient, keycloak: KeycloakClient
) -> None:
    signed_in = await login(keycloak, http, "sam")
    tokens = signed_in.tokens
    claims = tokens.claims()
    assert claims["astravue_user_id"] == 3 and claims["email"] == "sam@acme.test"
    assert "tenant_id" not in claims  # Sam's token has no organisation: the app must ask
    assert tokens.id_token and tokens.refresh_token and "offline_access" in (tokens.scope or "")
    assert sandbox.keycloak.authenticate(tokens.access_token) == 3

    info = await keycloak.userinfo(tokens.access_token)
    assert info["email"] == "sam@acme.test" and info["sub"] == claims["sub"]

    assert tokens.refresh_token is not None
    refreshed = await keycloak.refresh(tokens.refresh_token)
    assert refreshed.refresh_token not in (None, tokens.refresh_token)
    assert refreshed.access_token != tokens.access_token and refreshed.expires_in == 300
    assert unverified_claims(refreshed.access_token)["sid"] == claims["sid"]
    assert sandbox.keycloak.token_requests == ["authorization_code", "refresh_token"]

    assert refreshed.refresh_token is not None
    await keycloak.revoke(refreshed.refresh_token)
    assert sandbox.keycloak.revoke_requests == 1
    with pytest.raises(TerminalGrantError) as ended:
        await keycloak.refresh(refreshed.refresh_token)
    assert ended.value.error == "invalid_grant"

    with pytest.raises(TerminalGrantError, match="Code not valid"):  # codes are single-use
        await keycloak.exchange_code(
            code=signed_in.code,
            redirect_uri="http://127.0.0.1:9/x",
            code_verifier=signed_in.verifier,
        )
