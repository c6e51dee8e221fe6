"""Access tokens for a link: reuse until shortly before expiry, refresh single-flight.

Keycloak rotates refresh tokens and kills the whole session when a spent one is reused,
so two refreshes of one user must never race: an asyncio lock per link in
this process, and `SELECT ... FOR UPDATE` on the link row across processes (PostgreSQL), held
through the token POST and the commit. After taking the lock the row is read again, so a
refresh another process just did is used instead of repeated.

In memory: each link's access token, decrypted once and kept with the ciphertext it came
from, until shortly before it expires; a row whose ciphertext differs (refreshed or relinked
elsewhere) is decrypted again. Whoever just read the link row (the poller's batch read) lends
it with `reading(row)`, so the token is taken from it without reading the row again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from weakref import WeakValueDictionary

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import metrics
from bot.astravue.auth import (
    ClientConfigurationError,
    KeycloakClient,
    TerminalGrantError,
    TransientAuthError,
)
from bot.astravue.errors import AstravueConnectionError, ReauthorizationRequired
from bot.db.base import utcnow
from bot.db.locks import for_update
from bot.db.models import AstravueLink, LinkStatus
from bot.db.session import session_scope
from bot.security.crypto import DecryptionError
from bot.services.credentials import ACCESS, REFRESH, LinkCredentials

log = logging.getLogger(__name__)

REFRESH_MARGIN = timedelta(seconds=60)  # refresh this long before the access token expires
MAX_BACKOFF = timedelta(minutes=5)

RelinkCallback = Callable[[int], Awaitable[None]]


@dataclass(frozen=True)
class _Opened:
    ciphertext: str
    token: str


class AuthUnavailable(AstravueConnectionError):
    """Keycloak is down or misconfigured; the stored token is kept for a later try."""

    def __init__(self, detail: str) -> None:
        super().__init__("POST", "/protocol/openid-connect/token", detail, request_sent=False)


class TokenManager:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        credentials: LinkCredentials,
        keycloak: KeycloakClient,
        *,
        clock: Callable[[], datetime] = utcnow,
        on_needs_relink: RelinkCallback | None = None,
    ) -> None:
        self.sessions = sessions
        self.credentials = credentials
        self.keycloak = keycloak
        self.clock = clock
        self.on_needs_relink = on_needs_relink
        self._locks: WeakValueDictionary[int, asyncio.Lock] = WeakValueDictionary()
        self._opened: dict[int, _Opened] = {}  # link id -> its access token, decrypted
        self._rows: dict[int, AstravueLink] = {}  # rows lent by `reading`

    @contextmanager
    def reading(self, link: AstravueLink) -> Iterator[None]:
        """Within the block, `access_token_for(link.id)` trusts `link`, a row its caller has
        just read, instead of reading it again (a refresh or a rejected token still does)."""
        self._rows[link.id] = link
        try:
            yield
        finally:
            if self._rows.get(link.id) is link:
                del self._rows[link.id]

    def _lock(self, link_id: int) -> asyncio.Lock:
        lock = self._locks.get(link_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[link_id] = lock
        return lock

    def _usable(self, link: AstravueLink, rejected: str | None) -> str | None:
        """The stored access token if it is fresh and not the one Astravue just rejected."""
        if not link.access_token_ct or not link.access_expires_at:
            return None
        if link.access_expires_at - REFRESH_MARGIN <= self.clock():
            self._opened.pop(link.id, None)
            return None
        opened = self._opened.get(link.id)
        if opened is None or opened.ciphertext != link.access_token_ct:
            token = self.credentials.open(link, ACCESS, link.access_token_ct)
            opened = self._opened[link.id] = _Opened(link.access_token_ct, token)
        return None if opened.token == rejected else opened.token

    async def access_token_for(self, link_id: int, *, rejected: str | None = None) -> str:
        """A valid access token, refreshing if needed; `rejected` is one Astravue refused."""
        link = self._rows.get(link_id) if rejected is None else None
        if link is None:
            async with self.sessions() as session:
                link = await session.get(AstravueLink, link_id)
        self._check_active(link)
        assert link is not None
        try:
            token = self._usable(link, rejected)
        except DecryptionError:
            token = None  # the refresh path below marks the link if that fails too
        if token:
            return token
        async with self._lock(link_id):
            return await self._refresh(link_id, rejected)

    @staticmethod
    def _check_active(link: AstravueLink | None) -> None:
        if link is None or link.status != LinkStatus.ACTIVE or not link.refresh_token_ct:
            raise ReauthorizationRequired("the Astravue account is not connected")

    async def _refresh(self, link_id: int, rejected: str | None) -> str:
        # Failures that change the row (relink, backoff) are committed before they are raised.
        self._rows.pop(link_id, None)  # a lent row is stale once a refresh starts
        self._opened.pop(link_id, None)
        failure: Exception | None = None
        token: str | None = None
        async with session_scope(self.sessions) as session:
            query = for_update(select(AstravueLink).where(AstravueLink.id == link_id), session)
            link = (await session.scalars(query)).one_or_none()
            self._check_active(link)
            assert link is not None and link.refresh_token_ct is not None
            try:
                token = self._usable(link, rejected)
                if token:
                    return token  # another task or process refreshed while we waited
                refresh_token = self.credentials.open(link, REFRESH, link.refresh_token_ct)
            except DecryptionError:
                self._mark_needs_relink(link, "stored token could not be decrypted")
                failure = ReauthorizationRequired("stored token could not be decrypted")
            else:
                token, failure = await self._grant(link, refresh_token)
                metrics.count_token_refresh(failure)
        if isinstance(failure, ReauthorizationRequired) and self.on_needs_relink is not None:
            await self.on_needs_relink(link_id)
        if failure is not None:
            raise failure
        assert token is not None
        return token

    async def _grant(
        self, link: AstravueLink, refresh_token: str
    ) -> tuple[str | None, Exception | None]:
        """Run the refresh grant and record its outcome on the (locked) row."""
        now = self.clock()
        if link.refresh_backoff_until and link.refresh_backoff_until > now:
            return None, AuthUnavailable("Astravue sign-in is failing; backing off")
        try:
            tokens = await self.keycloak.refresh(refresh_token)
        except TerminalGrantError as exc:
            log.warning(
                "link %s: refresh rejected (%s: %s); needs relink",
                link.id,
                exc.error,
                exc.description,
            )
            self._mark_needs_relink(link, f"{exc.error}: {exc.description}"[:200])
            return None, ReauthorizationRequired("Astravue ended the session")
        except ClientConfigurationError as exc:
            log.error(
                "Astravue rejected our OAuth client (%s): check ASTRAVUE_CLIENT_ID and "
                "ASTRAVUE_CLIENT_SECRET; user tokens are kept",
                exc.error,
            )
            return None, AuthUnavailable("the app's Astravue client is misconfigured")
        except TransientAuthError as exc:
            self._back_off(link, now)
            log.warning("link %s: refresh failed transiently (%s); token kept", link.id, exc)
            return None, AuthUnavailable("Astravue sign-in is unavailable")
        # Store the rotated refresh token before the new access token is used (commit follows).
        if tokens.refresh_token:
            link.refresh_token_ct = self.credentials.seal(link, REFRESH, tokens.refresh_token)
        link.access_token_ct = self.credentials.seal(link, ACCESS, tokens.access_token)
        self._opened[link.id] = _Opened(link.access_token_ct, tokens.access_token)
        link.access_expires_at = now + timedelta(seconds=tokens.expires_in)
        link.refreshed_at = now
        link.refresh_failures = 0
        link.refresh_backoff_until = None
        return tokens.access_token, None

    def _back_off(self, link: AstravueLink, now: datetime) -> None:
        link.refresh_failures += 1
        delay = min(timedelta(seconds=2 ** (link.refresh_failures - 1)), MAX_BACKOFF)
        link.refresh_backoff_until = now + delay

    @staticmethod
    def _mark_needs_relink(link: AstravueLink, reason: str) -> None:
        link.status = LinkStatus.NEEDS_RELINK
        link.refresh_token_ct = None
        link.access_token_ct = None
        link.access_expires_at = None
        link.relink_reason = reason

    def provider(self, link_id: int) -> LinkTokenProvider:
        return LinkTokenProvider(self, link_id)


class LinkTokenProvider:
    """The `TokenProvider` an `AstravueClient` uses for one link."""

    def __init__(self, manager: TokenManager, link_id: int) -> None:
        self.manager = manager
        self.link_id = link_id

    async def access_token(self) -> str:
        return await self.manager.access_token_for(self.link_id)

    async def refresh_after_unauthorized(self, rejected_token: str) -> str:
        return await self.manager.access_token_for(self.link_id, rejected=rejected_token)
