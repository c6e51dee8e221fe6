"""Connecting a Slack user to their Astravue account (OAuth 2.0 code flow with PKCE).

`/astravue connect` stores a state row (PKCE verifier and response_url encrypted) and hands
out a signed, expiring, single-use start URL. The start route redirects to Keycloak; the
callback consumes the state atomically, exchanges the code, reads the user's identity, and
stores the link with its refresh token encrypted.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.astravue.auth import KeycloakClient, OAuthError, TokenSet, pkce_challenge
from bot.db.base import utcnow
from bot.db.models import AstravueLink, LinkStatus, OAuthState, PollState
from bot.db.repositories import link_for
from bot.db.session import session_scope
from bot.security.crypto import DecryptionError, Keyring, TokenContext
from bot.security.signing import LinkSigner, NonceStore, SignatureError
from bot.services.credentials import ACCESS, REFRESH, LinkCredentials
from bot.services.identity import Identity, IdentityResolver, remember
from bot.services.session_scopes import (
    REDUCED_PREFIX,
    ScopeRetry,
    may_retry,
    offline_refused,
    session_only,
    without_offline,
)

log = logging.getLogger(__name__)

STATE_TTL = timedelta(minutes=10)


class LinkError(Exception):
    """The connect flow cannot go on; `kind` picks the page shown to the user."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind  # invalid | expired | used | denied | exchange_failed


@dataclass(frozen=True)
class LinkOutcome:
    team_id: str
    slack_user_id: str
    link_id: int
    email: str | None
    name: str | None
    org_id: int | None
    response_url: str | None  # decrypted; a bearer capability, never logged
    channel_id: str | None
    session_only: bool = False  # no offline token: the link ends with the Keycloak session


