"""Queries used in more than one service."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.db.models import AstravueLink, UsedNonce, UserSettings
from bot.db.session import session_scope


async def link_for(session: AsyncSession, team_id: str, slack_user_id: str) -> AstravueLink | None:
    query = select(AstravueLink).where(
        AstravueLink.team_id == team_id, AstravueLink.slack_user_id == slack_user_id
    )
    return (await session.scalars(query)).one_or_none()


async def settings_for(session: AsyncSession, team_id: str, slack_user_id: str) -> UserSettings:
    """The user's settings row, created with the defaults on first use. Two requests may
    create it at once: the insert ignores the loser's row instead of failing."""
    query = select(UserSettings).where(
        UserSettings.team_id == team_id, UserSettings.slack_user_id == slack_user_id
    )
    row = (await session.scalars(query)).one_or_none()
    if row is None:
        insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else pg_insert
        await session.execute(
            insert(UserSettings)
            .values(
                team_id=team_id,
                slack_user_id=slack_user_id,
                type_modes={},
                muted_task_ids=[],
                digest_project_ids=[],
                extra={},
            )
            .on_conflict_do_nothing(index_elements=["team_id", "slack_user_id"])
        )
        row = (await session.scalars(query)).one()
    return row


class DatabaseNonceStore:
    """Single use of signed links across processes: the nonce's primary key says "used"."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def consume(self, nonce: str, expires_at: float) -> bool:
        try:
            async with session_scope(self.sessions) as session:
                await session.execute(delete(UsedNonce).where(UsedNonce.expires_at < utcnow()))
                session.add(
                    UsedNonce(nonce=nonce, expires_at=datetime.fromtimestamp(expires_at, UTC))
                )
        except IntegrityError:
            return False
        return True
