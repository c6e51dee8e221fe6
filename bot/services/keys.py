"""Key rotation: re-encrypt every stored ciphertext under the primary key, in batches."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import AstravueLink
from bot.db.rewrap import rewrap_rows
from bot.services.credentials import LinkCredentials


async def rewrap_all(
    sessions: async_sessionmaker[AsyncSession], credentials: LinkCredentials, *, batch: int = 200
) -> tuple[int, int]:
    """Returns (rows changed, rows that could not be decrypted and were left as they are).

    OAuth states are not re-wrapped: they live ten minutes, so keep a retired key that long.
    """
    columns = (AstravueLink.refresh_token_ct, AstravueLink.access_token_ct)
    return await rewrap_rows(sessions, AstravueLink, columns, credentials.rewrapped, batch=batch)
