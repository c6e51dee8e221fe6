"""The Slack fake's method registry: one `register(...)` line adds a Web API method."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bot.sandbox.slack import BOT_TOKEN, SlackFake, SlackRefusal, register
from bot.sandbox.slack.state import SlackWorkspace


def _echo(workspace: SlackWorkspace, args: dict[str, Any]) -> dict[str, Any]:
    if args.get("fail"):
        raise SlackRefusal("echo_failed")
    return {"echo": args.get("word"), "users": len(workspace.users)}


def _exchange(_workspace: SlackWorkspace, args: dict[str, Any]) -> dict[str, Any]:
    return {"client_id": args.get("client_id"), "code": args.get("code")}


register("sandbox.echo", _echo)
register("sandbox.exchange", _exchange, needs_token=False)


@pytest.fixture
async def http() -> AsyncIterator[tuple[SlackFake, httpx.AsyncClient]]:
    fake = SlackFake()
    transport = httpx.ASGITransport(app=fake.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://slack.test") as client:
        yield fake, client


async def test_a_registered_method_answers_with_ok_and_is_recorded(
    http: tuple[SlackFake, httpx.AsyncClient],
) -> None:
    fake, client = http
    auth = {"Authorization": f"Bearer {BOT_TOKEN}"}
    answer = await client.post("/api/sandbox.echo", data={"word": "hi"}, headers=auth)
    assert answer.status_code == 200
    assert answer.json() == {"ok": True, "echo": "hi", "users": len(fake.users)}
    refused = await client.post("/api/sandbox.echo", json={"fail": True}, headers=auth)
    assert refused.json() == {"ok": False, "error": "echo_failed"}
    assert [(c.ok, c.error) for c in fake.calls_to("sandbox.echo")] == [
        (True, None),
        (False, "echo_failed"),
    ]


async def test_a_token_method_refuses_without_a_token(
    http: tuple[SlackFake, httpx.AsyncClient],
) -> None:
    _, client = http
    answer = await client.post("/api/sandbox.echo", data={"word": "hi"})
    assert answer.json() == {"ok": False, "error": "not_authed"}


async def test_a_tokenless_method_gets_basic_credentials_and_never_records_the_secret(
    http: tuple[SlackFake, httpx.AsyncClient],
) -> None:
    fake, client = http
    basic = base64.b64encode(b"app-id:app-secret").decode()
    answer = await client.post(
        "/api/sandbox.exchange", data={"code": "c1"}, headers={"Authorization": f"Basic {basic}"}
    )
    assert answer.json() == {"ok": True, "client_id": "app-id", "code": "c1"}
    (call,) = fake.calls_to("sandbox.exchange")
    assert call.args["client_secret"] == "***"


def test_one_name_cannot_be_registered_twice_with_different_handlers() -> None:
    with pytest.raises(ValueError, match=r"already answers sandbox\.echo"):
        register("sandbox.echo", _exchange)


async def test_an_unknown_method_is_refused(http: tuple[SlackFake, httpx.AsyncClient]) -> None:
    _, client = http
    answer = await client.post(
        "/api/chat.nothing", headers={"Authorization": f"Bearer {BOT_TOKEN}"}
    )
    assert answer.json() == {"ok": False, "error": "unknown_method"}


class _Counter:
    def __init__(self, workspace: SlackWorkspace) -> None:
        self.users = len(workspace.users)
        self.calls = 0


def test_a_features_state_is_kept_per_workspace() -> None:
    first, second = SlackFake(), SlackFake()
    first.extension(_Counter).calls += 1
    assert first.extension(_Counter).calls == 1
    assert second.extension(_Counter).calls == 0
    assert first.extension(_Counter).users == len(first.users)


async def test_a_call_records_the_team_its_token_belongs_to(
    http: tuple[SlackFake, httpx.AsyncClient],
) -> None:
    fake, client = http
    await client.post("/api/auth.test", headers={"Authorization": f"Bearer {BOT_TOKEN}"})
    fake.token_team = lambda token: "T0OTHER" if token == "xoxb-other" else None
    other = await client.post("/api/auth.test", headers={"Authorization": "Bearer xoxb-other"})
    refused = await client.post("/api/auth.test", headers={"Authorization": f"Bearer {BOT_TOKEN}"})
    assert other.json()["ok"] is True
    assert refused.json() == {"ok": False, "error": "invalid_auth"}
    assert [(c.ok, c.team) for c in fake.calls_to("auth.test")] == [
        (True, "T0ACME"),
        (True, "T0OTHER"),
        (False, None),
    ]
