"""S5: the connect flow links only the Slack user its `state` was issued to, once, within ten
minutes, with PKCE S256; codes used without the verifier or elsewhere link nothing."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import httpx
import time_machine

from bot.sandbox.keycloak import REALM_PATH
from bot.sandbox.server import CLIENT_ID, CLIENT_SECRET
from bot.sandbox.stack import SLACK_USERNAMES, Stack
from tests.scenario import conftest as scenario
from tests.security.connect_flow import authorize_url as _authorize_url
from tests.security.connect_flow import callback_url as _callback_url
from tests.security.connect_flow import linked as _linked
from tests.security.connect_flow import query as _query
from tests.security.connect_flow import start_url as _start_url

# The scenario fixtures: a running stack, and the DEBUG log check for secrets.
stack = scenario.stack
no_secret_in_debug_logs = scenario.no_secret_in_debug_logs


async def test_pkce_is_s256_and_the_state_is_not_the_start_token(stack: Stack) -> None:
    start = await _start_url(stack, "U0MARIA")
    async with httpx.AsyncClient() as browser:
        params = _query(await _authorize_url(browser, start))
    assert params["code_challenge_method"] == "S256"
    challenge = params["code_challenge"]
    assert len(base64.urlsafe_b64decode(challenge + "=")) == 32  # a SHA-256 digest
    assert len(params["state"]) >= 32
    assert params["state"] not in start  # the state never travels through Slack
    assert params["redirect_uri"] == stack.settings.oauth_redirect_uri


async def test_a_replayed_state_links_nothing_more(stack: Stack) -> None:
    start = await _start_url(stack, "U0MARIA")
    async with httpx.AsyncClient() as browser:
        callback = await _callback_url(browser, start, "maria")
        first = await browser.get(callback)
        replay = await browser.get(callback)
    assert first.status_code == 200 and "Connected" in first.text
    assert replay.status_code == 400 and "already used" in replay.text
    assert await _linked(stack) == {"U0MARIA": 1}


async def test_a_state_completed_in_another_browser_links_its_own_user_only(stack: Stack) -> None:
    start = await _start_url(stack, "U0MARIA")
    async with httpx.AsyncClient() as other_browser:  # Dev's browser: no cookies of Maria's
        done = await other_browser.get(await _callback_url(other_browser, start, "maria"))
    assert done.status_code == 200
    assert await _linked(stack) == {"U0MARIA": 1}


async def test_someone_elses_code_on_my_state_fails_pkce(stack: Stack) -> None:
    """Dev swaps his own code into Maria's callback: Maria's verifier does not match it."""
    maria_start = await _start_url(stack, "U0MARIA")
    dev_start = await _start_url(stack, "U0DEV")
    async with httpx.AsyncClient() as browser:
        maria_state = _query(await _authorize_url(browser, maria_start))["state"]
        dev_code = _query(await _callback_url(browser, dev_start, "dev"))["code"]
        mixed = await browser.get(
            stack.settings.oauth_redirect_uri, params={"state": maria_state, "code": dev_code}
        )
    assert mixed.status_code >= 400 and "Connected" not in mixed.text
    assert await _linked(stack) == {}


async def test_an_expired_state_links_nothing(stack: Stack) -> None:
    start = await _start_url(stack, "U0MARIA")
    late_start = await _start_url(stack, "U0MARIA")
    async with httpx.AsyncClient() as browser:
        callback = await _callback_url(browser, start, "maria")
        with time_machine.travel(datetime.now(UTC) + timedelta(minutes=10, seconds=5)):
            late = await browser.get(callback)
            never_started = await browser.get(late_start)
    assert late.status_code == 400 and "expired" in late.text
    assert never_started.status_code == 400 and "expired" in never_started.text
    assert await _linked(stack) == {}


async def _steal_code(stack: Stack, form: dict[str, str]) -> httpx.Response:
    """Someone who saw the callback URL redeems its code at Keycloak themselves."""
    async with httpx.AsyncClient() as thief:
        return await thief.post(
            f"{stack.sandbox.base_url}{REALM_PATH}/protocol/openid-connect/token",
            data={
                "grant_type": "authorization_code",
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                **form,
            },
        )


async def test_a_code_without_its_verifier_or_elsewhere_is_refused(stack: Stack) -> None:
    attempts = {
        "no code_verifier": {"redirect_uri": stack.settings.oauth_redirect_uri},
        "another redirect_uri": {
            "redirect_uri": "https://evil.test/callback",
            "code_verifier": "x" * 64,
        },
    }
    for case, form in attempts.items():
        start = await _start_url(stack, "U0MARIA")
        async with httpx.AsyncClient() as browser:
            callback = await _callback_url(browser, start, SLACK_USERNAMES["U0MARIA"])
            stolen = await _steal_code(stack, {"code": _query(callback)["code"], **form})
            assert stolen.status_code == 400, case
            assert stolen.json()["error"] == "invalid_grant", case
            assert "access_token" not in stolen.text, case
            # The code is burnt: the genuine callback afterwards links nothing either.
            genuine = await browser.get(callback)
        assert genuine.status_code >= 400 and "Connected" not in genuine.text, case
        assert await _linked(stack) == {}, case
