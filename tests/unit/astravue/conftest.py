"""Fixtures for the Astravue client tests: respx router, fake clock, scripted tokens."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
import respx

from bot.astravue.budget import UserRateBudget
from bot.astravue.client import AstravueClient
from bot.astravue.errors import ReauthorizationRequired
from bot.astravue.retry import RetryPolicy

BASE = "http://127.0.0.1:9999"
AUTH = "http://127.0.0.1:9999/realms/astravue"
ORG_ID = 1
ACCESS_TOKEN = "eyJ.access-token-one"
REFRESHED_TOKEN = "eyJ.access-token-two"


class FakeClock:
    """Monotonic clock and sleep in one: sleeping advances the clock, instantly."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class ScriptedTokens:
    """A TokenProvider handing out `tokens` in order on each refresh."""

    def __init__(self, *tokens: str, refusal: str | None = None) -> None:
        self._tokens = list(tokens)
        self._refusal = refusal
        self.rejected: list[str] = []

    async def access_token(self) -> str:
        return self._tokens[0]

    async def refresh_after_unauthorized(self, rejected_token: str) -> str:
        self.rejected.append(rejected_token)
        if self._refusal:
            raise ReauthorizationRequired(self._refusal)
        self._tokens.pop(0)
        return self._tokens[0]


def envelope(data: Any, code: int = 200) -> dict[str, Any]:
    return {
        "success": True,
        "message": "Operation completed successfully",
        "code": code,
        "data": data,
    }


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def policy(clock: FakeClock) -> RetryPolicy:
    return RetryPolicy(sleep=clock.sleep, clock=clock, jitter=lambda: 0.5)


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as mock:
        yield mock


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=3.0)) as client:
        yield client


@pytest.fixture
def tokens() -> ScriptedTokens:
    return ScriptedTokens(ACCESS_TOKEN, REFRESHED_TOKEN)


@pytest.fixture
def make_client(
    http: httpx.AsyncClient, policy: RetryPolicy, tokens: ScriptedTokens
) -> Callable[..., AstravueClient]:
    def make(**overrides: Any) -> AstravueClient:
        options: dict[str, Any] = {
            "base_url": BASE,
            "org_id": ORG_ID,
            "tokens": tokens,
            "user_key": "T0ACME:U0MARIA",
            "retry": policy,
        }
        options.update(overrides)
        return AstravueClient(http, **options)

    return make


@pytest.fixture
def client(make_client: Callable[..., AstravueClient]) -> AstravueClient:
    return make_client()


@pytest.fixture
def budget(clock: FakeClock) -> UserRateBudget:
    return UserRateBudget(limit=100, window=60.0, clock=clock, sleep=clock.sleep)
