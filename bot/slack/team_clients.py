"""Distributed mode: the Web API client of each installed team, and Bolt's authorize.

`InstallationClients.for_team` reads the installation each time (so an uninstalled team gets
`TeamNotInstalled` at once, never a call with its old token), refreshes a rotating bot token
when it is about to expire, and hands out one cached `AsyncWebClient` per installation (a
bounded LRU). `TeamRoutedClient` is an `AsyncWebClient` for code that holds one client for
every team (profiles, the poller's messenger): each call uses the token of the team the
current task acts for (`acting_for`).
"""

from __future__ import annotations

import contextvars
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.slack.clients import TeamNotInstalled
from bot.slack.installations import InstalledTeam, SqlInstallationStore
from bot.slack.rotation import BotTokenRefreshFailed, BotTokens

MAX_CLIENTS = 1000
LINK_TEAM = "link_team_id"  # context key: the team id links are stored under, when not Slack's

_acting_for: contextvars.ContextVar[tuple[str, str | None] | None] = contextvars.ContextVar(
    "slack_acting_for", default=None
)


def acting_for(team_id: str, enterprise_id: str | None = None) -> None:
    """Name the team whose token this task's `TeamRoutedClient` calls use from now on."""
    _acting_for.set((team_id, enterprise_id))


def acting_team() -> str | None:
    """The team id `acting_for` named in this task, if any."""
    team = _acting_for.get()
    return team[0] if team else None


class InstallationClients:
    def __init__(
        self,
        store: SqlInstallationStore,
        tokens: BotTokens,
        *,
        base_url: str,
        max_clients: int = MAX_CLIENTS,
        retry_rate_limits: bool = True,
    ) -> None:
        self.store = store
        self.tokens = tokens
        self.base_url = base_url
        self.max_clients = max_clients
        self.retry_rate_limits = retry_rate_limits  # off for paced senders: they retry
        self._clients: OrderedDict[int, AsyncWebClient] = OrderedDict()

    async def installed(self, team_id: str | None, enterprise_id: str | None) -> InstalledTeam:
        found = await self.store.find(team_id, enterprise_id)
        if found is None:
            raise TeamNotInstalled(team_id or "", enterprise_id)
        try:
            return await self.tokens.current(found)
        except BotTokenRefreshFailed:
            raise TeamNotInstalled(team_id or "", enterprise_id) from None

    async def for_team(self, team_id: str, enterprise_id: str | None = None) -> AsyncWebClient:
        installed = await self.installed(team_id, enterprise_id)
        client = self._clients.pop(installed.id, None)
        if client is None:
            client = AsyncWebClient(base_url=self.base_url, timeout=10)
            if self.retry_rate_limits:
                client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
        client.token = installed.bot_token
        self._clients[installed.id] = client
        while len(self._clients) > self.max_clients:
            self._clients.popitem(last=False)
        return client

    async def token_for(self, team_id: str, enterprise_id: str | None = None) -> str:
        return (await self.installed(team_id, enterprise_id)).bot_token

    def bolt_authorize(self) -> Callable[..., Awaitable[AuthorizeResult | None]]:
        """Bolt's `authorize` (a plain function: Bolt passes arguments by their names)."""

        async def authorize(
            enterprise_id: str | None, team_id: str | None, context: AsyncBoltContext
        ) -> AuthorizeResult | None:
            return await self.authorize(enterprise_id, team_id, context)

        return authorize

    async def authorize(
        self, enterprise_id: str | None, team_id: str | None, context: AsyncBoltContext
    ) -> AuthorizeResult | None:
        """Bolt's authorize. On an org-wide install the request's `team_id` becomes the
        enterprise id: links and settings of that org are keyed by it, whichever workspace
        the user types in."""
        try:
            installed = await self.installed(team_id, enterprise_id)
        except TeamNotInstalled:
            return None
        if installed.is_enterprise_install:
            # Lazy listeners get a context rebuilt from the body: they read LINK_TEAM.
            context["team_id"] = context[LINK_TEAM] = installed.owner_key
        return AuthorizeResult(
            enterprise_id=installed.enterprise_id or None,
            team_id=team_id,
            bot_user_id=installed.bot_user_id,
            bot_id=installed.bot_id,
            bot_token=installed.bot_token,
        )


class TeamRoutedClient(AsyncWebClient):
    """Each call carries the bot token of the team named by `acting_for` in this task."""

    def __init__(self, clients: InstallationClients, **kwargs: Any) -> None:
        super().__init__(token=None, **kwargs)
        self.clients = clients

    async def api_call(
        self, api_method: str, *, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> AsyncSlackResponse:
        team = _acting_for.get()
        if team is None:
            raise TeamNotInstalled("")  # a call that does not say for whom: never a guess
        token = await self.clients.token_for(*team)
        headers = {**(headers or {}), "Authorization": f"Bearer {token}"}
        return await super().api_call(api_method, headers=headers, **kwargs)
