"""Page walks are bounded whatever the server does (issue 12 item 6), and a notification
poll finds what is new whatever order the API lists in (issue 14)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import respx

from bot.astravue.client import AstravueClient
from bot.astravue.models import NotificationDto, page_order
from bot.astravue.pagination import Page, PageWalk, noting_cut_short
from bot.services.notification_feed import fetch_new
from tests.unit.astravue import payloads as p
from tests.unit.astravue.conftest import envelope


def _tasks(*ids: int) -> list[dict[str, Any]]:
    return [{**p.TASK, "taskId": i} for i in ids]


async def test_a_server_ignoring_page_is_read_once_and_reported_cut_short(
    client: AstravueClient, router: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    route = router.get("/v1/tasks").mock(
        return_value=httpx.Response(200, json=envelope({"tasks": _tasks(1, 2)}))
    )
    walk = client.tasks.iter(size=2)
    with noting_cut_short() as notes:
        ids = [t.task_id async for t in walk]
    assert ids == [1, 2] and route.call_count == 2
    assert walk.cut_short and notes == ["listPersonalTasks"]
    assert "listPersonalTasks: stopped reading pages (page 1 repeated page 0)" in caplog.text


async def test_a_walk_stops_at_the_page_cap() -> None:
    async def endless(number: int) -> Page[int]:
        return Page(number, [number], has_next=True)

    walk = PageWalk(endless, operation="listThings", identity=lambda i: i, max_pages=7)
    assert [i async for i in walk] == list(range(7))
    assert walk.cut_short


async def test_an_empty_page_ends_the_walk_quietly() -> None:
    async def fetch(number: int) -> Page[int]:
        return Page(number, [] if number == 2 else [number], has_next=True)

    walk = PageWalk(fetch, operation="listThings", identity=lambda i: i)
    assert [i async for i in walk] == [0, 1] and not walk.cut_short


async def test_spring_last_flag_and_a_capped_page_size_are_trusted(
    client: AstravueClient, router: respx.MockRouter
) -> None:
    pages = [
        {"content": _tasks(1, 2), "size": 2, "number": 0, "last": False},
        {"content": _tasks(3), "size": 2, "number": 1, "last": True},
    ]
    route = router.get("/v1/tasks").mock(
        side_effect=[httpx.Response(200, json=envelope(page)) for page in pages]
    )
    assert [t.task_id async for t in client.tasks.iter(size=100)] == [1, 2, 3]
    assert route.call_count == 2  # asked for 100, the server sent 2 a page and said so


# --- notifications, whatever the order ----------------------------------------------------

START = datetime(2026, 1, 1, tzinfo=UTC)


def _notes(*ids: int) -> list[dict[str, Any]]:
    return [
        {
            **p.NOTIFICATION,
            "notificationId": i,
            "createTime": (START + timedelta(minutes=i)).isoformat(),
        }
        for i in ids
    ]


def _pages(router: respx.MockRouter, pages: list[Any]) -> respx.Route:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=envelope(pages[int(request.url.params["page"])]))

    return router.get("/v1/notifications").mock(side_effect=answer)


async def test_newest_first_stops_at_the_first_page_holding_a_seen_one(
    client: AstravueClient, router: respx.MockRouter
) -> None:
    route = _pages(router, [_notes(12, 11), _notes(10, 9), _notes(8, 7)])
    found = await fetch_new(client, 10, page_size=2, max_pages=5)
    assert [n.notification_id for n in found] == [11, 12]
    assert route.call_count == 2


async def test_oldest_first_with_totals_reads_from_the_last_page_back(
    client: AstravueClient, router: respx.MockRouter
) -> None:
    def page(number: int, ids: tuple[int, ...]) -> dict[str, Any]:
        return {
            "content": _notes(*ids),
            "number": number,
            "size": 2,
            "totalPages": 10,
            "last": number == 9,
        }

    route = _pages(router, [page(n, (2 * n + 1, 2 * n + 2)) for n in range(10)])
    found = await fetch_new(client, 16, page_size=2, max_pages=5)
    assert [n.notification_id for n in found] == [17, 18, 19, 20]
    assert [r.request.url.params["page"] for r in route.calls] == ["0", "9", "8", "7"]


async def test_oldest_first_without_totals_reads_to_the_end(
    client: AstravueClient, router: respx.MockRouter
) -> None:
    _pages(router, [_notes(1, 2), _notes(3, 4), _notes(5, 6), _notes(7)])
    found = await fetch_new(client, 4, page_size=2, max_pages=2)
    assert [n.notification_id for n in found] == [5, 6, 7]


def test_page_order_reads_time_then_id() -> None:
    newest = [NotificationDto.model_validate(n) for n in _notes(3, 2)]
    assert page_order(newest) == "newest first"
    assert page_order(list(reversed(newest))) == "oldest first"
    assert page_order(newest[:1]) is None
