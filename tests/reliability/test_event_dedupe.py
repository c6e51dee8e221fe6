"""R3: one event delivered four times (Slack's retries 1-3, `http_timeout`) is applied once.

Over HTTP the deliveries are signed POSTs to /slack/events; over Socket Mode they go through
Bolt's own Socket Mode adapter function (`run_async_bolt_app`), which builds the
`AsyncBoltRequest(mode="socket_mode", headers={"x-slack-retry-num": ...})` exactly as a live
WebSocket envelope would. Every delivery must be acknowledged quickly, however many repeat.
(`tests/scenario/test_request_hardening.py` covers a first delivery followed by retries over
HTTP; here all four arrive at once, on both transports.)
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from slack_bolt.adapter.socket_mode.async_internals import run_async_bolt_app
from slack_bolt.async_app import AsyncApp
from slack_sdk.socket_mode.request import SocketModeRequest

from bot.sandbox.slack_requests import event_callback
from bot.sandbox.stack import Stack
from tests.scenario.conftest import connect, drain_lazy_work, eventually

RETRY_REASON = "http_timeout"
ACK_BUDGET = 1.0  # seconds; the target is < 300 ms, Slack's own limit is 3 s

# One delivery: (stack, event, event_id, retry_num or None) -> (status, seconds to the answer)
Deliver = Callable[[Stack, dict[str, Any], str, int | None], Awaitable[tuple[int, float]]]


def running_bolt(stack: Stack) -> AsyncApp:
    """The Bolt app the running server dispatches to (built in its lifespan)."""
    bolt = stack.app_server.server.config.app.state.app_state["bolt"]
    assert isinstance(bolt, AsyncApp)
    return bolt


async def deliver_http(
    stack: Stack, event: dict[str, Any], event_id: str, retry_num: int | None
) -> tuple[int, float]:
    sim = stack.user(event.get("user", "U0MARIA"))
    started = time.perf_counter()
    response = await sim.event(
        event,
        event_id=event_id,
        retry_num=retry_num,
        retry_reason=RETRY_REASON if retry_num else None,
    )
    return response.status_code, time.perf_counter() - started


async def deliver_socket(
    stack: Stack, event: dict[str, Any], event_id: str, retry_num: int | None
) -> tuple[int, float]:
    body, _ = event_callback(event, event_id=event_id)
    envelope = SocketModeRequest(
        type="events_api",
        envelope_id=f"env-{event_id}-{retry_num or 0}",
        payload=json.loads(body),
        retry_attempt=retry_num,
        retry_reason=RETRY_REASON if retry_num else None,
    )
    started = time.perf_counter()
    response = await run_async_bolt_app(running_bolt(stack), envelope)
    return response.status, time.perf_counter() - started


TRANSPORTS: dict[str, Deliver] = {"http": deliver_http, "socket_mode": deliver_socket}


async def deliver_four_times(
    stack: Stack, transport: str, event: dict[str, Any], event_id: str
) -> None:
    """The original and retries 1-3 all at once; each answered 2xx within the budget."""
    deliver = TRANSPORTS[transport]
    results = await asyncio.gather(
        *[deliver(stack, event, event_id, retry) for retry in (None, 1, 2, 3)]
    )
    timings = ", ".join(f"{seconds * 1000:.0f} ms" for _, seconds in results)
    print(f"{transport} {event['type']} x4 acknowledged in: {timings}")
    for status, seconds in results:
        assert 200 <= status < 300, f"a delivery got {status} ({timings})"
        assert seconds < ACK_BUDGET, f"a delivery took {seconds:.3f} s ({timings})"


@pytest.mark.parametrize("transport", list(TRANSPORTS))
async def test_app_home_opened_four_times_publishes_once(stack: Stack, transport: str) -> None:
    event = {
        "type": "app_home_opened",
        "user": "U0MARIA",
        "tab": "home",
        "channel": "D0MARIA",
        "event_ts": "1.0",
    }
    await deliver_four_times(stack, transport, event, f"EvHome{transport}")
    await eventually(lambda: stack.sandbox.slack.calls_to("views.publish"))
    await drain_lazy_work(stack)  # any wrongly repeated lazy work has run by now
    assert len(stack.sandbox.slack.calls_to("views.publish")) == 1


async def test_a_socket_mode_retry_of_an_http_delivery_is_skipped(stack: Stack) -> None:
    """The dedupe record is shared: a retry may arrive on the other transport after a switch."""
    event = {
        "type": "app_home_opened",
        "user": "U0MARIA",
        "tab": "home",
        "channel": "D0MARIA",
        "event_ts": "1.0",
    }
    status, _ = await deliver_http(stack, event, "EvMixed", None)
    assert status == 200
    await eventually(lambda: stack.sandbox.slack.calls_to("views.publish"))
    status, _ = await deliver_socket(stack, event, "EvMixed", 1)
    assert status == 200
    await drain_lazy_work(stack)  # any wrongly repeated lazy work has run by now
    assert len(stack.sandbox.slack.calls_to("views.publish")) == 1


@pytest.mark.parametrize("transport", list(TRANSPORTS))
async def test_app_uninstalled_four_times_revokes_each_link_once(
    stack: Stack, transport: str
) -> None:
    linked = ("U0MARIA", "U0DEV")
    for user in linked:
        await connect(stack, user)
    before = stack.sandbox.keycloak.revoke_requests
    await deliver_four_times(
        stack, transport, {"type": "app_uninstalled"}, f"EvUninstall{transport}"
    )
    await eventually(lambda: stack.sandbox.keycloak.revoke_requests >= before + len(linked))
    await drain_lazy_work(stack)  # any wrongly repeated lazy work has run by now
    assert stack.sandbox.keycloak.revoke_requests == before + len(linked)
