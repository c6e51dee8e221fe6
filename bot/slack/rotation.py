"""Slack token rotation for bot tokens: refresh before expiry, single-flight per installation.

As with Astravue tokens (bot.services.tokens): an asyncio lock per installation in the
process and `SELECT ... FOR UPDATE` on its row across processes (PostgreSQL), held through
the `oauth.v2.access` refresh grant and the commit; after the lock the row is read again, so
a refresh another task or process just made is used instead of repeated. Slack rotates the
refresh token too, and the new one is stored (sealed) in the same commit.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from weakref import WeakValueDictionary

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select

from bot.db.base import utcnow
from bot.db.locks import for_update
from bot.db.models import SlackInstallation
from bot.db.session import session_scope
from bot.slack.clients import TeamNotInstalled
from bot.slack.installations import InstalledTeam, SqlInstallationStore
from bot.slack.sealing import BOT, BOT_REFRESH

log = logging.getLogger(__name__)

REFRESH_MARGIN = timedelta(minutes=5)  # Slack's rotating tokens live 12 hours


class BotTokenRefreshFailed(Exception):
    """Slack would not refresh the bot token; the stored one is kept."""


class BotTokens:
    def __init__(
        self,
        store: SqlInstallationStore,
        oauth_client: AsyncWebClient,
        *,
        client_id: str,
        client_secret: str,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.oauth_client = oauth_client
        self.client_id = client_id
        self.client_secret = client_secret
        self.clock = clock
        self.refreshes = 0  # grants sent by this process (tests and the benchmark read it)
        self._locks: WeakValueDictionary[int, asyncio.Lock] = WeakValueDictionary()

    def _fresh(self, expires_at: datetime | None) -> bool:
        return expires_at is None or expires_at - REFRESH_MARGIN > self.clock()

    async def current(self, installed: InstalledTeam) -> InstalledTeam:
        """The installation with a bot token good for at least a few more minutes."""
        if self._fresh(installed.expires_at):
            return installed
        lock = self._locks.get(installed.id)
        if lock is None:
            lock = self._locks[installed.id] = asyncio.Lock()
        async with lock:
            return await self._refresh(installed)

    async def _refresh(self, installed: InstalledTeam) -> InstalledTeam:
        seals = self.store.seals
        async with session_scope(self.store.sessions) as session:
            query = select(SlackInstallation).where(SlackInstallation.id == installed.id)
            row = (await session.scalars(for_update(query, session))).one_or_none()
            if row is None or row.uninstalled_at is not None or row.bot_token_ct is None:
                raise TeamNotInstalled(installed.team_id, installed.enterprise_id or None)
            if self._fresh(row.bot_token_expires_at):
                return self.store.opened(row)  # refreshed meanwhile, here or elsewhere
            if row.bot_refresh_token_ct is None:
                raise BotTokenRefreshFailed("the bot token expired and there is no refresh token")
            refresh_token = seals.open(row, BOT_REFRESH, row.bot_refresh_token_ct)
            now = self.clock()
            self.refreshes += 1
            try:
                reply = await self.oauth_client.oauth_v2_access(
                    client_id=self.client_id,
                    client_secret=self.client_secret,
                    grant_type="refresh_token",
                    refresh_token=refresh_token,
                )
            except SlackApiError as exc:
                log.warning(
                    "installation %s: bot token refresh refused (%s)",
                    row.id,
                    exc.response.get("error"),
                )
                raise BotTokenRefreshFailed(str(exc.response.get("error"))) from None
            row.bot_token_ct = seals.seal(row, BOT, str(reply["access_token"]))
            if reply.get("refresh_token"):
                row.bot_refresh_token_ct = seals.seal(row, BOT_REFRESH, str(reply["refresh_token"]))
            row.bot_token_expires_at = now + timedelta(seconds=int(reply.get("expires_in") or 0))
            log.info("installation %s: bot token refreshed", row.id)
            return self.store.opened(row)
