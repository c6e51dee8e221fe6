"""Re-sealing stored ciphertexts under the primary key, in batches of locked rows: the loop
that `keys rotate` runs for Astravue links and for Slack installations alike."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import InstrumentedAttribute

from bot.db.locks import for_update
from bot.db.session import session_scope
from bot.security.crypto import DecryptionError

log = logging.getLogger(__name__)


async def rewrap_rows(
    sessions: async_sessionmaker[AsyncSession],
    model: Any,
    token_columns: Sequence[InstrumentedAttribute[Any]],
    rewrapped: Callable[[Any], dict[str, str]],
    *,
    batch: int = 200,
) -> tuple[int, int]:
    """Re-seal every row of `model` holding a token; `rewrapped(row)` gives the columns to
    change (empty when all are under the primary key). Returns (rows changed, rows that no
    configured key opens, left as they are)."""
    changed = failed = 0
    last_id = 0
    while True:
        async with session_scope(sessions) as session:
            query = (
                select(model)
                .where(model.id > last_id, or_(*(c.is_not(None) for c in token_columns)))
                .order_by(model.id)
                .limit(batch)
            )
            rows = (await session.scalars(for_update(query, session))).all()
            if not rows:
                return changed, failed
            for row in rows:
                try:
                    changes = rewrapped(row)
                except DecryptionError:
                    failed += 1
                    log.error(
                        "%s %s: token cannot be decrypted with any key", model.__name__, row.id
                    )
                    continue
                if changes:
                    # Only if the row still holds what was read: a token refresh that ran
                    # meanwhile (SQLite has no row lock) stored newer tokens, kept as they are.
                    same = [getattr(model, column) == getattr(row, column) for column in changes]
                    result = await session.execute(
                        update(model)
                        .where(model.id == row.id, *same)
                        .values(**changes)
                        .execution_options(synchronize_session=False)
                    )
                    changed += result.rowcount  # type: ignore[attr-defined]
            last_id = rows[-1].id
