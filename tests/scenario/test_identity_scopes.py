"""Linking against a Keycloak without Astravue's custom claims, or refusing offline_access."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import select

from bot.astravue.auth import unverified_claims
from bot.db.models import AstravueLink, LinkStatus
from bot.sandbox.stack import Stack
from tests.scenario.conftest import buttons, connect, eventually, last_response, text_of
from tests.scenario.test_timers import run


async def _link(stack: Stack, user_id: str) -> AstravueLink | None:
    async with stack.runtime.sessions() as session:
        return (
            await session.scalars(select(AstravueLink).where(AstravueLink.slack_user_id == user_id))
        ).one_or_none()


async def test_without_custom_claims_org_is_asked_then_the_user_is_found_by_email(
    stack: Stack,
) -> None:
    stack.sandbox.keycloak.settings.custom_claims = False
    await connect(stack, "U0MARIA")
    link = await _link(stack, "U0MARIA")
    assert link is not None and link.astravue_email == "maria@acme.test"
    assert (link.astravue_user_id, link.org_id) == (None, None)  # nothing answered yet
    connected = next(
        p.payload for p in stack.sandbox.slack.responses if "Connected" in text_of(p.payload)
    )
    assert "account.set_org" in buttons(connected)  # so the organisation is asked

    said = text_of(await run(stack, "org 1"))
    assert "organisation 1" in said
    link = await _link(stack, "U0MARIA")
    assert link is not None and (link.astravue_user_id, link.org_id) == (1, 1)

    doctor = text_of(await run(stack, "doctor"))
    assert "Astravue user*: user 1 (from Astravue, matched by email)" in doctor
    assert "Organisation*: 1 (from you, with `/astravue org`)" in doctor
    agenda = text_of(await run(stack, "my"))
    assert "Renew passport" in agenda  # "my" tasks need the user id


async def test_with_custom_claims_doctor_names_the_token(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    doctor = text_of(await run(stack, "doctor"))
    assert "Astravue user*: user 1 (from the sign-in token's claims)" in doctor
    assert "Organisation*: 1 (from the sign-in token's claims)" in doctor
    assert "Sign-in lifetime" not in doctor


async def _connect_following_retries(stack: Stack, user_id: str, login: str) -> httpx.Response:
    """The browser of a user connecting: every redirect followed, signing in when asked."""
    before = len(stack.sandbox.slack.responses)
    await stack.user(user_id).command("connect")
    url = buttons(await last_response(stack, user_id, before))["account.connect"]["url"]
    keycloak = stack.settings.astravue_auth_url
    async with httpx.AsyncClient(timeout=10) as browser:
        for _ in range(8):
            response = await browser.get(url)
            if response.status_code != 302:
                return response
            url = response.headers["location"]
            if url.startswith(keycloak) and "login_hint" not in url:
                url += "&" + urlencode({"login_hint": login})
    raise AssertionError("too many redirects")


@pytest.mark.parametrize("step", ["auth", "token"])
async def test_refused_offline_access_links_for_the_session_and_warns(
    stack: Stack, step: str, caplog: pytest.LogCaptureFixture
) -> None:
    keycloak = stack.sandbox.keycloak
    keycloak.settings.refuse_offline_access = step  # type: ignore[assignment]
    before = len(stack.sandbox.slack.responses)
    with caplog.at_level(logging.WARNING, logger="bot.services.linking"):
        page = await _connect_following_retries(stack, "U0MARIA", "maria")
    assert page.status_code == 200, page.text
    link = await _link(stack, "U0MARIA")
    assert link is not None and link.status == LinkStatus.ACTIVE
    assert any(
        "ends with the user's Keycloak session" in r.getMessage()
        for r in caplog.records
        if r.levelno == logging.WARNING
    )

    connected = await eventually(
        lambda: next(
            (
                p.payload
                for p in stack.sandbox.slack.responses[before:]
                if "Connected" in text_of(p.payload)
            ),
            None,
        )
    )
    assert "ends when your Astravue sign-in session does" in text_of(connected)
    kinds = {unverified_claims(t).get("typ") for t in keycloak.issued_tokens}
    assert "Refresh" in kinds and "Offline" not in kinds  # bound to the Keycloak session
    doctor = text_of(await run(stack, "doctor"))
    assert "Sign-in lifetime*: ends with your Keycloak session" in doctor
