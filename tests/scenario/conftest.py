"""A running stack per test: sandbox (Astravue, Keycloak, Slack) and the real app over HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from bot.sandbox.stack import SLACK_USERNAMES, Stack, start_stack


@pytest.fixture
async def stack(database_url: str) -> AsyncIterator[Stack]:
    running = await start_stack(database_url)
    try:
        yield running
    finally:
        await running.stop()


async def eventually(check: Callable[[], Any], within: float = 5.0) -> Any:
    """Poll until `check()` returns something truthy (lazy work finishes after the ack)."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        result = check()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


def buttons(payload: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every button or overflow of a message or view, by action id."""
    found: dict[str, dict[str, Any]] = {}
    for block in payload.get("blocks") or []:
        for element in block.get("elements") or []:
            if "action_id" in element:
                found[element["action_id"]] = element
        accessory = block.get("accessory")
        if accessory and "action_id" in accessory:
            found[accessory["action_id"]] = accessory
    return found


def text_of(payload: dict[str, Any]) -> str:
    """All visible text of a payload, flattened, for assertions on what the user reads."""
    parts = [str(payload.get("text") or "")]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text") and "text" in node:
                parts.append(str(node["text"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(payload.get("blocks") or [])
    return "\n".join(parts)


async def last_response(stack: Stack, user_id: str, after: int) -> dict[str, Any]:
    """The newest response_url post to `user_id` beyond the first `after` ones."""
    posts = await eventually(lambda: [p for p in stack.sandbox.slack.responses[after:]
                                      if p.user == user_id])
    return posts[-1].payload


async def connect(stack: Stack, user_id: str = "U0MARIA") -> None:
    """Link a Slack user through the real OAuth flow against the sandbox Keycloak."""
    before = len(stack.sandbox.slack.responses)
    response = await stack.user(user_id).command("connect")
    assert response.status_code == 200
    prompt = await last_response(stack, user_id, before)
    url = buttons(prompt)["account.connect"]["url"]
    page = await stack.follow_connect(url, SLACK_USERNAMES[user_id])
    assert page.status_code == 200, page.text
    await eventually(lambda: any("Connected" in text_of(p.payload)
                                 for p in stack.sandbox.slack.responses[before:]))
