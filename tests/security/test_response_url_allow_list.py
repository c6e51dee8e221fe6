"""Issue 12 item 11: a response_url outside Slack's hosts (and the configured prefixes) is
never requested, not when the command is answered, and not when the connect flow it started
finishes; the user is answered another way (an ephemeral message or a DM)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.sandbox.server import LoopbackServer
from bot.sandbox.slack_requests import slash_command
from bot.sandbox.stack import SLACK_USERNAMES, Stack
from tests.scenario import conftest as scenario
from tests.scenario.conftest import buttons, eventually, text_of

stack = scenario.stack  # the running stack of the scenario tests
SECRET_PATH = "/commands/T0ACME/1234/not-a-slack-secret"


def _to_maria(stack: Stack) -> list[dict[str, Any]]:
    """What the app sent Maria by chat.postEphemeral or as a DM."""
    sent = []
    for call in stack.sandbox.slack.calls:
        ephemeral = call.method == "chat.postEphemeral" and call.args.get("user") == "U0MARIA"
        dm = call.method == "chat.postMessage" and call.args.get("channel") in (
            "U0MARIA",
            "D0MARIA",
        )
        if call.ok and (ephemeral or dm):
            sent.append(call.args)
    return sent


def _prompts(stack: Stack) -> list[dict[str, Any]]:
    return [payload for payload in _to_maria(stack) if "account.connect" in buttons(payload)]


async def test_a_foreign_response_url_is_never_requested(
    stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    requested: list[str] = []

    async def record(request: Request) -> Response:
        requested.append(request.url.path)
        return PlainTextResponse("ok")

    elsewhere = LoopbackServer(
        Starlette(routes=[Route("/{path:path}", record, methods=["GET", "POST", "PUT"])])
    )
    foreign_url = await elsewhere.start() + SECRET_PATH
    sim = stack.user("U0MARIA")
    try:
        caplog.set_level(logging.WARNING, logger="bot.listeners.response_url_guard")
        response = await sim.post(
            slash_command(
                "connect",
                user_id="U0MARIA",
                trigger_id=stack.sandbox.slack.new_trigger_id("U0MARIA"),
                response_url=foreign_url,
            )
        )
        assert response.status_code == 200
        await eventually(lambda: requested or _prompts(stack))
        assert requested == []  # the prompt went to Maria, not to the foreign URL
        page = await stack.follow_connect(
            buttons(_prompts(stack)[-1])["account.connect"]["url"], SLACK_USERNAMES["U0MARIA"]
        )
        assert page.status_code == 200, page.text
        await eventually(
            lambda: requested or any("Connected" in text_of(p) for p in _to_maria(stack))
        )
        await scenario.drain_lazy_work(stack)  # the connect flow's work has all run
    finally:
        await elsewhere.stop()
    assert requested == []  # nor did the confirmation, at the end of the connect flow
    warnings = [r.getMessage() for r in caplog.records if "response_url" in r.getMessage()]
    assert warnings and all("127.0.0.1" in w and SECRET_PATH not in w for w in warnings)
