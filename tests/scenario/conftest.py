"""A running stack per test: sandbox (Astravue, Keycloak, Slack) and the real app over HTTP."""

from __future__ import annotations

import asyncio
import io
import logging
import re
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from bot.logging import install_redaction, setup_logging
from bot.sandbox.dialect import Dialect
from bot.sandbox.server import BOT_TOKEN, CLIENT_SECRET, SIGNING_SECRET
from bot.sandbox.stack import SLACK_USERNAMES, Stack, start_stack
from tests.conftest import ON_POSTGRES
from tests.scenario import dialects


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Each scenario test runs against the sandbox in several dialects (dialects.py)."""
    if "stack" not in metafunc.fixturenames:
        return
    config = metafunc.config
    node = f"{metafunc.definition.path.name}::{metafunc.definition.originalname}"
    metafunc.parametrize(
        "stack",
        dialects.variants(
            node,
            on_postgres=ON_POSTGRES,
            only=config.getoption("--sandbox-dialect"),
            every_switch=config.getoption("--all-dialect-combinations"),
            timing=metafunc.definition.get_closest_marker("timing") is not None,
        ),
        indirect=True,
    )


@pytest.fixture
async def stack(database_url: str, request: pytest.FixtureRequest) -> AsyncIterator[Stack]:
    """The sandbox and the app; the sandbox's Astravue speaks the dialect of the test's
    parameter ("" when not parametrised: the documented guesses)."""
    dialect = Dialect.parse(str(getattr(request, "param", "")))
    running = await start_stack(database_url, dialect=dialect)
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


async def drain_lazy_work(stack: Stack) -> None:
    """Run every lazy listener the requests so far started to its end, so that "nothing
    more happened" is checked after the work that could make it happen, not after a guessed
    delay. Bolt starts a lazy listener as a task that registers itself in
    `Runtime.lazy_work` on its first step: one turn of the loop lets the ones just
    scheduled do so (no time passes)."""
    runtime = stack.runtime
    while True:
        await asyncio.sleep(0)  # one turn of the event loop, not a wait
        if all(task.done() for task in runtime.lazy_work):
            return
        await runtime.finish_lazy_work()


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
    posts = await eventually(
        lambda: [p for p in stack.sandbox.slack.responses[after:] if p.user == user_id]
    )
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
    await eventually(
        lambda: any(
            "Connected" in text_of(p.payload) for p in stack.sandbox.slack.responses[before:]
        )
    )


SECRET_PATTERNS = (
    re.compile(re.escape(SIGNING_SECRET)),
    re.compile(re.escape(BOT_TOKEN)),
    re.compile(r"(?<![\w-])" + re.escape(CLIENT_SECRET)),
    re.compile(r"eyJ[\w-]{8,}\.[\w-]{8,}"),  # any JWT: access, refresh or id token
    re.compile(r"/slack/respond/[\w-]{4,}"),  # a response_url: a bearer capability
    re.compile(r"xox[abpre]-[\w-]{4,}"),
)


@pytest.fixture(autouse=True)
def no_secret_in_debug_logs(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every scenario runs at DEBUG through the app's own logging set-up (redaction on its
    handlers); afterwards no captured line may contain a token, secret or response_url.
    Latency measurements opt out (`@pytest.mark.timing`): DEBUG logging of 50 concurrent
    requests measures the logger, not the app."""
    if request.node.get_closest_marker("timing"):
        yield
        return
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    setup_logging("DEBUG")
    captured = io.StringIO()
    handler = logging.StreamHandler(captured)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    install_redaction(handler)
    root.addHandler(handler)
    try:
        yield
    finally:
        for added in [h for h in root.handlers if h not in saved_handlers]:
            root.removeHandler(added)
        root.setLevel(saved_level)
    text = captured.getvalue()
    assert text, "nothing was logged at DEBUG: the check would be vacuous"
    for pattern in SECRET_PATTERNS:
        found = pattern.search(text)
        context = text[max(found.start() - 80, 0) : found.end()] if found else ""
        assert found is None, f"a secret reached the logs: ...{context}"
