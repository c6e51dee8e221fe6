"""`astravue-bot keys rotate` for Slack installations: re-seal every bot token and refresh
token that is not under the primary key."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import SlackInstallation
from bot.db.rewrap import rewrap_rows
from bot.slack.sealing import InstallationSeals


async def rewrap_installations(
    sessions: async_sessionmaker[AsyncSession], seals: InstallationSeals, *, batch: int = 200
) -> tuple[int, int]:
    """Returns (rows changed, rows that no configured key opens, left as they are)."""
    columns = (SlackInstallation.bot_token_ct, SlackInstallation.bot_refresh_token_ct)
    return await rewrap_rows(sessions, SlackInstallation, columns, seals.rewrapped, batch=batch)