class LinkingService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        keyring: Keyring,
        keycloak: KeycloakClient,
        signer: LinkSigner,
        nonces: NonceStore,
        *,
        public_url: str,
        redirect_uri: str,
        identities: IdentityResolver | None = None,
    ) -> None:
        self.sessions = sessions
        self.keyring = keyring
        self.credentials = LinkCredentials(keyring)
        self.keycloak = keycloak
        self.signer = signer
        self.nonces = nonces
        self.public_url = public_url
        self.redirect_uri = redirect_uri
        self.identities = identities or IdentityResolver(keycloak)

    def _state_context(self, state: OAuthState, purpose: str) -> TokenContext:
        return TokenContext(team_id=state.team_id, slack_user_id=state.slack_user_id, link_id=0,
                            purpose=f"{purpose}:{state.state}")

    async def begin(self, *, team_id: str, slack_user_id: str, channel_id: str | None,
                    response_url: str | None) -> str:
        """A fresh start URL for this user (made when they ask, so never stale)."""
        state, _ = await self._new_state(team_id, slack_user_id, channel_id, response_url)
        token = self.signer.sign({"s": state.state, "t": team_id, "u": slack_user_id},
                                 ttl=int(STATE_TTL.total_seconds()))
        return f"{self.public_url}/oauth/astravue/start?{urlencode({'t': token})}"

    async def _new_state(self, team_id: str, slack_user_id: str, channel_id: str | None,
                         response_url: str | None, prefix: str = "") -> tuple[OAuthState, str]:
        verifier, _ = KeycloakClient.new_pkce()
        now = utcnow()
        state = OAuthState(state=prefix + secrets.token_urlsafe(32), team_id=team_id,
                           slack_user_id=slack_user_id, channel_id=channel_id,
                           created_at=now, expires_at=now + STATE_TTL, code_verifier_ct="")
        state.code_verifier_ct = self.keyring.encrypt(verifier,
                                                      aad=self._state_context(state, "pkce"))
        if response_url:
            state.response_url_ct = self.keyring.encrypt(
                response_url, aad=self._state_context(state, "response_url"))
        async with session_scope(self.sessions) as session:
            await session.execute(delete(OAuthState).where(OAuthState.expires_at < now))
            session.add(state)
        return state, verifier

    async def authorization_redirect(self, token: str) -> str:
        """Check the signed start URL (once) and give Keycloak's authorize URL."""
        try:
            claims = await self.signer.verify_once(token, self.nonces)
        except SignatureError as exc:
            kind = {"SignatureExpired": "expired", "SignatureReused": "used"}.get(
                type(exc).__name__, "invalid")
            raise LinkError(kind) from None
        async with self.sessions() as session:
            state = await session.get(OAuthState, str(claims.get("s", "")))
        if state is None or state.expires_at <= utcnow():
            raise LinkError("expired")
        try:
            verifier = self.keyring.decrypt(state.code_verifier_ct,
                                            aad=self._state_context(state, "pkce"))
        except DecryptionError:
            raise LinkError("invalid", "state cannot be decrypted") from None
        return self.keycloak.authorize_url(redirect_uri=self.redirect_uri, state=state.state,
                                           code_challenge=pkce_challenge(verifier))

    async def _consume_state(self, state_value: str) -> OAuthState:
        async with session_scope(self.sessions) as session:
            result = await session.execute(
                delete(OAuthState).where(OAuthState.state == state_value)
                .returning(OAuthState.state, OAuthState.team_id, OAuthState.slack_user_id,
                           OAuthState.code_verifier_ct, OAuthState.response_url_ct,
                           OAuthState.channel_id, OAuthState.expires_at))
            row = result.one_or_none()
        if row is None:
            raise LinkError("used")  # never issued, or already consumed: link nothing
        state = OAuthState(state=row.state, team_id=row.team_id, slack_user_id=row.slack_user_id,
                           code_verifier_ct=row.code_verifier_ct,
                           response_url_ct=row.response_url_ct, channel_id=row.channel_id,
                           expires_at=row.expires_at)
        if _aware(state.expires_at) <= utcnow():
            raise LinkError("expired")
        return state

    async def complete(self, *, state_value: str, code: str | None, error: str | None
                       ) -> LinkOutcome:
        """The OAuth callback: consume the state, exchange the code, store the link."""
        if not state_value:
            raise LinkError("invalid", "no state")
        state = await self._consume_state(state_value)
        if offline_refused(error):
            await self._retry_without_offline(state)
        if error or not code:
            raise LinkError("denied", error or "no code")
        verifier = self.keyring.decrypt(state.code_verifier_ct,
                                        aad=self._state_context(state, "pkce"))
        response_url = None
        if state.response_url_ct:
            response_url = self.keyring.decrypt(
                state.response_url_ct, aad=self._state_context(state, "response_url"))
        try:
            tokens = await self.keycloak.exchange_code(code=code, redirect_uri=self.redirect_uri,
                                                       code_verifier=verifier)
        except OAuthError as exc:
            if offline_refused(exc.error, exc.description):
                await self._retry_without_offline(state)
            log.warning("code exchange failed for %s/%s: %s", state.team_id,
                        state.slack_user_id, exc.error)
            raise LinkError("exchange_failed", exc.error) from None
        identity = await self.identities.resolve(tokens)
        limited = session_only(self.keycloak.scopes, tokens.scope, state.state)
        link_id = await self._store_link(state.team_id, state.slack_user_id, tokens, identity)
        async with session_scope(self.sessions) as session:
            await remember(session, state.team_id, state.slack_user_id, session_only=limited,
                           user_source=identity.user_source, org_source=identity.org_source)
        log.info("linked %s/%s to Astravue user %s (org %s)", state.team_id,
                 state.slack_user_id, identity.astravue_user_id, identity.org_id)
        if limited:
            log.warning("link %s (%s/%s) has no offline token (Keycloak refused "
                        "offline_access): it ends with the user's Keycloak session", link_id,
                        state.team_id, state.slack_user_id)
        return LinkOutcome(team_id=state.team_id, slack_user_id=state.slack_user_id,
                           link_id=link_id, email=identity.email, name=identity.name,
                           org_id=identity.org_id, response_url=response_url,
                           channel_id=state.channel_id, session_only=limited)

    async def _retry_without_offline(self, state: OAuthState) -> None:
        """Raise ScopeRetry: the same connect flow, asking Keycloak without offline_access
        (only once, and only if it was asked for)."""
        if not may_retry(self.keycloak.scopes, state.state):
            return
        response_url = None
        if state.response_url_ct:
            response_url = self.keyring.decrypt(
                state.response_url_ct, aad=self._state_context(state, "response_url"))
        retry, verifier = await self._new_state(state.team_id, state.slack_user_id,
                                                state.channel_id, response_url, REDUCED_PREFIX)
        log.info("Keycloak refused offline_access for %s/%s; asking without it",
                 state.team_id, state.slack_user_id)
        raise ScopeRetry(self.keycloak.authorize_url(
            redirect_uri=self.redirect_uri, state=retry.state,
            code_challenge=pkce_challenge(verifier),
            scopes=without_offline(self.keycloak.scopes)))

    async def _store_link(self, team_id: str, slack_user_id: str, tokens: TokenSet,
                          identity: Identity) -> int:
        now = utcnow()
        async with session_scope(self.sessions) as session:
            link = await link_for(session, team_id, slack_user_id)
            if link is None:
                link = AstravueLink(team_id=team_id, slack_user_id=slack_user_id)
                session.add(link)
            link.status = LinkStatus.ACTIVE
            link.astravue_user_id = identity.astravue_user_id
            link.astravue_email = identity.email
            link.astravue_name = identity.name
            if identity.org_id is not None or link.astravue_user_id != identity.astravue_user_id:
                link.org_id = identity.org_id
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

    async def disconnect(self, *, team_id: str, slack_user_id: str) -> bool:
        """Revoke at Keycloak, delete the ciphertexts; False if there was nothing to do."""
        async with session_scope(self.sessions) as session:
            link = await link_for(session, team_id, slack_user_id)
            if link is None or link.status == LinkStatus.DISCONNECTED:
                return False
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
        if refresh_token:
            try:
                await self.keycloak.revoke(refresh_token)
            except OAuthError as exc:  # the ciphertext is gone either way
                log.warning("revoke at Keycloak failed for %s/%s: %s", team_id, slack_user_id,
                            exc.error)
        return True

    async def set_org(self, *, team_id: str, slack_user_id: str, org_id: int,
                      astravue_user_id: int | None = None) -> None:
        """The organisation the user chose (and, if found there, their Astravue user id)."""
        async with session_scope(self.sessions) as session:
            link = await link_for(session, team_id, slack_user_id)
            if link is None:
                raise LinkError("invalid", "not linked")
            link.org_id = org_id
            if astravue_user_id is not None:
                link.astravue_user_id = astravue_user_id
            await remember(session, team_id, slack_user_id, org_source="user",
                           **({"user_source": "astravue"} if astravue_user_id else {}))


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
