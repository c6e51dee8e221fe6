"""The end of an installation (app_uninstalled, tokens_revoked) and what follows.

Ending it deletes the bot token and its refresh token at once, so nothing can act for the
workspace again, and suspends its users' Astravue links: they are not polled and nothing is
sent for them. A reinstall restores the links; 30 days after the uninstall a scheduled job
deletes them (`purge_uninstalled`).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.db.models import AstravueLink, LinkStatus, SlackInstallation, UserSettings
from bot.db.session import session_scope
from bot.slack.queries import active_row_for

log = logging.getLogger(__name__)

KEEP_SUSPENDED = timedelta(days=30)


async def end_installation(
    sessions: async_sessionmaker[AsyncSession], *, team_id: str | None, enterprise_id: str | None
) -> bool:
    """Returns whether an active installation was ended."""
    async with session_scope(sessions) as session:
        row = await session.scalar(active_row_for(team_id, enterprise_id))
        if row is None:
            return False
        row.bot_token_ct = row.bot_refresh_token_ct = None
        row.bot_token_expires_at = None
        row.uninstalled_at = utcnow()
        owner = row.enterprise_id if row.is_enterprise_install else row.team_id
        suspended = await session.execute(
            update(AstravueLink)
            .where(AstravueLink.team_id == owner, AstravueLink.status == LinkStatus.ACTIVE)
            .values(status=LinkStatus.SUSPENDED)
        )
    log.info(
        "installation %s (team %s) ended; %d link(s) suspended",
        row.id,
        owner,
        suspended.rowcount,  # type: ignore[attr-defined]
    )
    return True


async def restore_links(session: AsyncSession, owner_key: str) -> int:
    """A reinstall: the suspended links of this team work again."""
    restored = await session.execute(
        update(AstravueLink)
        .where(AstravueLink.team_id == owner_key, AstravueLink.status == LinkStatus.SUSPENDED)
        .values(status=LinkStatus.ACTIVE)
    )
    return int(restored.rowcount or 0)  # type: ignore[attr-defined]


async def purge_uninstalled(
    sessions: async_sessionmaker[AsyncSession], *, keep: timedelta = KEEP_SUSPENDED
) -> int:
    """Delete the links and settings of teams uninstalled for longer than `keep`; returns
    how many links went. Their Astravue tokens go with the rows."""
    cutoff = utcnow() - keep
    async with session_scope(sessions) as session:
        rows = (
            await session.execute(
                select(
                    SlackInstallation.enterprise_id,
                    SlackInstallation.team_id,
                    SlackInstallation.is_enterprise_install,
                ).where(SlackInstallation.uninstalled_at < cutoff)
            )
        ).all()
        owners = [ent if org_wide else team for ent, team, org_wide in rows]
        if not owners:
            return 0
        gone = await session.execute(
            delete(AstravueLink).where(
                AstravueLink.team_id.in_(owners), AstravueLink.status == LinkStatus.SUSPENDED
            )
        )
        await session.execute(delete(UserSettings).where(UserSettings.team_id.in_(owners)))
    count = int(gone.rowcount or 0)  # type: ignore[attr-defined]
    if count:
        log.info("deleted %d link(s) of workspaces uninstalled over %s ago", count, keep)
    return count
