"""The OAuth `state` rows of the connect flow: made with a PKCE verifier (and the
response_url, and the command the connect interrupted) encrypted, bound to the user; consumed
atomically, exactly once. The command is only the `/astravue` text the user typed: it expires
and goes with its state."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.astravue.auth import KeycloakClient
from bot.db.base import utcnow
from bot.db.models import OAuthState
from bot.db.session import session_scope
from bot.security.crypto import Keyring, TokenContext
from bot.services.link_errors import LinkError

STATE_TTL = timedelta(minutes=10)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class OAuthStates:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], keyring: Keyring) -> None:
        self.sessions = sessions
        self.keyring = keyring

    @staticmethod
    def _context(state: OAuthState, purpose: str) -> TokenContext:
        return TokenContext(
            team_id=state.team_id,
            slack_user_id=state.slack_user_id,
            link_id=0,
            purpose=f"{purpose}:{state.state}",
        )

    async def new(
        self,
        team_id: str,
        slack_user_id: str,
        channel_id: str | None,
        response_url: str | None,
        prefix: str = "",
        command: str | None = None,
    ) -> tuple[OAuthState, str]:
        """A stored state and its PKCE verifier; expired states are swept on the way."""
        verifier, _ = KeycloakClient.new_pkce()
        now = utcnow()
        state = OAuthState(
            state=prefix + secrets.token_urlsafe(32),
            team_id=team_id,
            slack_user_id=slack_user_id,
            channel_id=channel_id,
            created_at=now,
            expires_at=now + STATE_TTL,
            code_verifier_ct="",
        )
        state.code_verifier_ct = self.keyring.encrypt(verifier, aad=self._context(state, "pkce"))
        if response_url:
            state.response_url_ct = self.keyring.encrypt(
                response_url, aad=self._context(state, "response_url")
            )
        if command:
            state.command_ct = self.keyring.encrypt(command, aad=self._context(state, "command"))
        async with session_scope(self.sessions) as session:
            await session.execute(delete(OAuthState).where(OAuthState.expires_at < now))
            session.add(state)
        return state, verifier

    async def get(self, state_value: str) -> OAuthState | None:
        async with self.sessions() as session:
            return await session.get(OAuthState, state_value)

    def verifier(self, state: OAuthState) -> str:
        """Raises DecryptionError."""
        return self.keyring.decrypt(state.code_verifier_ct, aad=self._context(state, "pkce"))

    def response_url(self, state: OAuthState) -> str | None:
        """Raises DecryptionError."""
        if not state.response_url_ct:
            return None
        return self.keyring.decrypt(state.response_url_ct, aad=self._context(state, "response_url"))

    def command(self, state: OAuthState) -> str | None:
        """Raises DecryptionError."""
        if not state.command_ct:
            return None
        return self.keyring.decrypt(state.command_ct, aad=self._context(state, "command"))

    async def consume(self, state_value: str) -> OAuthState:
        """Delete and return the state, once: LinkError("used") if it was never issued or is
        already consumed, LinkError("expired") past its TTL."""
        async with session_scope(self.sessions) as session:
            result = await session.execute(
                delete(OAuthState)
                .where(OAuthState.state == state_value)
                .returning(
                    OAuthState.state,
                    OAuthState.team_id,
                    OAuthState.slack_user_id,
                    OAuthState.code_verifier_ct,
                    OAuthState.response_url_ct,
                    OAuthState.command_ct,
                    OAuthState.channel_id,
                    OAuthState.expires_at,
                )
            )
            row = result.one_or_none()
        if row is None:
            raise LinkError("used")  # never issued, or already consumed: link nothing
        state = OAuthState(
            state=row.state,
            team_id=row.team_id,
            slack_user_id=row.slack_user_id,
            code_verifier_ct=row.code_verifier_ct,
            response_url_ct=row.response_url_ct,
            command_ct=row.command_ct,
            channel_id=row.channel_id,
            expires_at=row.expires_at,
        )
        if _aware(state.expires_at) <= utcnow():
            raise LinkError("expired")
        return state
