"""The services of one process, built once by `bot.wiring` and handed to the listeners."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from bot.astravue.auth import KeycloakClient
from bot.astravue.budget import UserRateBudget
from bot.astravue.client import AstravueClient
from bot.astravue.errors import ReauthorizationRequired
from bot.db.models import AstravueLink, LinkStatus
from bot.db.repositories import DatabaseNonceStore, link_for
from bot.domain.links import LinkInfo
from bot.security.signing import LinkSigner
from bot.services.credentials import LinkCredentials
from bot.services.home import HomeService
from bot.services.identity import IdentityResolver
from bot.services.linking import LinkingService
from bot.services.profiles import Profiles
from bot.services.relink import RelinkNotifier
from bot.services.slack_directory import SlackDirectory
from bot.services.tokens import TokenManager

if TYPE_CHECKING:
    from bot.services.event_dedupe import EventDedupe
    from bot.services.link_health import LinkHealth
    from bot.services.notification_inbox import NotificationInbox
    from bot.services.notifications import NotificationService
    from bot.services.org_membership import OrgMembership
    from bot.services.spaces import SpaceService
    from bot.services.tasks import TaskService
    from bot.services.team_links import TeamLinks
    from bot.services.timers import TimerService
    from bot.wiring import Runtime


def link_info(link: AstravueLink) -> LinkInfo:
    return LinkInfo(
        id=link.id,
        team_id=link.team_id,
        slack_user_id=link.slack_user_id,
        status=link.status,
        org_id=link.org_id,
        astravue_user_id=link.astravue_user_id,
        email=link.astravue_email,
        name=link.astravue_name,
    )


class NotConnected(Exception):
    """The acting Slack user has no working Astravue link."""

    def __init__(self, link: LinkInfo | None) -> None:
        super().__init__("not connected")
        self.link = link


class OrgMissing(Exception):
    """The user is linked but no organisation id is known for them yet."""


@dataclass
class ServiceContainer:
    runtime: Runtime
    keycloak: KeycloakClient
    tokens: TokenManager
    linking: LinkingService
    budget: UserRateBudget
    home: HomeService = field(init=False)
    dedupe: EventDedupe = field(init=False)  # from here: built by bot.wiring
    team_links: TeamLinks = field(init=False)
    link_health: LinkHealth = field(init=False)
    spaces: SpaceService = field(init=False)
    inbox: NotificationInbox = field(init=False)
    orgs: OrgMembership = field(init=False)

    @classmethod
    def build(cls, runtime: Runtime) -> ServiceContainer:
        settings = runtime.settings
        keycloak = KeycloakClient(
            runtime.http,
            auth_url=settings.astravue_auth_url,
            client_id=settings.astravue_client_id or "",
            client_secret=settings.astravue_client_secret,
            scopes=settings.astravue_scopes,
        )
        credentials = LinkCredentials(runtime.keyring)
        linking = LinkingService(
            runtime.sessions,
            runtime.keyring,
            keycloak,
            LinkSigner.from_keyring(runtime.keyring),
            DatabaseNonceStore(runtime.sessions),
            public_url=settings.public_url,
            redirect_uri=settings.oauth_redirect_uri,
            directory=SlackDirectory(runtime.slack),
            identities=IdentityResolver(
                keycloak, http=runtime.http, api_url=settings.astravue_api_url
            ),
        )
        container = cls(
            runtime=runtime,
            keycloak=keycloak,
            tokens=TokenManager(runtime.sessions, credentials, keycloak),
            linking=linking,
            budget=UserRateBudget(),
        )
        container.home = HomeService(container)
        container.tokens.on_needs_relink = RelinkNotifier(container)
        return container

    @cached_property
    def profiles(self) -> Profiles:
        return Profiles(self.runtime.slack)

    @cached_property
    def tasks(self) -> TaskService:
        from bot.services.tasks import TaskService

        return TaskService(self)

    @cached_property
    def timers(self) -> TimerService:
        from bot.services.timers import TimerService

        return TimerService(self)

    @cached_property
    def notifications(self) -> NotificationService:
        from bot.services.notifications import NotificationService

        return NotificationService(self)

    async def link(self, team_id: str, slack_user_id: str) -> LinkInfo | None:
        async with self.runtime.sessions() as session:
            link = await link_for(session, team_id, slack_user_id)
            return link_info(link) if link else None

    async def active_link(self, team_id: str, slack_user_id: str) -> LinkInfo:
        link = await self.link(team_id, slack_user_id)
        if link is None or link.status != LinkStatus.ACTIVE:
            raise NotConnected(link)
        return link

    def astravue(self, link: LinkInfo, *, org_id: int | None = None) -> AstravueClient:
        """A client acting as this link's Astravue user, in their (or the given) organisation."""
        if link.status != LinkStatus.ACTIVE:
            raise ReauthorizationRequired("the Astravue account is not connected")
        org_id = org_id if org_id is not None else link.org_id
        if org_id is None:
            raise OrgMissing()
        return AstravueClient(
            self.runtime.http,
            base_url=self.runtime.settings.astravue_api_url,
            org_id=org_id,
            tokens=self.tokens.provider(link.id),
            user_key=f"{link.team_id}:{link.slack_user_id}",
            budget=self.budget,
        )
