"""S7: uninstall, token revocation and `/astravue disconnect` delete the ciphertexts, revoke at
Keycloak once per link, and stop polling."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, select

from bot.db.models import AstravueLink, LinkStatus, PollState
from bot.sandbox.stack import Stack
from tests.scenario import conftest as scenario
from tests.scenario.conftest import connect, eventually, last_response

# The scenario fixtures: a running stack, and the DEBUG log check for secrets.
stack = scenario.stack
no_secret_in_debug_logs = scenario.no_secret_in_debug_logs

LINKED = ("U0MARIA", "U0DEV", "U0SAM")


async def _links(stack: Stack) -> dict[str, AstravueLink]:
    async with stack.runtime.sessions() as session:
        return {
            link.slack_user_id: link for link in (await session.scalars(select(AstravueLink))).all()
        }


async def _polled(stack: Stack) -> int:
    async with stack.runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(PollState)) or 0)


async def _connect_all(stack: Stack) -> None:
    for user in LINKED:
        await connect(stack, user)
    assert await _polled(stack) == len(LINKED)


async def _revoked(stack: Stack, users: tuple[str, ...]) -> bool:
    links = await _links(stack)
    return all(links[u].status == LinkStatus.DISCONNECTED for u in users)


def _assert_gone(link: AstravueLink) -> None:
    assert link.status == LinkStatus.DISCONNECTED
    assert link.refresh_token_ct is None and link.access_token_ct is None


async def _deliver(stack: Stack, event: dict[str, Any], users: tuple[str, ...]) -> None:
    response = await stack.user("U0MARIA").event(event)
    assert response.status_code == 200
    for _ in range(250):
        if await _revoked(stack, users):
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"{event['type']} did not disconnect {users}")


async def test_app_uninstalled_disconnects_every_link_of_the_team(stack: Stack) -> None:
    await _connect_all(stack)
    revokes = stack.sandbox.keycloak.revoke_requests
    await _deliver(stack, {"type": "app_uninstalled"}, LINKED)
    for link in (await _links(stack)).values():
        _assert_gone(link)
    assert stack.sandbox.keycloak.revoke_requests == revokes + len(LINKED)
    assert await _polled(stack) == 0


async def test_bot_token_revoked_disconnects_the_team(stack: Stack) -> None:
    await _connect_all(stack)
    revokes = stack.sandbox.keycloak.revoke_requests
    await _deliver(stack, {"type": "tokens_revoked", "tokens": {"bot": ["U0BOT"]}}, LINKED)
    assert stack.sandbox.keycloak.revoke_requests == revokes + len(LINKED)
    assert await _polled(stack) == 0


async def test_user_tokens_revoked_disconnects_only_those_users(stack: Stack) -> None:
    await _connect_all(stack)
    revokes = stack.sandbox.keycloak.revoke_requests
    event = {"type": "tokens_revoked", "tokens": {"oauth": ["U0DEV", "U0SAM"]}}
    await _deliver(stack, event, ("U0DEV", "U0SAM"))
    links = await _links(stack)
    _assert_gone(links["U0DEV"])
    _assert_gone(links["U0SAM"])
    assert links["U0MARIA"].status == LinkStatus.ACTIVE
    assert links["U0MARIA"].refresh_token_ct is not None
    assert stack.sandbox.keycloak.revoke_requests == revokes + 2
    assert await _polled(stack) == 1  # Maria's polling goes on


async def test_disconnect_command_revokes_once_and_stops_polling(stack: Stack) -> None:
    await _connect_all(stack)
    dev = stack.user("U0DEV")
    before = len(stack.sandbox.slack.responses)
    await dev.command("disconnect")
    confirm = await last_response(stack, "U0DEV", before)
    revokes = stack.sandbox.keycloak.revoke_requests
    await dev.click("account.disconnect_confirm", "yes", message=confirm, channel_id="C0GENERAL")
    await eventually(lambda: stack.sandbox.keycloak.revoke_requests > revokes)
    # A second click (a retried request, or a double click) revokes nothing more.
    await dev.click("account.disconnect_confirm", "yes", message=confirm, channel_id="C0GENERAL")
    await eventually(
        lambda: len([p for p in stack.sandbox.slack.responses[before:] if p.user == "U0DEV"]) >= 3
    )
    assert stack.sandbox.keycloak.revoke_requests == revokes + 1
    _assert_gone((await _links(stack))["U0DEV"])
    assert await _polled(stack) == len(LINKED) - 1
