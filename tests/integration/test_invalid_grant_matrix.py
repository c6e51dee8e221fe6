"""R6: every terminal Keycloak refusal ends the link cleanly (once); transient failures keep the
token and back off 1 s, 2 s, 4 s ... up to 5 min; a misconfigured client keeps every token."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.astravue.auth import KeycloakClient, TokenSet
from bot.astravue.errors import ReauthorizationRequired
from bot.db.models import LinkStatus
from bot.sandbox.server import Sandbox
from bot.services.credentials import LinkCredentials
from bot.services.tokens import MAX_BACKOFF, AuthUnavailable, TokenManager
from tests.integration.conftest import (
    EXPIRED,
    Clock,
    RelinkCalls,
    fast_retry,
    load_link,
    login,
    make_keycloak,
    store_link,
    token_manager,
)


@dataclass
class Linked:
    sandbox: Sandbox
    keycloak: KeycloakClient
    manager: TokenManager
    relinks: RelinkCalls
    link_id: int
    tokens: TokenSet
    clock: Clock
    sessions: async_sessionmaker[AsyncSession]

    def refreshes(self) -> int:
        return self.sandbox.keycloak.token_requests.count("refresh_token")

    async def out_of_band_refresh(self, refresh_token: str) -> str:
        """Another party spends a refresh token (what a racing worker would do)."""
        rotated = (await self.keycloak.refresh(refresh_token)).refresh_token
        assert rotated is not None
        return rotated


async def link_user(
    sandbox: Sandbox,
    http: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    credentials: LinkCredentials,
    clock: Clock,
    *,
    scopes: str = "openid offline_access",
    manager_keycloak: KeycloakClient | None = None,
) -> Linked:
    keycloak = make_keycloak(sandbox, http, scopes=scopes)
    tokens = (await login(keycloak, http, "maria")).tokens
    link_id = await store_link(sessions, credentials, tokens, expires_at=clock.utc() + EXPIRED)
    relinks = RelinkCalls()
    manager = token_manager(sessions, credentials, manager_keycloak or keycloak, clock, relinks)
    return Linked(sandbox, keycloak, manager, relinks, link_id, tokens, clock, sessions)


@pytest.fixture
async def offline(
    sandbox: Sandbox,
    http: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    credentials: LinkCredentials,
    clock: Clock,
) -> Linked:
    return await link_user(sandbox, http, sessions, credentials, clock)


@pytest.fixture
async def online(
    sandbox: Sandbox,
    http: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    credentials: LinkCredentials,
    clock: Clock,
) -> Linked:
    return await link_user(sandbox, http, sessions, credentials, clock, scopes="openid")


async def assert_ended_once(linked: Linked, description: str) -> None:
    with pytest.raises(ReauthorizationRequired):
        await linked.manager.access_token_for(linked.link_id)
    link = await load_link(linked.sessions, linked.link_id)
    assert link.status == LinkStatus.NEEDS_RELINK
    assert link.refresh_token_ct is None and link.access_token_ct is None
    assert description in (link.relink_reason or "")
    requests = linked.refreshes()
    with pytest.raises(ReauthorizationRequired):  # a dead link is not retried
        await linked.manager.access_token_for(linked.link_id)
    assert linked.refreshes() == requests
    assert linked.relinks.links == [linked.link_id]


async def _idle(linked: Linked) -> None:
    linked.clock.advance(linked.sandbox.keycloak.settings.offline_session_idle + 1)


async def _end_sessions(linked: Linked) -> None:
    linked.sandbox.keycloak.end_sessions("maria")


async def _disable(linked: Linked) -> None:
    linked.sandbox.keycloak.disable_user("maria")


async def _revoke(linked: Linked) -> None:
    assert linked.tokens.refresh_token is not None
    await linked.keycloak.revoke(linked.tokens.refresh_token)


async def _reuse(linked: Linked) -> None:
    assert linked.tokens.refresh_token is not None
    await linked.out_of_band_refresh(linked.tokens.refresh_token)


async def _stale(linked: Linked) -> None:
    assert linked.tokens.refresh_token is not None
    await linked.out_of_band_refresh(await linked.out_of_band_refresh(linked.tokens.refresh_token))


def _next_error(error: str, description: str) -> Callable[[Linked], Awaitable[None]]:
    async def arm(linked: Linked) -> None:
        linked.sandbox.keycloak.fail_next_token_request(error, description)

    return arm


OFFLINE_CASES: dict[str, tuple[Callable[[Linked], Awaitable[None]], str]] = {
    "offline-idle": (_idle, "Token is not active"),
    "end-sessions": (_end_sessions, "Offline user session not found"),
    "disabled-user": (_disable, "User disabled"),
    "revoked": (_revoke, "Offline user session not found"),
    "reuse": (_reuse, "Maximum allowed refresh token reuse exceeded"),
    "stale": (_stale, "Stale token"),
    "consent-withdrawn": (
        _next_error("invalid_scope", "Client no longer has requested consent from user"),
        "Client no longer has requested consent from user",
    ),
    "offline-session-not-active": (
        _next_error("invalid_grant", "Offline session not active"),
        "Offline session not active",
    ),
}


@pytest.mark.parametrize("case", list(OFFLINE_CASES))
async def test_terminal_refusal_needs_relink_once(offline: Linked, case: str) -> None:
    cause, description = OFFLINE_CASES[case]
    await cause(offline)
    await assert_ended_once(offline, description)


async def test_online_session_idle_timeout(online: Linked) -> None:
    online.clock.advance(online.sandbox.keycloak.settings.sso_session_idle + 1)
    await assert_ended_once(online, "Token is not active")


async def test_online_session_max_despite_regular_refreshes(online: Linked) -> None:
    settings = online.sandbox.keycloak.settings
    session_end = online.clock.now + settings.sso_session_max  # the clock stood still at login
    step = settings.sso_session_idle - 60  # refreshed well inside the idle window every time
    while online.clock.now + step < session_end:
        online.clock.advance(step)
        await online.manager.access_token_for(online.link_id)
    assert online.sandbox.keycloak.last_error is None and online.refreshes() == 20
    online.clock.advance(step)  # now past SSO Session Max (10 h after login)
    await assert_ended_once(online, "Token is not active")


TRANSIENT_FAULTS: dict[str, dict[str, object]] = {
    "down-503": {"down": True},
    "error-500": {"error_rate": 1.0, "error_status": 500},
    "timeout": {"hang": True},
}


@pytest.mark.parametrize("fault", list(TRANSIENT_FAULTS))
async def test_transient_failure_keeps_the_token_and_backs_off(
    sandbox: Sandbox,
    http: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    credentials: LinkCredentials,
    clock: Clock,
    fault: str,
) -> None:
    impatient = make_keycloak(sandbox, http, retry=fast_retry(deadline=0.3))
    linked = await link_user(
        sandbox, http, sessions, credentials, clock, manager_keycloak=impatient
    )
    sealed = (await load_link(sessions, linked.link_id)).refresh_token_ct
    sandbox.keycloak.faults.update(TRANSIENT_FAULTS[fault])
    expected = [min(timedelta(seconds=2**n), MAX_BACKOFF) for n in range(10)]
    for failures, delay in enumerate(expected, start=1):
        with pytest.raises(AuthUnavailable):
            await linked.manager.access_token_for(linked.link_id)
        link = await load_link(sessions, linked.link_id)
        assert link.status == LinkStatus.ACTIVE and link.refresh_token_ct == sealed
        assert link.refresh_failures == failures
        assert link.refresh_backoff_until == clock.utc() + delay
        attempts = linked.refreshes()
        with pytest.raises(AuthUnavailable):  # inside the backoff window: Keycloak is spared
            await linked.manager.access_token_for(linked.link_id)
        assert linked.refreshes() == attempts
        clock.advance(delay.total_seconds())
    assert expected[-1] == MAX_BACKOFF and linked.relinks.links == []

    sandbox.keycloak.faults.reset()
    token = await linked.manager.access_token_for(linked.link_id)
    assert sandbox.keycloak.authenticate(token) == 1
    link = await load_link(sessions, linked.link_id)
    assert link.refresh_failures == 0 and link.refresh_backoff_until is None


@pytest.mark.parametrize(
    ("client", "error"),
    [
        ({"client_secret": "rotated-secret"}, "unauthorized_client"),
        ({"client_id": "someone-else"}, "invalid_client"),
    ],
)
async def test_misconfigured_client_keeps_tokens_and_logs_an_error(
    sandbox: Sandbox,
    http: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    credentials: LinkCredentials,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
    client: dict[str, str],
    error: str,
) -> None:
    linked = await link_user(
        sandbox,
        http,
        sessions,
        credentials,
        clock,
        manager_keycloak=make_keycloak(sandbox, http, **client),
    )
    sealed = (await load_link(sessions, linked.link_id)).refresh_token_ct
    with (
        caplog.at_level(logging.ERROR, logger="bot.services.tokens"),
        pytest.raises(AuthUnavailable),
    ):
        await linked.manager.access_token_for(linked.link_id)
    assert sandbox.keycloak.last_error is not None
    assert sandbox.keycloak.last_error["error"] == error
    link = await load_link(sessions, linked.link_id)
    assert link.status == LinkStatus.ACTIVE and link.refresh_token_ct == sealed
    assert link.access_token_ct is not None and linked.relinks.links == []
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and error in errors[0].getMessage()
