"""Error mapping, retries, the deadline, the 401 refresh, the budget, paging and logging."""

from __future__ import annotations

import logging
from collections.abc import Callable

import httpx
import pytest
import respx

from bot.astravue.budget import UserRateBudget
from bot.astravue.client import AstravueClient
from bot.astravue.errors import (
    AstravueAPIError,
    AstravueConnectionError,
    AstravueTimeout,
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    RateLimited,
    ReauthorizationRequired,
    ResponseValidationError,
    ServerError,
)
from bot.astravue.models import TaskCreateRequest

from . import payloads as p
from .conftest import ACCESS_TOKEN, REFRESHED_TOKEN, FakeClock, ScriptedTokens, envelope

NEW_TASK = TaskCreateRequest(task_title="x")


def api_error(status: int, message: str) -> httpx.Response:
    return httpx.Response(status, json={"success": False, "message": message, "code": status})


async def test_400_carries_field_errors(client: AstravueClient, router: respx.MockRouter) -> None:
    route = router.post("/v1/tasks").respond(
        400,
        json={
            "success": False,
            "message": "Validation failed",
            "code": 400,
            "errors": [{"field": "taskTitle", "message": "must not be blank", "rejectedValue": ""}],
        },
    )
    with pytest.raises(BadRequest) as caught:
        await client.tasks.create(body=NEW_TASK)
    assert route.call_count == 1
    assert caught.value.status == 400
    assert [(e.field, e.message) for e in caught.value.field_errors] == [
        ("taskTitle", "must not be blank")
    ]
    assert str(caught.value) == "POST /v1/tasks failed with HTTP 400: Validation failed"


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (403, Forbidden),
        (404, NotFound),
        (409, Conflict),
        (418, AstravueAPIError),
        (422, BadRequest),
    ],
)
async def test_status_maps_to_class_and_is_not_retried(
    status: int,
    error_class: type[AstravueAPIError],
    client: AstravueClient,
    router: respx.MockRouter,
) -> None:
    route = router.get("/v1/tasks").mock(return_value=api_error(status, "nope"))
    with pytest.raises(error_class) as caught:
        await client.tasks.list(page=3)
    assert type(caught.value) is error_class
    assert route.call_count == 1
    assert caught.value.path == "/v1/tasks"  # no query string in errors
    assert "page=3" not in str(caught.value)


async def test_401_refreshes_once_and_retries_with_the_new_token(
    client: AstravueClient, router: respx.MockRouter, tokens: ScriptedTokens
) -> None:
    route = router.get("/v1/tasks/7").mock(
        side_effect=[api_error(401, "expired"), httpx.Response(200, json=envelope(p.TASK))]
    )
    task = await client.tasks.get(task_id=7)
    assert task.task_id == 7
    assert tokens.rejected == [ACCESS_TOKEN]
    sent = [call.request.headers["Authorization"] for call in route.calls]
    assert sent == [f"Bearer {ACCESS_TOKEN}", f"Bearer {REFRESHED_TOKEN}"]


async def test_second_401_requires_reauthorization(
    client: AstravueClient, router: respx.MockRouter, tokens: ScriptedTokens
) -> None:
    route = router.get("/v1/tasks/7").mock(return_value=api_error(401, "expired"))
    with pytest.raises(ReauthorizationRequired):
        await client.tasks.get(task_id=7)
    assert route.call_count == 2
    assert tokens.rejected == [ACCESS_TOKEN]


async def test_refresh_refusal_propagates(
    make_client: Callable[..., AstravueClient], router: respx.MockRouter
) -> None:
    route = router.get("/v1/tasks/7").mock(return_value=api_error(401, "expired"))
    tokens = ScriptedTokens(ACCESS_TOKEN, refusal="invalid_grant")
    with pytest.raises(ReauthorizationRequired, match="invalid_grant"):
        await make_client(tokens=tokens).tasks.get(task_id=7)
    assert route.call_count == 1


async def test_429_waits_for_retry_after(
    client: AstravueClient, router: respx.MockRouter, clock: FakeClock
) -> None:
    route = router.get("/v1/spaces").mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "2"}, json={"success": False}),
            httpx.Response(200, json=envelope([p.SPACE])),
        ]
    )
    spaces = await client.spaces.list()
    assert [space.space_id for space in spaces] == [3]
    assert route.call_count == 2
    assert clock.sleeps == [2.0]


async def test_429_longer_than_the_cap_surfaces_at_once(
    client: AstravueClient, router: respx.MockRouter, clock: FakeClock
) -> None:
    route = router.get("/v1/spaces").respond(429, headers={"Retry-After": "60"}, json={})
    with pytest.raises(RateLimited) as caught:
        await client.spaces.list()
    assert caught.value.retry_after == 60.0
    assert route.call_count == 1
    assert clock.sleeps == []


async def test_5xx_is_retried_with_backoff_then_surfaced(
    client: AstravueClient, router: respx.MockRouter, clock: FakeClock
) -> None:
    route = router.get("/v1/spaces").mock(return_value=api_error(502, "bad gateway"))
    with pytest.raises(ServerError):
        await client.spaces.list()
    assert route.call_count == 3  # first attempt + max_retries=2
    assert clock.sleeps == [0.1875, 0.375]  # equal jitter at 0.5 of 0.25 s, then 0.5 s


async def test_503_then_success(client: AstravueClient, router: respx.MockRouter) -> None:
    router.get("/v1/spaces").mock(
        side_effect=[api_error(503, "down"), httpx.Response(200, json=envelope([]))]
    )
    assert await client.spaces.list() == []


