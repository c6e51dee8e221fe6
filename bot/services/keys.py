"""Key rotation: re-encrypt every stored ciphertext under the primary key, in batches."""

from __future__ import annotations

import logging

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.locks import for_update
from bot.db.models import AstravueLink
from bot.db.session import session_scope
from bot.security.crypto import DecryptionError
from bot.services.credentials import LinkCredentials

log = logging.getLogger(__name__)


async def rewrap_all(
    sessions: async_sessionmaker[AsyncSession], credentials: LinkCredentials, *, batch: int = 200
) -> tuple[int, int]:
    """Returns (rows changed, rows that could not be decrypted and were left as they are).

    OAuth states are not re-wrapped: they live ten minutes, so keep a retired key that long.
    """
    changed = failed = 0
    last_id = 0
    has_tokens = or_(AstravueLink.refresh_token_ct.is_not(None),
                     AstravueLink.access_token_ct.is_not(None))
    while True:
        async with session_scope(sessions) as session:
            query = (select(AstravueLink).where(AstravueLink.id > last_id, has_tokens)
                     .order_by(AstravueLink.id).limit(batch))
            query = for_update(query, session)
            links = (await session.scalars(query)).all()
            if not links:
                return changed, failed
            for link in links:
                try:
                    changed += credentials.rewrap(link)
                except DecryptionError:
                    failed += 1
                    log.error("link %s: stored token cannot be decrypted with any key", link.id)
            last_id = links[-1].id
