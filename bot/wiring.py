"""Builds the shared objects once per process: engine, keyring, HTTP clients, services."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import ConfigError, Settings
from bot.db.session import create_engine, create_sessionmaker
from bot.listeners.ack_gate import AckGate
from bot.security.crypto import KeyFile, Keyring
from bot.slack.clients import SingleWorkspaceClients, TeamClients

if TYPE_CHECKING:
    from bot.services.container import ServiceContainer
    from bot.services.messenger import Messenger
    from bot.slack.distribution import Distribution

log = logging.getLogger(__name__)

# Short timeouts: a person is waiting behind most calls.
ASTRAVUE_TIMEOUT = httpx.Timeout(connect=3.0, read=10.0, write=10.0, pool=5.0)
ASTRAVUE_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=50)
# How long shutdown waits for lazy listeners still at work (an Astravue read is at most 10 s).
LAZY_DRAIN_SECONDS = 12.0


def resolve_keyring(settings: Settings) -> Keyring:
    """The configured key ring; with the embedded SQLite default, a generated key file."""
    if settings.token_encryption_keys:
        return Keyring.from_spec(settings.token_encryption_keys)
    if not settings.is_sqlite:
        raise ConfigError(
            "TOKEN_ENCRYPTION_KEYS is required with a non-SQLite DATABASE_URL; "
            "make one with `astravue-bot keys new`."
        )
    if settings.sqlite_path is None:  # in-memory database: a key for this process only
        from bot.security.crypto import generate_key_spec

        return Keyring.from_spec(generate_key_spec())
    key_path = settings.sqlite_path.with_name(settings.sqlite_path.name + ".keys")
    return Keyring.from_spec(KeyFile.load_or_create(key_path))


def create_slack_client(settings: Settings) -> AsyncWebClient:
    client = AsyncWebClient(
        token=settings.slack_bot_token, base_url=settings.slack_api_url, timeout=10
    )
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
    return client


@dataclass
class Runtime:
    """Process-wide resources; `close()` releases them."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    keyring: Keyring
    http: httpx.AsyncClient
    slack: AsyncWebClient
    # Who speaks for each team: the one bot token, or each installation's (distributed mode).
    team_clients: TeamClients
    distribution: Distribution | None = None
    services: ServiceContainer = field(init=False)
    # Lazy listeners in flight: Bolt starts them fire-and-forget, so nothing else holds them.
    lazy_work: set[asyncio.Task[Any]] = field(init=False, default_factory=set)
    ack_gate: AckGate = field(init=False, default_factory=AckGate)

    async def close(self) -> None:
        await self.finish_lazy_work()
        await self.http.aclose()
        await self.engine.dispose()
        session = getattr(self.slack, "session", None)
        if session is not None and not session.closed:
            await session.close()

    def outbound_messenger(self) -> Messenger:
        """The poller's Messenger, on a client without rate-limit retries (it paces and
        retries itself); in distributed mode with one workspace budget per team."""
        if self.distribution is not None:
            from bot.slack.pacing import TeamPacedMessenger

            return TeamPacedMessenger(self.distribution.paced)
        from bot.services.messenger import Messenger

        settings = self.settings
        return Messenger(
            AsyncWebClient(
                token=settings.slack_bot_token, base_url=settings.slack_api_url, timeout=10
            )
        )

    async def finish_lazy_work(self, grace: float = LAZY_DRAIN_SECONDS) -> None:
        """Let running lazy listeners end before the clients they use are closed (else they
        fail with "client has been closed"); past `grace` seconds they are cancelled."""
        pending = {task for task in self.lazy_work if not task.done()}
        if not pending:
            return
        log.info("waiting for %d lazy listener(s) to finish", len(pending))
        _, late = await asyncio.wait(pending, timeout=grace)
        for task in late:
            task.cancel()


def build_runtime(settings: Settings) -> Runtime:
    from bot.services.container import ServiceContainer

    engine = create_engine(settings.database_url)
    sessions = create_sessionmaker(engine)
    keyring = resolve_keyring(settings)
    distribution = None
    if settings.distributed:  # SLACK_BOT_TOKEN is not used: every team has its own token
        from bot.slack.distribution import build_distribution

        distribution = build_distribution(settings, sessions, keyring)
    slack = distribution.routed if distribution else create_slack_client(settings)
    runtime = Runtime(
        settings=settings,
        engine=engine,
        sessions=sessions,
        keyring=keyring,
        http=httpx.AsyncClient(timeout=ASTRAVUE_TIMEOUT, limits=ASTRAVUE_LIMITS),
        slack=slack,
        team_clients=distribution.clients if distribution else SingleWorkspaceClients(slack),
        distribution=distribution,
    )
    runtime.services = ServiceContainer.build(runtime)
    return runtime