@pytest.mark.parametrize(
    ("failure", "error_class"),
    [
        (httpx.ConnectError("refused"), AstravueConnectionError),
        (httpx.ReadTimeout("slow"), AstravueTimeout),
    ],
)
async def test_transport_failures_are_retried_then_surfaced(
    failure: Exception,
    error_class: type[Exception],
    client: AstravueClient,
    router: respx.MockRouter,
) -> None:
    route = router.get("/v1/spaces").mock(side_effect=failure)
    with pytest.raises(error_class):
        await client.spaces.list()
    assert route.call_count == 3


@pytest.mark.parametrize(
    ("failure", "attempts"),
    [
        (httpx.ReadTimeout("slow"), 1),  # may have been created: never resend
        (api_error(500, "boom"), 1),
        (httpx.ConnectError("refused"), 3),  # never reached the server: safe to resend
        (api_error(503, "unavailable"), 3),
        (api_error(429, "slow down"), 3),
    ],
)
async def test_post_is_resent_only_when_it_surely_did_not_take_effect(
    failure: Exception | httpx.Response,
    attempts: int,
    client: AstravueClient,
    router: respx.MockRouter,
) -> None:
    route = router.post("/v1/tasks")
    if isinstance(failure, httpx.Response):
        route.mock(return_value=failure)
    else:
        route.mock(side_effect=failure)
    with pytest.raises((AstravueConnectionError, AstravueAPIError)):
        await client.tasks.create(body=NEW_TASK)
    assert route.call_count == attempts


async def test_deadline_stops_retries_that_would_pass_it(
    client: AstravueClient, router: respx.MockRouter, clock: FakeClock
) -> None:
    route = router.get("/v1/spaces").respond(429, headers={"Retry-After": "8"}, json={})
    with pytest.raises(RateLimited):
        await client.spaces.list()
    # 8 s fits in the 15 s deadline; a second 8 s wait would end at 16 s.
    assert clock.sleeps == [8.0]
    assert route.call_count == 2


async def test_attempt_timeouts_shrink_to_the_time_left(
    client: AstravueClient, router: respx.MockRouter
) -> None:
    route = router.get("/v1/spaces").mock(
        side_effect=[
            httpx.Response(503, headers={"Retry-After": "9"}, json={}),
            httpx.Response(200, json=envelope([])),
        ]
    )
    await client.spaces.list()
    first, second = (call.request.extensions["timeout"] for call in route.calls)
    assert first["read"] == 10.0 and first["connect"] == 3.0
    assert second["read"] == 6.0 and second["connect"] == 3.0


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, json=envelope({"taskTitle": "no id"})),
        httpx.Response(200, text="<html>proxy</html>"),
        httpx.Response(200, json=[p.TASK]),
    ],
)
async def test_unexpected_bodies_raise_validation_errors(
    response: httpx.Response, client: AstravueClient, router: respx.MockRouter
) -> None:
    router.get("/v1/tasks/7").mock(return_value=response)
    with pytest.raises(ResponseValidationError, match="GET /v1/tasks/7"):
        await client.tasks.get(task_id=7)


async def test_budget_makes_the_call_over_the_limit_wait(
    make_client: Callable[..., AstravueClient], router: respx.MockRouter, clock: FakeClock
) -> None:
    router.get("/v1/spaces").respond(json=envelope([]))
    budget = UserRateBudget(limit=2, window=60.0, clock=clock, sleep=clock.sleep)
    client = make_client(budget=budget)
    for _ in range(3):
        await client.spaces.list()
    assert clock.sleeps == [60.0]


async def test_iter_walks_pages_lazily(client: AstravueClient, router: respx.MockRouter) -> None:
    def page(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        task = {**p.TASK, "taskId": 100 + number}
        return httpx.Response(
            200, json=envelope({"tasks": [task], "page": number, "size": 1, "totalPages": 3})
        )

    route = router.get("/v1/spaces/3/projects/4/tasks").mock(side_effect=page)
    ids = [
        task.task_id async for task in client.project_tasks.iter(space_id=3, project_id=4, size=1)
    ]
    assert ids == [100, 101, 102]
    assert [call.request.url.params["page"] for call in route.calls] == ["0", "1", "2"]

    async for _ in client.project_tasks.iter(space_id=3, project_id=4, size=1):
        break
    assert route.call_count == 4


async def test_list_without_totals_stops_at_a_short_page(
    client: AstravueClient, router: respx.MockRouter
) -> None:
    numbered = [{**p.NOTIFICATION, "notificationId": i} for i in range(5)]
    pages = [numbered[0:2], numbered[2:4], numbered[4:]]
    route = router.get("/v1/notifications").mock(
        side_effect=[httpx.Response(200, json=envelope(items)) for items in pages]
    )
    seen = [n async for n in client.notifications.iter(size=2, read=False)]
    assert len(seen) == 5
    assert route.call_count == 3


async def test_debug_logs_name_the_call_but_never_a_token(
    client: AstravueClient, router: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    router.get("/v1/tasks/7").mock(
        side_effect=[api_error(401, "expired"), httpx.Response(200, json=envelope(p.TASK))]
    )
    router.get("/v1/spaces").mock(side_effect=httpx.ConnectError("refused"))
    caplog.set_level(logging.DEBUG)
    await client.tasks.get(task_id=7)
    with pytest.raises(AstravueConnectionError) as caught:
        await client.spaces.list()

    lines = [record.getMessage() for record in caplog.records]
    assert any(
        "GET /v1/tasks/{taskId} -> 401" in line and "T0ACME:U0MARIA" in line for line in lines
    )
    assert any("GET /v1/tasks/{taskId} -> 200" in line for line in lines)
    for text in [*lines, str(caught.value)]:
        assert ACCESS_TOKEN not in text
        assert REFRESHED_TOKEN not in text
