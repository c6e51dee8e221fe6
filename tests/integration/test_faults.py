"""The Astravue client under the sandbox's fault knobs, over real HTTP: retries, Retry-After,
deadlines, connection failures and the one-refresh-then-give-up rule for 401."""

from __future__ import annotations

import time
from datetime import timedelta

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.astravue.auth import KeycloakClient
from bot.astravue.client import AstravueClient
from bot.astravue.errors import (
    AstravueConnectionError,
    AstravueTimeout,
    RateLimited,
    ReauthorizationRequired,
    ServerError,
)
from bot.astravue.models import SpaceRequest
from bot.db.models import LinkStatus
from bot.sandbox.server import Sandbox, free_port
from bot.services.credentials import LinkCredentials
from tests.integration.conftest import (
    Clock,
    RequestLog,
    SessionTokens,
    astravue_client,
    fast_retry,
    load_link,
    login,
    store_link,
    token_manager,
)


@pytest.fixture
async def maria(
    sandbox: Sandbox, http: httpx.AsyncClient, keycloak: KeycloakClient
) -> SessionTokens:
    return SessionTokens(keycloak, (await login(keycloak, http, "maria")).tokens)


class Sleeps:
    """An injected `sleep` that records the waits instead of sleeping."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_errors_are_retried_then_surface(
    sandbox: Sandbox,
    http: httpx.AsyncClient,
    maria: SessionTokens,
    request_log: RequestLog,
    status: int,
) -> None:
    sandbox.astravue_faults.update({"error_rate": 1.0, "error_status": status})
    client = astravue_client(sandbox, http, maria, retry=fast_retry(max_retries=2))
    with pytest.raises(ServerError) as failed:
        await client.spaces.list()
    assert failed.value.status == status
    assert request_log.count("/v1/spaces") == 3  # the first attempt and two retries


async def test_a_create_is_not_resent_after_a_500(
    sandbox: Sandbox, http: httpx.AsyncClient, maria: SessionTokens, request_log: RequestLog
) -> None:
    # The space may exist already: resending could create it twice.
    sandbox.astravue_faults.update({"error_rate": 1.0, "error_status": 500})
    client = astravue_client(sandbox, http, maria, retry=fast_retry(max_retries=2))
    with pytest.raises(ServerError):
        await client.spaces.create(body=SpaceRequest(space_name="Once"))
    assert request_log.count("/v1/spaces") == 1


async def test_recovers_when_the_failure_passes(
    sandbox: Sandbox, http: httpx.AsyncClient, maria: SessionTokens, request_log: RequestLog
) -> None:
    sandbox.astravue_faults.update({"down": True})

    async def heal(_seconds: float) -> None:
        sandbox.astravue_faults.reset()

    client = astravue_client(sandbox, http, maria, retry=fast_retry(sleep=heal))
    spaces = await client.spaces.list()
    assert {s.space_name for s in spaces} == {"Engineering", "Marketing"}
    assert request_log.count("/v1/spaces") == 2


async def test_connection_refused_is_retried_then_a_connection_error(
    sandbox: Sandbox, http: httpx.AsyncClient, maria: SessionTokens, request_log: RequestLog
) -> None:
    client = AstravueClient(
        http,
        base_url=f"http://127.0.0.1:{free_port()}",
        org_id=1,
        tokens=maria,
        user_key="T0ACME:U0MARIA",
        retry=fast_retry(max_retries=2),
    )
    with pytest.raises(AstravueConnectionError) as failed:
        await client.spaces.list()
    assert not isinstance(failed.value, AstravueTimeout)
    assert failed.value.request_sent is False and "/v1/spaces" in str(failed.value)
    assert request_log.count("/v1/spaces") == 3


async def test_429_waits_as_long_as_retry_after_says(
    sandbox: Sandbox, http: httpx.AsyncClient, maria: SessionTokens, request_log: RequestLog
) -> None:
    sandbox.astravue_faults.update({"rate_limit_rate": 1.0, "retry_after": 3})
    sleeps = Sleeps()
    client = astravue_client(
        sandbox, http, maria, retry=fast_retry(max_retries=2, sleep=sleeps, deadline=15.0)
    )
    with pytest.raises(RateLimited) as limited:
        await client.tasks.list()
    assert limited.value.retry_after == 3.0
    assert sleeps.waits == [3.0, 3.0]  # the server's number, not the short backoff
    assert request_log.count("/v1/tasks") == 3


async def test_a_retry_after_beyond_the_cap_is_not_waited_for(
    sandbox: Sandbox, http: httpx.AsyncClient, maria: SessionTokens, request_log: RequestLog
) -> None:
    sandbox.astravue_faults.update({"rate_limit_rate": 1.0, "retry_after": 120})
    sleeps = Sleeps()
    client = astravue_client(sandbox, http, maria, retry=fast_retry(sleep=sleeps))
    with pytest.raises(RateLimited) as limited:
        await client.tasks.list()
    assert limited.value.retry_after == 120.0
    assert sleeps.waits == [] and request_log.count("/v1/tasks") == 1


async def test_a_hanging_server_cannot_outlive_the_deadline(
    sandbox: Sandbox, http: httpx.AsyncClient, maria: SessionTokens, request_log: RequestLog
) -> None:
    sandbox.astravue_faults.update({"hang": True})
    deadline = 0.6
    client = astravue_client(sandbox, http, maria, retry=fast_retry(deadline=deadline))
    started = time.monotonic()
    with pytest.raises(AstravueTimeout) as timed_out:
        await client.spaces.list()
    elapsed = time.monotonic() - started
    assert deadline * 0.9 <= elapsed < deadline + 0.4  # the 5 s read timeout was capped
    assert timed_out.value.request_sent is True
    assert request_log.count("/v1/spaces") >= 1


async def test_latency_within_the_timeout_is_only_slower(
    sandbox: Sandbox, http: httpx.AsyncClient, maria: SessionTokens, request_log: RequestLog
) -> None:
    sandbox.astravue_faults.update({"latency": 0.2})
    client = astravue_client(sandbox, http, maria)
    started = time.monotonic()
    assert len(await client.spaces.list()) == 2
    assert time.monotonic() - started >= 0.2 and request_log.count("/v1/spaces") == 1


class TestUnauthorized:
    """A 401 gets exactly one refresh and one resend; a second 401 means re-link."""

    @pytest.fixture
    async def link_id(
        self,
        sandbox: Sandbox,
        http: httpx.AsyncClient,
        keycloak: KeycloakClient,
        sessions: async_sessionmaker[AsyncSession],
        credentials: LinkCredentials,
        clock: Clock,
    ) -> int:
        tokens = (await login(keycloak, http, "maria")).tokens
        # An access token Astravue will refuse although we believe it fresh.
        return await store_link(
            sessions,
            credentials,
            tokens,
            expires_at=clock.utc() + timedelta(minutes=4),
            access_token="eyJrevoked.eyJrevoked.signature",
        )

    @pytest.fixture
    def client(
        self,
        sandbox: Sandbox,
        http: httpx.AsyncClient,
        keycloak: KeycloakClient,
        sessions: async_sessionmaker[AsyncSession],
        credentials: LinkCredentials,
        clock: Clock,
        link_id: int,
    ) -> AstravueClient:
        manager = token_manager(sessions, credentials, keycloak, clock)
        return astravue_client(sandbox, http, manager.provider(link_id))

    async def test_refreshes_once_and_resends(
        self, sandbox: Sandbox, client: AstravueClient, request_log: RequestLog
    ) -> None:
        assert len(await client.spaces.list()) == 2
        assert sandbox.keycloak.token_requests == ["authorization_code", "refresh_token"]
        assert request_log.count("/v1/spaces") == 2

    async def test_a_second_401_ends_in_reauthorization(
        self, sandbox: Sandbox, client: AstravueClient, request_log: RequestLog
    ) -> None:
        sandbox.astravue_faults.update({"error_rate": 1.0, "error_status": 401})
        with pytest.raises(ReauthorizationRequired):
            await client.spaces.list()
        assert sandbox.keycloak.token_requests.count("refresh_token") == 1
        assert request_log.count("/v1/spaces") == 2

    async def test_ended_session_marks_the_link_without_resending(
        self,
        sandbox: Sandbox,
        client: AstravueClient,
        request_log: RequestLog,
        sessions: async_sessionmaker[AsyncSession],
        link_id: int,
    ) -> None:
        sandbox.keycloak.end_sessions("maria")
        with pytest.raises(ReauthorizationRequired):
            await client.spaces.list()
        assert sandbox.keycloak.token_requests.count("refresh_token") == 1
        assert request_log.count("/v1/spaces") == 1
        link = await load_link(sessions, link_id)
        assert link.status == LinkStatus.NEEDS_RELINK and link.refresh_token_ct is None
