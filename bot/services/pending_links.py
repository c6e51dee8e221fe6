"""Connects that wait for their browser's confirmation.

When the Astravue account signed in at the callback does not carry the Slack user's email,
nothing is linked on that GET: the exchanged tokens are sealed into a short-lived row and the
browser is shown a page with a POST "Link" button. The button's form carries a CSRF token that
is also set as a cookie on that page, and the row keeps only the token's SHA-256: a confirmation
counts once, before expiry, from the browser that saw the page.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.astravue.auth import TokenSet
from bot.db.base import utcnow
from bot.db.models import PendingLink
from bot.db.session import session_scope
from bot.security.crypto import DecryptionError, Keyring, TokenContext
from bot.services.link_errors import LinkError
from bot.services.link_rules import well_formed_token

PENDING_TTL = timedelta(minutes=10)


@dataclass(frozen=True)
class Held:
    """What the confirmation page needs: the row's id and the CSRF token (page and cookie)."""

    pending_id: str
    csrf_token: str = field(repr=False)
    expires_at: datetime


@dataclass(frozen=True)
class Taken:
    """A confirmed pending link, consumed: its row (plain values), tokens, response_url and
    the command the connect interrupted."""

    row: PendingLink
    tokens: TokenSet
    response_url: str | None
    command: str | None = None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _context(row: PendingLink, purpose: str) -> TokenContext:
    return TokenContext(
        team_id=row.team_id,
        slack_user_id=row.slack_user_id,
        link_id=0,
        purpose=f"pending-{purpose}:{row.id}",
    )


class PendingLinks:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], keyring: Keyring) -> None:
        self.sessions = sessions
        self.keyring = keyring

    async def hold(
        self,
        row: PendingLink,
        tokens: TokenSet,
        response_url: str | None,
        command: str | None = None,
    ) -> Held:
        """Store `row` (its team, user and Astravue identity filled in) with the tokens sealed."""
        now = utcnow()
        csrf_token = secrets.token_urlsafe(32)
        row.id = secrets.token_urlsafe(32)
        row.created_at, row.expires_at = now, now + PENDING_TTL
        row.csrf_hash = _digest(csrf_token)
        sealed = {
            "access_token": tokens.access_token,
            "refresh_token": tokens.refresh_token,
            "expires_at": int(time.time()) + tokens.expires_in,
        }
        row.tokens_ct = self.keyring.encrypt(json.dumps(sealed), aad=_context(row, "tokens"))
        if response_url:
            row.response_url_ct = self.keyring.encrypt(
                response_url, aad=_context(row, "response_url")
            )
        if command:
            row.command_ct = self.keyring.encrypt(command, aad=_context(row, "command"))
        async with session_scope(self.sessions) as session:
            await session.execute(delete(PendingLink).where(PendingLink.expires_at < now))
            session.add(row)
        return Held(pending_id=row.id, csrf_token=csrf_token, expires_at=row.expires_at)

    async def take(self, *, pending_id: str, form_token: str, cookie_token: str | None) -> Taken:
        """Consume the pending link if this POST came from the page that showed it."""
        if not (well_formed_token(pending_id) and well_formed_token(form_token)):
            raise LinkError("invalid", "malformed confirmation")
        async with self.sessions() as session:
            row = await session.get(PendingLink, pending_id)
        if row is None:
            raise LinkError("used")  # confirmed or cancelled already, or never shown
        if row.expires_at <= utcnow():  # its cookie is gone too: say why, and forget it
            await self._forget(pending_id)
            raise LinkError("expired")
        if not cookie_token or not hmac.compare_digest(cookie_token.encode(), form_token.encode()):
            raise LinkError("csrf", "the CSRF cookie is missing or differs from the form")
        if not hmac.compare_digest(row.csrf_hash, _digest(form_token)):
            raise LinkError("csrf", "the CSRF token is not this confirmation's")
        if not await self._forget(pending_id):
            raise LinkError("used")  # a concurrent POST took it first
        try:
            sealed = json.loads(self.keyring.decrypt(row.tokens_ct, aad=_context(row, "tokens")))
            response_url = (
                self.keyring.decrypt(row.response_url_ct, aad=_context(row, "response_url"))
                if row.response_url_ct
                else None
            )
            command = (
                self.keyring.decrypt(row.command_ct, aad=_context(row, "command"))
                if row.command_ct
                else None
            )
        except DecryptionError:  # the keys changed while it waited
            raise LinkError("expired", "pending link cannot be decrypted") from None
        tokens = TokenSet(
            access_token=sealed["access_token"],
            refresh_token=sealed["refresh_token"],
            expires_in=max(0, int(sealed["expires_at"]) - int(time.time())),
        )
        return Taken(row=row, tokens=tokens, response_url=response_url, command=command)

    async def _forget(self, pending_id: str) -> bool:
        """Delete the row; True for the one caller that did (single use across processes)."""
        async with session_scope(self.sessions) as session:
            deleted = await session.execute(
                delete(PendingLink).where(PendingLink.id == pending_id).returning(PendingLink.id)
            )
            return deleted.one_or_none() is not None
