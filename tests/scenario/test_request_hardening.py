"""Every malformed or forged request gets 401 (never 500) and runs nothing; events apply once."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from bot.sandbox.server import SIGNING_SECRET
from bot.sandbox.slack_requests import event_callback, sign, slash_command
from bot.sandbox.stack import Stack
from tests.scenario.conftest import drain_lazy_work, eventually


def _command_body() -> bytes:
    body, _ = slash_command("help", user_id="U0MARIA", trigger_id="t", response_url="http://x")
    return body


CASES = {
    "missing headers": lambda body: {},
    "empty timestamp": lambda body: {"X-Slack-Request-Timestamp": "", "X-Slack-Signature": "v0=00"},
    "non-numeric timestamp": lambda body: {
        "X-Slack-Request-Timestamp": "abc",
        "X-Slack-Signature": "v0=00",
    },
    "10 kB timestamp": lambda body: {
        "X-Slack-Request-Timestamp": "1" * 10_000,
        "X-Slack-Signature": "v0=00",
    },
    "timestamp 301 s old": lambda body: sign(
        body, "application/x-www-form-urlencoded", timestamp=int(time.time()) - 301
    ),
    # ahead by more than the window plus any delay before the app reads its clock
    "timestamp 330 s ahead": lambda body: sign(
        body, "application/x-www-form-urlencoded", timestamp=int(time.time()) + 330
    ),
    "wrong secret": lambda body: sign(
        body, "application/x-www-form-urlencoded", signing_secret="not-the-secret"
    ),
    "v1 prefix": lambda body: {
        **sign(body, "application/x-www-form-urlencoded"),
        "X-Slack-Signature": sign(body, "application/x-www-form-urlencoded")[
            "X-Slack-Signature"
        ].replace("v0=", "v1="),
    },
}


@pytest.mark.parametrize("case", list(CASES))
async def test_bad_signatures_and_timestamps_get_401(stack: Stack, case: str) -> None:
    body = _command_body()
    headers = {"Content-Type": "application/x-www-form-urlencoded", **CASES[case](body)}
    calls_before = len(stack.sandbox.slack.calls)
    async with httpx.AsyncClient() as http:
        response = await http.post(stack.app_url + "/slack/events", content=body, headers=headers)
    assert response.status_code == 401
    await drain_lazy_work(stack)
    assert len(stack.sandbox.slack.calls) == calls_before  # no listener ran


async def test_tampered_body_gets_401(stack: Stack) -> None:
    body, headers = slash_command(
        "help", user_id="U0MARIA", trigger_id="t", response_url="http://x"
    )
    async with httpx.AsyncClient() as http:
        response = await http.post(
            stack.app_url + "/slack/events",
            content=body.replace(b"help", b"doctor"),
            headers=headers,
        )
    assert response.status_code == 401


async def test_a_retried_event_is_applied_once(stack: Stack) -> None:
    sim = stack.user("U0MARIA")
    event = {
        "type": "app_home_opened",
        "user": "U0MARIA",
        "tab": "home",
        "channel": "D0MARIA",
        "event_ts": "1.0",
    }
    first = await sim.event(event, event_id="Ev0001")
    retries = await asyncio.gather(
        *[
            sim.event(event, event_id="Ev0001", retry_num=n, retry_reason="http_timeout")
            for n in (1, 2, 3)
        ]
    )
    assert first.status_code == 200 and all(r.status_code == 200 for r in retries)
    await eventually(lambda: stack.sandbox.slack.calls_to("views.publish"))
    await drain_lazy_work(stack)  # a retry's lazy work, had it started, has run by now
    assert len(stack.sandbox.slack.calls_to("views.publish")) == 1


async def test_events_with_the_signature_of_another_app_are_refused(stack: Stack) -> None:
    body, headers = event_callback(
        {"type": "app_uninstalled"}, event_id="Ev0002", signing_secret="someone-else"
    )
    async with httpx.AsyncClient() as http:
        response = await http.post(stack.app_url + "/slack/events", content=body, headers=headers)
    assert response.status_code == 401
    assert SIGNING_SECRET not in response.text
