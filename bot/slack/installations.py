"""Our Bolt installation store on SQLAlchemy: one row per workspace or org-wide install,
tokens sealed with the key ring (bot.slack.sealing).

Keys: a workspace install is (enterprise id or "", team id); an org-wide Enterprise Grid
install is (enterprise id, ""). A request from any workspace of such an org finds the org's
row. Astravue links of an org-wide install are keyed by the enterprise id (`owner_key`), so a
user's link follows them into every workspace of the org.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.db.models import SlackInstallation
from bot.db.session import session_scope
from bot.security.crypto import DecryptionError
from bot.slack.lifecycle import restore_links
from bot.slack.queries import active_row_for
from bot.slack.sealing import BOT, BOT_REFRESH, InstallationSeals

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InstalledTeam:
    """An active installation with its bot token opened (never logged, never repr'd)."""

    id: int
    enterprise_id: str
    team_id: str
    is_enterprise_install: bool
    team_name: str | None
    bot_user_id: str | None
    bot_id: str | None
    bot_token: str
    expires_at: datetime | None

    def __repr__(self) -> str:
        return f"InstalledTeam(id={self.id}, team={self.team_id!r}, ent={self.enterprise_id!r})"

    @property
    def owner_key(self) -> str:
        """The team id Astravue links of this installation are stored under."""
        return self.enterprise_id if self.is_enterprise_install else self.team_id


def row_key(enterprise_id: str | None, team_id: str | None, org_wide: bool) -> tuple[str, str]:
    return (enterprise_id or "", "" if org_wide else (team_id or ""))


class SqlInstallationStore(AsyncInstallationStore):
    """Bot-only: user tokens of installers are not kept (the app acts as its bot only)."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], seals: InstallationSeals
    ) -> None:
        self.sessions = sessions
        self.seals = seals

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        await self.save(installation)

    async def save(self, installation: Installation) -> InstalledTeam:
        """Store (or restore, on a reinstall) the installation; returns it."""
        key = row_key(
            installation.enterprise_id,
            installation.team_id,
            bool(installation.is_enterprise_install),
        )
        now = utcnow()
        async with session_scope(self.sessions) as session:
            row = await session.scalar(
                select(SlackInstallation).where(
                    SlackInstallation.enterprise_id == key[0], SlackInstallation.team_id == key[1]
                )
            )
            if row is None:
                row = SlackInstallation(enterprise_id=key[0], team_id=key[1], installed_at=now)
                session.add(row)
                await session.flush()  # the row id is part of the ciphertexts' AAD
            row.is_enterprise_install = bool(installation.is_enterprise_install)
            row.enterprise_name = installation.enterprise_name
            row.team_name = installation.team_name
            row.app_id, row.bot_id = installation.app_id, installation.bot_id
            row.bot_user_id = installation.bot_user_id
            row.bot_scopes = ",".join(installation.bot_scopes or [])
            row.installer_user_id = installation.user_id
            row.installed_at, row.uninstalled_at = now, None
            token = installation.bot_token or ""
            row.bot_token_ct = self.seals.seal(row, BOT, token) if token else None
            refresh = installation.bot_refresh_token
            row.bot_refresh_token_ct = (
                self.seals.seal(row, BOT_REFRESH, refresh) if refresh else None
            )
            expires_at = installation.bot_token_expires_at
            row.bot_token_expires_at = (
                datetime.fromtimestamp(int(expires_at), UTC) if expires_at else None
            )
            await session.flush()
            installed = self.opened(row)
            await restore_links(session, installed.owner_key)
            return installed

    def opened(self, row: SlackInstallation) -> InstalledTeam:
        assert row.bot_token_ct is not None
        return InstalledTeam(
            id=row.id,
            enterprise_id=row.enterprise_id,
            team_id=row.team_id,
            is_enterprise_install=row.is_enterprise_install,
            team_name=row.team_name,
            bot_user_id=row.bot_user_id,
            bot_id=row.bot_id,
            bot_token=self.seals.open(row, BOT, row.bot_token_ct),
            expires_at=row.bot_token_expires_at,
        )

    async def find(self, team_id: str | None, enterprise_id: str | None) -> InstalledTeam | None:
        """The active installation speaking for this team (None: not installed)."""
        async with self.sessions() as session:
            row = await session.scalar(active_row_for(team_id, enterprise_id))
        if row is None or row.bot_token_ct is None:
            return None
        try:
            return self.opened(row)
        except DecryptionError:
            log.error("installation %s: bot token cannot be decrypted; treated as absent", row.id)
            return None

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        found = await self.find(None if is_enterprise_install else team_id, enterprise_id)
        if found is None:
            return None
        return Bot(
            enterprise_id=found.enterprise_id or None,
            team_id=found.team_id or None,
            bot_token=found.bot_token,
            bot_id=found.bot_id or "",
            bot_user_id=found.bot_user_id or "",
            is_enterprise_install=found.is_enterprise_install,
            installed_at=time.time(),
        )

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        from bot.slack.lifecycle import end_installation

        await end_installation(self.sessions, team_id=team_id, enterprise_id=enterprise_id)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        if user_id is None:
            await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    async def count_active(self) -> int:
        async with self.sessions() as session:
            count = await session.scalar(
                select(func.count())
                .select_from(SlackInstallation)
                .where(SlackInstallation.uninstalled_at.is_(None))
            )
        return int(count or 0)
