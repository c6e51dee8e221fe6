"""Distributed mode end to end: the sandbox (with its Slack OAuth fake) and the real app with
SLACK_CLIENT_ID/SECRET set and no bot token; workspaces install through a browser."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from bot.sandbox.slack_install import install_workspace
from bot.sandbox.slack_requests import FORM, SIGNING_SECRET, event_callback, sign
from bot.sandbox.stack import Stack, start_stack
from tests.scenario.conftest import no_secret_in_debug_logs  # noqa: F401  (autouse: no token logged)

ACME, BETA = "T0ACME", "T0BETA"


@pytest.fixture
async def dist(database_url: str) -> AsyncIterator[Stack]:
    running = await start_stack(database_url, distributed=True)
    oauth = running.sandbox.slack_oauth
    oauth.add_workspace(ACME, "Acme")
    oauth.add_workspace(BETA, "Beta")
    running.sandbox.slack.add_user(
        "U0BEA", name="bea", real_name="Bea Beta", email="bea@beta.test", tz="UTC"
    )
    try:
        yield running
    finally:
        await running.stop()


async def install(stack: Stack, team_id: str) -> httpx.Response:
    visit = await install_workspace(stack.app_url, team_id)
    assert visit.result is not None, visit.authorize
    return visit.result


async def command(
    stack: Stack,
    user_id: str,
    text: str,
    *,
    team_id: str,
    enterprise_id: str | None = None,
    channel_id: str = "C0GENERAL",
) -> tuple[httpx.Response, str]:
    """A signed /astravue from `user_id` in `team_id`; returns the app's answer and the
    response_url it was given."""
    fake = stack.sandbox.slack
    response_url = fake.new_response_url(channel_id, user_id)
    fields = {
        "token": "sandbox-verification-token",
        "team_id": team_id,
        "team_domain": team_id.lower(),
        "channel_id": channel_id,
        "channel_name": "general",
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": "/astravue",
        "text": text,
        "api_app_id": "A0ASTRAVUE",
        "is_enterprise_install": "true" if enterprise_id else "false",
        "response_url": response_url,
        "trigger_id": fake.new_trigger_id(user_id),
    }
    if enterprise_id:
        fields["enterprise_id"] = enterprise_id
    body = urlencode(fields).encode()
    async with httpx.AsyncClient(timeout=10) as client:
        answer = await client.post(
            f"{stack.app_url}/slack/events",
            content=body,
            headers=sign(body, FORM, signing_secret=SIGNING_SECRET),
        )
    return answer, response_url


async def deliver_event(
    stack: Stack, event: dict[str, Any], *, team_id: str, enterprise_id: str | None = None
) -> httpx.Response:
    body, headers = event_callback(event, team_id=team_id, signing_secret=SIGNING_SECRET)
    if enterprise_id:
        envelope = json.loads(body)
        envelope["enterprise_id"] = enterprise_id
        envelope["authorizations"][0]["enterprise_id"] = enterprise_id
        body = json.dumps(envelope).encode()
        headers = sign(body, "application/json", signing_secret=SIGNING_SECRET)
    async with httpx.AsyncClient(timeout=10) as client:
        return await client.post(f"{stack.app_url}/slack/events", content=body, headers=headers)


async def connect_in(
    stack: Stack, user_id: str, login: str, *, team_id: str, enterprise_id: str | None = None
) -> None:
    """`/astravue connect` typed in `team_id`, then the browser signs in to Astravue."""
    from tests.scenario.conftest import buttons, eventually, last_response, text_of

    fake = stack.sandbox.slack
    before = len(fake.responses)
    answer, _ = await command(
        stack, user_id, "connect", team_id=team_id, enterprise_id=enterprise_id
    )
    assert answer.status_code == 200, answer.text
    prompt = await last_response(stack, user_id, before)
    page = await stack.follow_connect(buttons(prompt)["account.connect"]["url"], login)
    assert page.status_code == 200, page.text
    await eventually(
        lambda: any("Connected" in text_of(p.payload) for p in fake.responses[before:])
    )


async def until(read: Callable[[], Awaitable[Any]], expected: Any, within: float = 5.0) -> None:
    """Poll an async read until it returns `expected` (lazy listeners finish after the ack)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while (value := await read()) != expected:
        if loop.time() > deadline:
            raise AssertionError(f"still {value!r}, expected {expected!r}")
        await asyncio.sleep(0.02)
