"""Key rotation: re-encrypt every stored ciphertext under the primary key, in batches."""

from __future__ import annotations

import logging

from sqlalchemy import or_, select, update
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
    has_tokens = or_(
        AstravueLink.refresh_token_ct.is_not(None), AstravueLink.access_token_ct.is_not(None)
    )
    while True:
        async with session_scope(sessions) as session:
            query = (
                select(AstravueLink)
                .where(AstravueLink.id > last_id, has_tokens)
                .order_by(AstravueLink.id)
                .limit(batch)
            )
            links = (await session.scalars(for_update(query, session))).all()
            if not links:
                return changed, failed
            for link in links:
                try:
                    changes = credentials.rewrapped(link)
                except DecryptionError:
                    failed += 1
                    log.error("link %s: stored token cannot be decrypted with any key", link.id)
                    continue
                if changes:
                    changed += await _compare_and_set(session, link, changes)
            last_id = links[-1].id


async def _compare_and_set(
    session: AsyncSession, link: AstravueLink, changes: dict[str, str]
) -> int:
    """Write the re-wrapped tokens only if the row still holds what was read: a refresh that
    ran meanwhile (SQLite has no row lock) stored newer tokens, which must not be undone."""
    unchanged = [getattr(AstravueLink, column) == getattr(link, column) for column in changes]
    result = await session.execute(
        update(AstravueLink)
        .where(AstravueLink.id == link.id, *unchanged)
        .values(**changes)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount  # type: ignore[attr-defined,no-any-return]
