"""The sandbox served by uvicorn on a loopback port, and the real Astravue layer pointed at it.

Tokens come from the sandbox Keycloak through the real authorization-code flow with PKCE, so
every test works with tokens Keycloak issued and Keycloak's own session rules. One clock drives
both Keycloak and the `TokenManager`, so expiry, idle timeouts and backoff move together.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.astravue.auth import KeycloakClient, TokenSet
from bot.astravue.client import AstravueClient
from bot.astravue.retry import RetryPolicy
from bot.db.models import AstravueLink, LinkStatus
from bot.db.session import session_scope
from bot.sandbox.keycloak import REALM_PATH, KeycloakFake, KeycloakSettings
from bot.sandbox.seed import build_seed_state
from bot.sandbox.server import CLIENT_ID, CLIENT_SECRET, LoopbackServer, Sandbox
from bot.sandbox.slack import SlackFake
from bot.security.crypto import Keyring, generate_key_spec
from bot.services.credentials import ACCESS, REFRESH, LinkCredentials
from bot.services.tokens import TokenManager

SCOPES = "openid offline_access"
REDIRECT_URI = "http://127.0.0.1:9/oauth/astravue/callback"  # never served: we read the 302
TEAM = "T0ACME"


class Clock:
    """Wall-clock seconds that only move when a test says so."""

    def __init__(self) -> None:
        self.now = float(int(time.time()))

    def __call__(self) -> float:
        return self.now

    def utc(self) -> datetime:
        return datetime.fromtimestamp(self.now, UTC)

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class RequestLog:
    """Every request the Astravue layer put on the wire (injected faults answer before the
    sandbox records a request, so attempts are counted here)."""

    sent: list[tuple[str, str]] = field(default_factory=list)

    async def hook(self, request: httpx.Request) -> None:
        self.sent.append((request.method, request.url.path))

    def count(self, path_part: str) -> int:
        return sum(1 for _, path in self.sent if path_part in path)


def fast_retry(**overrides: Any) -> RetryPolicy:
    """Real retries with tiny waits, so fault tests run in milliseconds."""
    values: dict[str, Any] = {"base_delay": 0.01, "max_delay": 0.02, "deadline": 5.0}
    values.update(overrides)
    return RetryPolicy(**values)


@pytest.fixture
def keycloak_settings() -> KeycloakSettings:
    return KeycloakSettings()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def sandbox(keycloak_settings: KeycloakSettings, clock: Clock) -> AsyncIterator[Sandbox]:
    world = Sandbox(
        astravue=build_seed_state(),
        keycloak=KeycloakFake(settings=keycloak_settings, clock=clock),
        slack=SlackFake(),
    )
    server = LoopbackServer(world.app())
    world.set_base_url(await server.start())
    try:
        yield world
    finally:
        server.server.should_exit = True
        assert server.task is not None
        done, _ = await asyncio.wait({server.task}, timeout=1.0)
        if not done:  # a `hang` fault parked a handler forever: do not wait for it
            server.server.force_exit = True
        await server.stop()


@pytest.fixture
def request_log() -> RequestLog:
    return RequestLog()


@pytest.fixture
async def http(request_log: RequestLog) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        timeout=httpx.Timeout(5.0), event_hooks={"request": [request_log.hook]}
    ) as client:
        yield client


def realm_url(sandbox: Sandbox) -> str:
    return sandbox.base_url + REALM_PATH


def make_keycloak(sandbox: Sandbox, http: httpx.AsyncClient, **overrides: Any) -> KeycloakClient:
    values: dict[str, Any] = {
        "auth_url": realm_url(sandbox),
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "scopes": SCOPES,
        "retry": fast_retry(),
    }
    values.update(overrides)
    return KeycloakClient(http, **values)


@pytest.fixture
def keycloak(sandbox: Sandbox, http: httpx.AsyncClient) -> KeycloakClient:
    return make_keycloak(sandbox, http)


@dataclass(frozen=True)
class Login:
    tokens: TokenSet
    code: str = field(repr=False)
    verifier: str = field(repr=False)


async def login(keycloak: KeycloakClient, http: httpx.AsyncClient, username: str) -> Login:
    """The browser's part of the code flow (sign in via login_hint), then the code exchange."""
    verifier, challenge = KeycloakClient.new_pkce()
    url = keycloak.authorize_url(
        redirect_uri=REDIRECT_URI,
        state="integration-state",
        code_challenge=challenge,
        login_hint=username,
    )
    signed_in = await http.get(url)
    assert signed_in.status_code == 302, signed_in.text
    query = parse_qs(urlsplit(signed_in.headers["location"]).query)
    assert query["state"] == ["integration-state"]
    code = query["code"][0]
    tokens = await keycloak.exchange_code(
        code=code, redirect_uri=REDIRECT_URI, code_verifier=verifier
    )
    return Login(tokens, code, verifier)


