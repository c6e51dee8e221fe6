"""The stored link of a Slack user: written when a connect completes, ended by a
disconnect, its organisation set by hand. Tokens are sealed (`LinkCredentials`)."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.astravue.auth import TokenSet
from bot.db.base import utcnow
from bot.db.models import AstravueLink, LinkStatus, PollState
from bot.db.repositories import link_for
from bot.db.session import session_scope
from bot.security.crypto import DecryptionError
from bot.services.credentials import ACCESS, REFRESH, LinkCredentials
from bot.services.identity import Identity, remember
from bot.services.link_errors import LinkError

log = logging.getLogger(__name__)


class LinkStore:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], credentials: LinkCredentials
    ) -> None:
        self.sessions = sessions
        self.credentials = credentials

    async def store(
        self, team_id: str, slack_user_id: str, tokens: TokenSet, identity: Identity
    ) -> int:
        """The link, active with these tokens; polling starts (again) from what is there."""
        now = utcnow()
        async with session_scope(self.sessions) as session:
            link = await link_for(session, team_id, slack_user_id)
            if link is None:
                link = AstravueLink(team_id=team_id, slack_user_id=slack_user_id)
                session.add(link)
            # Another Astravue user takes their own organisation (or none: they are asked);
            # the same user keeps the one they set by hand when the token names none.
            if identity.org_id is not None or link.astravue_user_id != identity.astravue_user_id:
                link.org_id = identity.org_id
            link.status = LinkStatus.ACTIVE
            link.astravue_user_id = identity.astravue_user_id
            link.astravue_email = identity.email
            link.astravue_name = identity.name
            link.refresh_failures = 0
            link.refresh_backoff_until = None
            link.relink_reason = None
            link.relink_notified_at = None
            await session.flush()  # the id is part of the ciphertexts' associated data
            if tokens.refresh_token:
                link.refresh_token_ct = self.credentials.seal(link, REFRESH, tokens.refresh_token)
            link.access_token_ct = self.credentials.seal(link, ACCESS, tokens.access_token)
            link.access_expires_at = now + timedelta(seconds=tokens.expires_in)
            link.refreshed_at = now
            poll = await session.get(PollState, link.id)
            if poll is None:
                session.add(PollState(link_id=link.id, next_poll_at=now, initialized=False))
            else:  # a re-link: take up polling again, recording what is there as seen
                poll.next_poll_at = now
                poll.initialized = False
                poll.failures = 0
                poll.last_error = None
            return link.id

    async def end(self, team_id: str, slack_user_id: str) -> tuple[bool, str | None]:
        """Disconnect: delete the ciphertexts and stop polling. Returns whether there was a
        link to end, and its refresh token (to revoke) when it could be read."""
        async with session_scope(self.sessions) as session:
            link = await link_for(session, team_id, slack_user_id)
            if link is None or link.status == LinkStatus.DISCONNECTED:
                return False, None
            refresh_token = None
            if link.refresh_token_ct:
                try:
                    refresh_token = self.credentials.open(link, REFRESH, link.refresh_token_ct)
                except DecryptionError:
                    log.warning("link %s: token undecryptable at disconnect; deleting it", link.id)
            link.status = LinkStatus.DISCONNECTED
            link.refresh_token_ct = None
            link.access_token_ct = None
            link.access_expires_at = None
            await session.execute(delete(PollState).where(PollState.link_id == link.id))
        return True, refresh_token

    async def set_org(
        self, team_id: str, slack_user_id: str, org_id: int, astravue_user_id: int | None
    ) -> None:
        async with session_scope(self.sessions) as session:
            link = await link_for(session, team_id, slack_user_id)
            if link is None:
                raise LinkError("invalid", "not linked")
            link.org_id = org_id
            if astravue_user_id is not None:
                link.astravue_user_id = astravue_user_id
            await remember(
                session,
                team_id,
                slack_user_id,
                org_source="user",
                **({"user_source": "astravue"} if astravue_user_id else {}),
            )

    async def remember_sources(
        self, team_id: str, slack_user_id: str, *, session_only: bool, identity: Identity
    ) -> None:
        async with session_scope(self.sessions) as session:
            await remember(
                session,
                team_id,
                slack_user_id,
                session_only=session_only,
                user_source=identity.user_source,
                org_source=identity.org_source,
                org_name=identity.org_name,  # of `org_name_of`: a later /astravue org moves on
                org_name_of=str(identity.org_id) if identity.org_name else None,
            )
