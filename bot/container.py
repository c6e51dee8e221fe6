"""What the listeners reach the services through: one object, built by `bot.wiring`.

It builds nothing and decides nothing. Each service it holds got its own dependencies from
wiring; the few process resources here (settings, the database sessions, the Slack client,
the lazy-work bookkeeping) are the ones listeners use directly today.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, Protocol

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.astravue.auth import KeycloakClient
from bot.astravue.budget import UserRateBudget
from bot.astravue.client import AstravueClient
from bot.config import Settings
from bot.domain.links import LinkInfo, ResumedCommand
from bot.outbound.home import HomeService
from bot.services.astravue_access import AstravueAccess
from bot.services.event_dedupe import EventDedupe
from bot.services.feeds import FeedSubscriptions
from bot.services.feeds_poll import FeedPoller
from bot.services.link_health import LinkHealth
from bot.services.linking import LinkingService
from bot.services.links import Links, NotConnected, OrgMissing, working
from bot.services.notification_inbox import NotificationInbox
from bot.services.notification_poller import NotificationPoller
from bot.services.notifications import NotificationService
from bot.services.org_membership import OrgMembership
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
from bot.slack.profiles import Profiles

__all__ = ["NotConnected", "OrgMissing", "ServiceContainer", "working"]


CommandRunner = Callable[[ResumedCommand], Coroutine[Any, Any, None]]


class AckWaiter(Protocol):
    async def wait_for_acks(self) -> None: ...


@dataclass
class ServiceContainer:
    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    slack: AsyncWebClient
    ack_gate: AckWaiter
    keycloak: KeycloakClient
    tokens: TokenManager
    budget: UserRateBudget
    links: Links
    astravue_access: AstravueAccess
    linking: LinkingService
    profiles: Profiles
    zones: UserZones
    home: HomeService
    timers: TimerService
    timer_cards: TimerCards
    tasks: TaskService
    time_views: TimeViews
    spaces: SpaceService
    notifications: NotificationService
    poller: NotificationPoller
    feeds: FeedSubscriptions
    feed_poller: FeedPoller
    rescue: TimerRescue
    unfurls: UnfurlService
    dedupe: EventDedupe
    team_links: TeamLinks
    link_health: LinkHealth
    inbox: NotificationInbox
    orgs: OrgMembership
    # Lazy listeners in flight: Bolt starts them fire-and-forget, so nothing else holds them.
    lazy_work: set[asyncio.Task[Any]] = field(default_factory=set)
    # Runs a command that waited for connect or the organisation (set by the command listener).
    resume_command: CommandRunner | None = None

    def resume(self, command: ResumedCommand) -> None:
        """Run `command` in the background, as a lazy listener would (shutdown waits for it)."""
        if self.resume_command is None:
            return
        task = asyncio.create_task(self.resume_command(command))
        self.lazy_work.add(task)
        task.add_done_callback(self.lazy_work.discard)

    async def link(self, team_id: str, slack_user_id: str) -> LinkInfo | None:
        return await self.links.link(team_id, slack_user_id)

    async def active_link(self, team_id: str, slack_user_id: str) -> LinkInfo:
        return await self.links.active_link(team_id, slack_user_id)

    def astravue(self, link: LinkInfo, *, org_id: int | None = None) -> AstravueClient:
        """A client acting as this link's Astravue user, in their (or the given) organisation."""
        return self.astravue_access(link, org_id=org_id)
