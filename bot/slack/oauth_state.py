"""The state store of the "Add to Slack" flow: single use, expiring, only its hash stored.
Bolt's flow also binds the state to the browser that began it (a cookie it checks first)."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.db.models import SlackOAuthState
from bot.db.session import session_scope

log = logging.getLogger(__name__)

STATE_TTL = timedelta(minutes=10)


def _hash(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


class SqlOAuthStateStore(AsyncOAuthStateStore):
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], *, ttl: timedelta = STATE_TTL
    ) -> None:
        self.sessions = sessions
        self.ttl = ttl

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: object, **kwargs: object) -> str:
        state = secrets.token_urlsafe(32)
        async with session_scope(self.sessions) as session:
            session.add(SlackOAuthState(state_hash=_hash(state), expires_at=utcnow() + self.ttl))
        return state

    async def async_consume(self, state: str) -> bool:
        """True once for a state issued here and not expired; the row goes either way."""
        if not state or len(state) > 200:
            return False
        async with session_scope(self.sessions) as session:
            result = await session.execute(
                delete(SlackOAuthState)
                .where(SlackOAuthState.state_hash == _hash(state))
                .returning(SlackOAuthState.expires_at)
            )
            expires_at = result.scalar_one_or_none()
        return expires_at is not None and expires_at > utcnow()