class SessionTokens:
    """A `TokenProvider` without a database: holds one login and refreshes it on a 401."""

    def __init__(self, keycloak: KeycloakClient, tokens: TokenSet) -> None:
        self.keycloak = keycloak
        self.tokens = tokens
        self.refreshes = 0

    async def access_token(self) -> str:
        return self.tokens.access_token

    async def refresh_after_unauthorized(self, rejected_token: str) -> str:
        assert self.tokens.refresh_token is not None
        self.refreshes += 1
        self.tokens = await self.keycloak.refresh(self.tokens.refresh_token)
        return self.tokens.access_token


def astravue_client(
    sandbox: Sandbox,
    http: httpx.AsyncClient,
    tokens: Any,
    *,
    org_id: int | None = 1,
    retry: RetryPolicy | None = None,
) -> AstravueClient:
    return AstravueClient(
        http,
        base_url=sandbox.base_url,
        org_id=org_id,
        tokens=tokens,
        user_key=f"{TEAM}:test",
        retry=retry or fast_retry(),
    )


@pytest.fixture
def key_spec() -> str:
    return generate_key_spec()


@pytest.fixture
def credentials(key_spec: str) -> LinkCredentials:
    return LinkCredentials(Keyring.from_spec(key_spec))


async def store_link(
    sessions: async_sessionmaker[AsyncSession],
    credentials: LinkCredentials,
    tokens: TokenSet,
    *,
    expires_at: datetime,
    slack_user_id: str = "U0MARIA",
    access_token: str | None = None,
) -> int:
    """An active link row holding `tokens` sealed as the app seals them."""
    async with session_scope(sessions) as session:
        link = AstravueLink(
            team_id=TEAM,
            slack_user_id=slack_user_id,
            status=LinkStatus.ACTIVE,
            org_id=1,
            refresh_failures=0,
        )
        session.add(link)
        await session.flush()  # the id is part of the ciphertexts' associated data
        assert tokens.refresh_token is not None
        link.refresh_token_ct = credentials.seal(link, REFRESH, tokens.refresh_token)
        link.access_token_ct = credentials.seal(link, ACCESS, access_token or tokens.access_token)
        link.access_expires_at = expires_at
        return link.id


async def load_link(sessions: async_sessionmaker[AsyncSession], link_id: int) -> AstravueLink:
    async with sessions() as session:
        link = await session.get(AstravueLink, link_id)
        assert link is not None
        return link


class RelinkCalls:
    """`on_needs_relink` that records the links it was called for."""

    def __init__(self) -> None:
        self.links: list[int] = []

    async def __call__(self, link_id: int) -> None:
        self.links.append(link_id)


def token_manager(
    sessions: async_sessionmaker[AsyncSession],
    credentials: LinkCredentials,
    keycloak: KeycloakClient,
    clock: Clock,
    on_needs_relink: RelinkCalls | None = None,
) -> TokenManager:
    return TokenManager(
        sessions, credentials, keycloak, clock=clock.utc, on_needs_relink=on_needs_relink
    )


EXPIRED = timedelta(seconds=-1)  # an access_expires_at offset that forces a refresh
