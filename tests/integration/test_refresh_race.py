"""R5: concurrent refreshes of one expired link make exactly one token request, keep the newest
refresh token and never meet invalid_grant; a crash between Keycloak's 200 and our commit
ends in a clean needs_relink, never a loop."""

from __future__ import annotations

import asyncio
import hashlib
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from bot.astravue.auth import KeycloakClient, unverified_claims
from bot.astravue.errors import ReauthorizationRequired
from bot.db.models import AstravueLink, LinkStatus
from bot.db.session import session_scope
from bot.sandbox.keycloak import KeycloakSettings
from bot.sandbox.server import CLIENT_ID, CLIENT_SECRET, Sandbox
from bot.services.credentials import REFRESH, LinkCredentials
from tests.conftest import requires_postgres
from tests.integration.conftest import (
    EXPIRED,
    Clock,
    RelinkCalls,
    astravue_client,
    load_link,
    login,
    realm_url,
    store_link,
    token_manager,
)

CONCURRENCY = 20
ROUNDS = 5
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(params=[True, False], ids=["rotation-on", "rotation-off"])
def keycloak_settings(request: pytest.FixtureRequest) -> KeycloakSettings:
    return KeycloakSettings(revoke_refresh_token=request.param)


def last_issued_refresh_token(sandbox: Sandbox) -> str:
    return next(
        token
        for token in reversed(sandbox.keycloak.issued_tokens)
        if unverified_claims(token).get("typ") in ("Refresh", "Offline")
    )


def refreshes(sandbox: Sandbox) -> int:
    return sandbox.keycloak.token_requests.count("refresh_token")


async def stored_refresh_token(
    sessions: async_sessionmaker[AsyncSession], credentials: LinkCredentials, link_id: int
) -> str:
    link = await load_link(sessions, link_id)
    assert link.refresh_token_ct is not None
    return credentials.open(link, REFRESH, link.refresh_token_ct)


@pytest.fixture
async def expired_link(
    sandbox: Sandbox,
    http: httpx.AsyncClient,
    keycloak: KeycloakClient,
    sessions: async_sessionmaker[AsyncSession],
    credentials: LinkCredentials,
    clock: Clock,
) -> int:
    tokens = (await login(keycloak, http, "maria")).tokens
    return await store_link(sessions, credentials, tokens, expires_at=clock.utc() + EXPIRED)


async def test_concurrent_callers_share_one_refresh_per_expiry(
    sandbox: Sandbox,
    keycloak: KeycloakClient,
    sessions: async_sessionmaker[AsyncSession],
    credentials: LinkCredentials,
    clock: Clock,
    expired_link: int,
) -> None:
    relinks = RelinkCalls()
    manager = token_manager(sessions, credentials, keycloak, clock, relinks)
    for round_number in range(1, ROUNDS + 1):
        tokens = await asyncio.gather(
            *(manager.access_token_for(expired_link) for _ in range(CONCURRENCY))
        )
        assert len(set(tokens)) == 1
        assert sandbox.keycloak.authenticate(tokens[0]) == 1
        assert refreshes(sandbox) == round_number
        assert sandbox.keycloak.last_error is None  # zero invalid_grant
        assert await stored_refresh_token(sessions, credentials, expired_link) == (
            last_issued_refresh_token(sandbox)
        )
        clock.advance(301)  # the access token (300 s) is now expired: next round refreshes
    assert relinks.links == []


async def test_concurrent_api_calls_share_one_refresh(
    sandbox: Sandbox,
    http: httpx.AsyncClient,
    keycloak: KeycloakClient,
    sessions: async_sessionmaker[AsyncSession],
    credentials: LinkCredentials,
    clock: Clock,
    expired_link: int,
) -> None:
    manager = token_manager(sessions, credentials, keycloak, clock)
    client = astravue_client(sandbox, http, manager.provider(expired_link))
    results = await asyncio.gather(*(client.spaces.list() for _ in range(CONCURRENCY)))
    assert all(len(spaces) == 2 for spaces in results)
    assert refreshes(sandbox) == 1 and sandbox.keycloak.last_error is None


