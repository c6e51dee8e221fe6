"""Where quick-capture drafts wait for the user's confirmation, and a channel's default
project for tasks made there."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import ChannelDefault
from bot.db.repositories import settings_for
from bot.db.session import session_scope
from bot.domain.errors import DraftExpired
from bot.domain.links import LinkInfo
from bot.domain.tasks import TaskDraft

MAX_DRAFTS = 10
DRAFTS_KEY = "task_drafts"


async def _channel_default(
    session: AsyncSession, team_id: str, channel_id: str
) -> ChannelDefault | None:
    return (
        await session.scalars(
            select(ChannelDefault).where(
                ChannelDefault.team_id == team_id, ChannelDefault.channel_id == channel_id
            )
        )
    ).one_or_none()


class TaskDrafts:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def save_draft(self, link: LinkInfo, draft: TaskDraft, token: str | None = None) -> str:
        """Keep a draft until the user confirms; only its author can find it again."""
        token = token or secrets.token_urlsafe(8)
        async with session_scope(self.sessions) as session:
            row = await settings_for(session, link.team_id, link.slack_user_id)
            drafts = dict((row.extra or {}).get(DRAFTS_KEY) or {})
            drafts.pop(token, None)
            drafts[token] = draft.to_json()
            while len(drafts) > MAX_DRAFTS:
                drafts.pop(next(iter(drafts)))
            row.extra = {**(row.extra or {}), DRAFTS_KEY: drafts}
        return token

    async def load_draft(self, link: LinkInfo, token: str) -> TaskDraft:
        async with self.sessions() as session:
            row = await settings_for(session, link.team_id, link.slack_user_id)
            raw = ((row.extra or {}).get(DRAFTS_KEY) or {}).get(token)
        if raw is None:
            raise DraftExpired()
        return TaskDraft.from_json(raw)

    async def drop_draft(self, link: LinkInfo, token: str) -> None:
        async with session_scope(self.sessions) as session:
            row = await settings_for(session, link.team_id, link.slack_user_id)
            drafts = dict((row.extra or {}).get(DRAFTS_KEY) or {})
            drafts.pop(token, None)
            row.extra = {**(row.extra or {}), DRAFTS_KEY: drafts}

    async def remember_channel_project(
        self, team_id: str, channel_id: str, space_id: int, project_id: int
    ) -> None:
        async with session_scope(self.sessions) as session:
            row = await _channel_default(session, team_id, channel_id)
            if row is None:
                row = ChannelDefault(team_id=team_id, channel_id=channel_id)
                session.add(row)
            row.space_id, row.project_id = space_id, project_id

    async def channel_project(self, team_id: str, channel_id: str) -> tuple[int, int] | None:
        async with self.sessions() as session:
            row = await _channel_default(session, team_id, channel_id)
        if row is None or row.space_id is None or row.project_id is None:
            return None
        return row.space_id, row.project_id
