"""The composition root: the ONE place that builds anything.

`build_runtime` makes the process resources (engine, keyring, HTTP and Slack clients), then
every service with exactly what it uses, then the outbound senders, and hands the listeners
one `ServiceContainer`. Nothing else constructs a service.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.astravue.auth import KeycloakClient
from bot.astravue.budget import UserRateBudget
from bot.config import ConfigError, Settings
from bot.container import ServiceContainer
from bot.db.repositories import DatabaseNonceStore
from bot.db.session import create_engine, create_sessionmaker
from bot.listeners.ack_gate import AckBoard, AckGate
from bot.outbound.feed_poster import FeedPoster
from bot.outbound.home import HomeService
from bot.outbound.messenger import Messenger
from bot.outbound.notifications import NotificationOutbox
from bot.outbound.relink import RelinkSender
from bot.outbound.rescue import RescueSender
from bot.security.crypto import KeyFile, Keyring
from bot.security.signing import LinkSigner
from bot.services.astravue_access import AstravueAccess
from bot.services.credentials import LinkCredentials
from bot.services.drafts import TaskDrafts
from bot.services.event_dedupe import EventDedupe
from bot.services.feeds import FeedSubscriptions
from bot.services.feeds_poll import FeedPoller
from bot.services.identity import IdentityResolver
from bot.services.link_health import LinkHealth
from bot.services.link_store import LinkStore
from bot.services.linking import LinkingService
from bot.services.links import Links
from bot.services.notification_inbox import NotificationInbox
from bot.services.notification_poller import NotificationPoller
from bot.services.notifications import NotificationService
from bot.services.oauth_states import OAuthStates
from bot.services.org_membership import OrgMembership
from bot.services.pending_links import PendingLinks
from bot.services.people import PeopleDirectory
from bot.services.poll_leases import PollLeases
from bot.services.projects import ProjectCatalogue
from bot.services.relink import RelinkNotifier
from bot.services.rescue import TimerRescue
from bot.services.spaces import SpaceService
from bot.services.tasks import TaskService
from bot.services.team_links import TeamLinks
from bot.services.time_views import TimeViews
from bot.services.timer_cards import TimerCards
from bot.services.timers import TimerService
from bot.services.tokens import TokenManager
from bot.services.unfurls import UnfurlService
from bot.services.zones import UserZones
from bot.slack.clients import SingleWorkspaceClients, TeamClients
from bot.slack.directory import SlackDirectory
from bot.slack.profiles import Profiles

if TYPE_CHECKING:
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


def create_slack_client(settings: Settings, *, retry_rate_limits: bool = True) -> AsyncWebClient:
    """Without `retry_rate_limits` for the paced senders: their Messenger alone decides when
    to try again after a 429."""
    client = AsyncWebClient(
        token=settings.slack_bot_token, base_url=settings.slack_api_url, timeout=10
    )
    if retry_rate_limits:
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
    ack_gate: AckGate = field(default_factory=AckGate)

    async def close(self) -> None:
        await self.finish_lazy_work()
        await self.http.aclose()
        await self.engine.dispose()
        session = getattr(self.slack, "session", None)
        if session is not None and not session.closed:
            await session.close()

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


def build_runtime(settings: Settings, ack_board: AckBoard | None = None) -> Runtime:
    """`ack_board`: the requests in flight of every worker of `serve --workers N` (else this
    process's alone)."""
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
        ack_gate=AckGate(ack_board),
    )
    runtime.services = build_services(runtime)
    return runtime


def build_services(runtime: Runtime) -> ServiceContainer:
    settings, sessions = runtime.settings, runtime.sessions
    # Outside a request, Slack is reached per team; single-workspace mode has one client.
    clients: TeamClients = runtime.team_clients
    paced_clients: TeamClients = (
        runtime.distribution.paced_clients
        if runtime.distribution
        else SingleWorkspaceClients(create_slack_client(settings, retry_rate_limits=False))
    )

    keycloak = KeycloakClient(
        runtime.http,
        auth_url=settings.astravue_auth_url,
        client_id=settings.astravue_client_id or "",
        client_secret=settings.astravue_client_secret,
        scopes=settings.astravue_scopes,
    )
    credentials = LinkCredentials(runtime.keyring)
    linking = LinkingService(
        keycloak,
        LinkSigner.from_keyring(runtime.keyring),
        DatabaseNonceStore(sessions),
        public_url=settings.public_url,
        redirect_uri=settings.oauth_redirect_uri,
        directory=SlackDirectory(runtime.slack, Profiles(runtime.slack)),
        identities=IdentityResolver(keycloak, http=runtime.http, api_url=settings.astravue_api_url),
        states=OAuthStates(sessions, runtime.keyring),
        pending=PendingLinks(sessions, runtime.keyring),
        store=LinkStore(sessions, credentials),
    )
    tokens = TokenManager(
        sessions,
        credentials,
        keycloak,
        on_needs_relink=RelinkNotifier(sessions, linking, RelinkSender(clients)),
    )
    budget = UserRateBudget(
        settings.astravue_user_rate_limit, settings.astravue_user_rate_window_seconds
    )
    astravue = AstravueAccess(
        runtime.http, api_url=settings.astravue_api_url, tokens=tokens, budget=budget
    )
    links = Links(sessions)
    home = HomeService(links, linking)
    profiles = Profiles(runtime.slack)
    zones = UserZones(profiles)
    timers = TimerService(sessions, astravue, zones)
    timer_cards = TimerCards(sessions, runtime.keyring)
    tasks = TaskService(
        astravue,
        zones,
        PeopleDirectory(sessions, profiles),
        timers,
        ProjectCatalogue(astravue),
        TaskDrafts(sessions),
        app_url=settings.astravue_app_url,
        on_task_written=home.forget,
    )
    poller = NotificationPoller(
        sessions,
        astravue,
        zones,
        NotificationOutbox(paced_clients, Messenger()),
        PollLeases(sessions, interval_seconds=settings.notify_poll_seconds),
        interval_seconds=settings.notify_poll_seconds,
        app_url=settings.astravue_app_url,
    )
    feed_poller = FeedPoller(
        sessions,
        astravue,
        FeedPoster(paced_clients, Messenger(), app_url=settings.astravue_app_url),
        interval_seconds=settings.notify_poll_seconds,
    )
    return ServiceContainer(
        settings=settings,
        sessions=sessions,
        slack=runtime.slack,
        ack_gate=runtime.ack_gate,
        keycloak=keycloak,
        tokens=tokens,
        budget=budget,
        links=links,
        astravue_access=astravue,
        linking=linking,
        profiles=profiles,
        zones=zones,
        home=home,
        timers=timers,
        timer_cards=timer_cards,
        tasks=tasks,
        time_views=TimeViews(astravue, timers, tasks, app_url=settings.astravue_app_url),
        spaces=SpaceService(astravue, tasks),
        notifications=NotificationService(sessions, astravue, app_url=settings.astravue_app_url),
        poller=poller,
        feeds=FeedSubscriptions(sessions, tasks, zones),
        feed_poller=feed_poller,
        rescue=TimerRescue(sessions, timers, zones, RescueSender(clients), timer_cards),
        unfurls=UnfurlService(links, astravue, tasks, app_url=settings.astravue_app_url),
        dedupe=EventDedupe(sessions),
        team_links=TeamLinks(sessions, linking, distributed=runtime.distribution is not None),
        link_health=LinkHealth(sessions),
        inbox=NotificationInbox(astravue),
        orgs=OrgMembership(astravue),
        lazy_work=runtime.lazy_work,
    )