@requires_postgres
async def test_two_managers_on_one_database_refresh_once(
    sandbox: Sandbox,
    keycloak: KeycloakClient,
    sessions: async_sessionmaker[AsyncSession],
    credentials: LinkCredentials,
    clock: Clock,
    expired_link: int,
) -> None:
    """Two app instances (no shared asyncio lock): only the row lock keeps them apart."""
    first = token_manager(sessions, credentials, keycloak, clock)
    second = token_manager(sessions, credentials, keycloak, clock)
    for round_number in range(1, ROUNDS + 1):
        tokens = await asyncio.gather(
            *(
                manager.access_token_for(expired_link)
                for manager in (first, second)
                for _ in range(CONCURRENCY // 2)
            )
        )
        assert len(set(tokens)) == 1 and refreshes(sandbox) == round_number
        assert sandbox.keycloak.last_error is None
        clock.advance(301)


class Worker:
    """A `refresh_worker` subprocess driven one round at a time."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    async def round(self) -> str:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(b"go\n")
        await self.process.stdin.drain()
        return (await asyncio.wait_for(self.process.stdout.readline(), 20)).decode().strip()


@pytest.fixture
async def workers(
    sandbox: Sandbox, database_url: str, key_spec: str, expired_link: int
) -> AsyncIterator[list[Worker]]:
    env = {
        **os.environ,
        "WORKER_DATABASE_URL": database_url,
        "WORKER_LINK_ID": str(expired_link),
        "WORKER_AUTH_URL": realm_url(sandbox),
        "WORKER_CLIENT_ID": CLIENT_ID,
        "WORKER_CLIENT_SECRET": CLIENT_SECRET,
        "WORKER_KEYS": key_spec,
    }
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.integration.refresh_worker",
            cwd=REPO,
            env=env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        for _ in range(2)
    ]
    try:
        yield [Worker(process) for process in processes]
    finally:
        for process in processes:
            assert process.stdin is not None
            process.stdin.close()
            await asyncio.wait_for(process.wait(), 20)


@requires_postgres
@pytest.mark.parametrize(
    "keycloak_settings", [KeycloakSettings(revoke_refresh_token=True)], ids=["rotation-on"]
)
async def test_two_processes_refresh_once_per_expiry(
    sandbox: Sandbox,
    sessions: async_sessionmaker[AsyncSession],
    credentials: LinkCredentials,
    clock: Clock,
    expired_link: int,
    workers: list[Worker],
) -> None:
    for round_number in range(1, 11):
        answers = await asyncio.gather(*(worker.round() for worker in workers))
        assert answers[0] == answers[1] and answers[0].startswith("ok "), answers
        assert refreshes(sandbox) == round_number and sandbox.keycloak.last_error is None
        newest = last_issued_refresh_token(sandbox)
        assert await stored_refresh_token(sessions, credentials, expired_link) == newest
        access = next(
            t
            for t in reversed(sandbox.keycloak.issued_tokens)
            if unverified_claims(t).get("typ") == "Bearer"
        )
        assert answers[0] == f"ok {hashlib.sha256(access.encode()).hexdigest()}"
        async with session_scope(sessions) as session:  # the next round finds it expired
            await session.execute(
                update(AstravueLink)
                .where(AstravueLink.id == expired_link)
                .values(access_expires_at=clock.utc() + EXPIRED)
            )


class CrashingSession(Session):
    """A session whose next commit fails, as if the process died after Keycloak's 200."""

    armed = False


@event.listens_for(CrashingSession, "before_commit")
def _crash(session: Session) -> None:
    if CrashingSession.armed:
        CrashingSession.armed = False
        raise RuntimeError("simulated crash before commit")


async def test_crash_between_grant_and_commit(
    sandbox: Sandbox,
    keycloak: KeycloakClient,
    sessions: async_sessionmaker[AsyncSession],
    credentials: LinkCredentials,
    clock: Clock,
    expired_link: int,
    keycloak_settings: KeycloakSettings,
) -> None:
    crashing: async_sessionmaker[Any] = async_sessionmaker(
        sessions.kw["bind"], expire_on_commit=False, sync_session_class=CrashingSession
    )
    relinks = RelinkCalls()
    manager = token_manager(crashing, credentials, keycloak, clock, relinks)
    CrashingSession.armed = True
    with pytest.raises(RuntimeError, match="simulated crash"):
        await manager.access_token_for(expired_link)
    assert refreshes(sandbox) == 1  # Keycloak rotated; we lost the answer

    if keycloak_settings.revoke_refresh_token:
        # The stored token is the spent one: Keycloak sees reuse and ends the session.
        with pytest.raises(ReauthorizationRequired):
            await manager.access_token_for(expired_link)
        link = await load_link(sessions, expired_link)
        assert link.status == LinkStatus.NEEDS_RELINK
        assert link.refresh_token_ct is None and link.access_token_ct is None
        assert "reuse" in (link.relink_reason or "")
        with pytest.raises(ReauthorizationRequired):  # no loop: no further token request
            await manager.access_token_for(expired_link)
        assert refreshes(sandbox) == 2 and relinks.links == [expired_link]
    else:
        # Without rotation the old refresh token still works: the next call recovers.
        token = await manager.access_token_for(expired_link)
        assert sandbox.keycloak.authenticate(token) == 1
        assert refreshes(sandbox) == 2 and relinks.links == []
