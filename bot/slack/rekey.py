"""`astravue-bot keys rotate` for Slack installations: re-seal every bot token and refresh
token that is not under the primary key."""

from __future__ import annotations

import logging

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.locks import for_update
from bot.db.models import SlackInstallation
from bot.db.session import session_scope
from bot.security.crypto import DecryptionError
from bot.slack.sealing import InstallationSeals

log = logging.getLogger(__name__)


async def rewrap_installations(
    sessions: async_sessionmaker[AsyncSession], seals: InstallationSeals, *, batch: int = 200
) -> tuple[int, int]:
    """Returns (rows changed, rows that no configured key opens, left as they are)."""
    changed = failed = 0
    last_id = 0
    has_tokens = or_(
        SlackInstallation.bot_token_ct.is_not(None),
        SlackInstallation.bot_refresh_token_ct.is_not(None),
    )
    while True:
        async with session_scope(sessions) as session:
            query = (
                select(SlackInstallation)
                .where(SlackInstallation.id > last_id, has_tokens)
                .order_by(SlackInstallation.id)
                .limit(batch)
            )
            rows = (await session.scalars(for_update(query, session))).all()
            if not rows:
                return changed, failed
            for row in rows:
                try:
                    changes = seals.rewrapped(row)
                except DecryptionError:
                    failed += 1
                    log.error("installation %s: token cannot be decrypted with any key", row.id)
                    continue
                if changes:
                    # Only if the row still holds what was read: a token refresh that ran
                    # meanwhile (SQLite has no row lock) must not be undone.
                    same = [getattr(SlackInstallation, c) == getattr(row, c) for c in changes]
                    result = await session.execute(
                        update(SlackInstallation)
                        .where(SlackInstallation.id == row.id, *same)
                        .values(**changes)
                        .execution_options(synchronize_session=False)
                    )
                    changed += result.rowcount  # type: ignore[attr-defined]
            last_id = rows[-1].id
