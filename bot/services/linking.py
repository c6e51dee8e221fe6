"""Connecting a Slack user to their Astravue account (OAuth 2.0 code flow with PKCE).

`/astravue connect` stores a state row (PKCE verifier and response_url encrypted) and hands
out a signed, expiring, single-use start URL. The start route redirects to Keycloak; the
callback consumes the state atomically, exchanges the code, reads the user's identity, and
stores the link with its refresh token encrypted when the Astravue email is the Slack user's.
Otherwise whoever opened the link may not be the Slack user: the link waits for a POST from
that browser (`bot.services.pending_links`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from bot.astravue.auth import KeycloakClient, OAuthError, TokenSet, pkce_challenge
from bot.db.base import utcnow
from bot.db.models import (
    EMAIL_CHARS,
    NAME_CHARS,
    OAuthState,
    PendingLink,
)
from bot.security.crypto import DecryptionError
from bot.security.signing import LinkSigner, NonceStore, SignatureError
from bot.services.identity import Identity, IdentityResolver
from bot.services.link_errors import LinkError
from bot.services.link_rules import fit_email, fit_name, same_email, well_formed_token
from bot.services.link_store import LinkStore
from bot.services.oauth_states import STATE_TTL, OAuthStates
from bot.services.pending_links import Held, PendingLinks
from bot.services.session_scopes import (
    REDUCED_PREFIX,
    ScopeRetry,
    may_retry,
    offline_refused,
    session_only,
    without_offline,
)
from bot.slack.directory import SlackDirectory, SlackPerson

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LinkOutcome:
    """What a callback, confirmation or cancel did: which Slack user, which Astravue account."""

    person: SlackPerson
    identity: Identity
    channel_id: str | None
    response_url: str | None = field(repr=False)  # decrypted; a bearer capability, never logged
    link_id: int | None = None  # None: nothing is linked
    held: Held | None = None  # set when the link waits for the browser's confirmation
    session_only: bool = False  # no offline token: the link ends with the Keycloak session
    command: str | None = None  # the `/astravue` command the connect interrupted, to resume

    @property
    def team_id(self) -> str:
        return self.person.team_id

    @property
    def slack_user_id(self) -> str:
        return self.person.user_id

    @property
    def email(self) -> str | None:
        return self.identity.email

    @property
    def name(self) -> str | None:
        return self.identity.name

    @property
    def org_id(self) -> int | None:
        return self.identity.org_id


class LinkingService:
    def __init__(
        self,
        keycloak: KeycloakClient,
        signer: LinkSigner,
        nonces: NonceStore,
        *,
        public_url: str,
        redirect_uri: str,
        directory: SlackDirectory,
        identities: IdentityResolver,
        states: OAuthStates,
        pending: PendingLinks,
        store: LinkStore,
    ) -> None:
        self.states = states
        self.pending = pending
        self.store = store
        self.directory = directory
        self.identities = identities
        self.keycloak = keycloak
        self.signer = signer
        self.nonces = nonces
        self.public_url = public_url
        self.redirect_uri = redirect_uri

    async def begin(
        self,
        *,
        team_id: str,
        slack_user_id: str,
        channel_id: str | None,
        response_url: str | None,
        command: str | None = None,
    ) -> str:
        """A fresh start URL for this user (made when they ask, so never stale); `command`
        is run once they are connected."""
        state, _ = await self.states.new(
            team_id, slack_user_id, channel_id, response_url, command=command
        )
        token = self.signer.sign(
            {"s": state.state, "t": team_id, "u": slack_user_id}, ttl=int(STATE_TTL.total_seconds())
        )
        return f"{self.public_url}/oauth/astravue/start?{urlencode({'t': token})}"

    async def authorization_redirect(self, token: str) -> str:
        """Check the signed start URL (once) and give Keycloak's authorize URL."""
        try:
            claims = await self.signer.verify_once(token, self.nonces)
        except SignatureError as exc:
            kind = {"SignatureExpired": "expired", "SignatureReused": "used"}.get(
                type(exc).__name__, "invalid"
            )
            raise LinkError(kind) from None
        if not well_formed_token(claims.get("s")):
            raise LinkError("invalid", "malformed state claim")
        state = await self.states.get(claims["s"])
        if state is None or state.expires_at <= utcnow():
            raise LinkError("expired")
        try:
            verifier = self.states.verifier(state)
        except DecryptionError:
            raise LinkError("invalid", "state cannot be decrypted") from None
        return self.keycloak.authorize_url(
            redirect_uri=self.redirect_uri,
            state=state.state,
            code_challenge=pkce_challenge(verifier),
        )

    async def complete(
        self, *, state_value: str, code: str | None, error: str | None
    ) -> LinkOutcome:
        """The OAuth callback: consume the state and exchange the code; link at once when the
        Astravue email is the Slack user's, else hold the link for the browser to confirm."""
        if not well_formed_token(state_value):
            raise LinkError("invalid", "malformed state")
        state = await self.states.consume(state_value)
        if offline_refused(error):
            await self._retry_without_offline(state)
        if error or not code:
            raise LinkError("denied", error or "no code")
        try:
            verifier = self.states.verifier(state)
            response_url = self.states.response_url(state)
            command = self.states.command(state)
        except DecryptionError:  # the keys changed while the user was signing in
            raise LinkError("expired", "state cannot be decrypted") from None
        try:
            tokens = await self.keycloak.exchange_code(
                code=code, redirect_uri=self.redirect_uri, code_verifier=verifier
            )
        except OAuthError as exc:
            log.warning(
                "code exchange failed for %s/%s: %s", state.team_id, state.slack_user_id, exc.error
            )
            if offline_refused(exc.error, exc.description):
                await self._retry_without_offline(state)
            raise LinkError("exchange_failed", exc.error) from None
        identity = _fitted(await self.identities.resolve(tokens))
        limited = session_only(self.keycloak.scopes, tokens.scope, state.state)
        person = await self.directory.person(state.team_id, state.slack_user_id)
        if same_email(identity.email, person.email):
            linked = await self._link(
                person, identity, tokens, state.channel_id, response_url, limited=limited
            )
            return replace(linked, command=command)
        held = await self.pending.hold(
            PendingLink(
                team_id=state.team_id,
                slack_user_id=state.slack_user_id,
                channel_id=state.channel_id,
                astravue_user_id=identity.astravue_user_id,
                astravue_email=identity.email,
                astravue_name=identity.name,
                org_id=identity.org_id,
                user_source=identity.user_source,
                org_source=identity.org_source,
                session_only=limited,
            ),
            tokens,
            response_url,
            command,
        )
        log.info(
            "connect of %s/%s to Astravue user %s waits for the browser's confirmation "
            "(the emails differ or Slack has none)",
            state.team_id,
            state.slack_user_id,
            identity.astravue_user_id,
        )
        return LinkOutcome(
            person=person,
            identity=identity,
            channel_id=state.channel_id,
            response_url=response_url,
            held=held,
        )

    async def confirm(
        self, *, pending_id: str, form_token: str, cookie_token: str | None
    ) -> LinkOutcome:
        """The browser's "Link" POST: link what the callback held, once."""
        taken = await self.pending.take(
            pending_id=pending_id, form_token=form_token, cookie_token=cookie_token
        )
        row = taken.row
        person = await self.directory.person(row.team_id, row.slack_user_id)
        linked = await self._link(
            person,
            _identity_of(row),
            taken.tokens,
            row.channel_id,
            taken.response_url,
            limited=row.session_only,
        )
        return replace(linked, command=taken.command)

    async def cancel(
        self, *, pending_id: str, form_token: str, cookie_token: str | None
    ) -> LinkOutcome:
        """The browser's "Cancel" POST: forget what the callback held and revoke its grant."""
        taken = await self.pending.take(
            pending_id=pending_id, form_token=form_token, cookie_token=cookie_token
        )
        row = taken.row
        if taken.tokens.refresh_token:
            try:
                await self.keycloak.revoke(taken.tokens.refresh_token)
            except OAuthError as exc:  # nothing was stored, so nothing is left behind here
                log.warning("revoking a cancelled connect failed: %s", exc.error)
        log.info("connect of %s/%s cancelled in the browser", row.team_id, row.slack_user_id)
        person = await self.directory.person(row.team_id, row.slack_user_id)
        return LinkOutcome(
            person=person,
            identity=_identity_of(row),
            channel_id=row.channel_id,
            response_url=taken.response_url,
        )

    async def _link(
        self,
        person: SlackPerson,
        identity: Identity,
        tokens: TokenSet,
        channel_id: str | None,
        response_url: str | None,
        *,
        limited: bool,
    ) -> LinkOutcome:
        link_id = await self.store.store(person.team_id, person.user_id, tokens, identity)
        await self.store.remember_sources(
            person.team_id, person.user_id, session_only=limited, identity=identity
        )
        log.info(
            "linked %s/%s to Astravue user %s (org %s)",
            person.team_id,
            person.user_id,
            identity.astravue_user_id,
            identity.org_id,
        )
        if limited:
            log.warning(
                "link %s (%s/%s) has no offline token (Keycloak refused "
                "offline_access): it ends with the user's Keycloak session",
                link_id,
                person.team_id,
                person.user_id,
            )
        return LinkOutcome(
            person=person,
            identity=identity,
            channel_id=channel_id,
            response_url=response_url,
            link_id=link_id,
            session_only=limited,
        )

    async def _retry_without_offline(self, state: OAuthState) -> None:
        """Raise ScopeRetry: the same connect flow, asking Keycloak without offline_access
        (only once, and only if it was asked for)."""
        if not may_retry(self.keycloak.scopes, state.state):
            return
        retry, verifier = await self.states.new(
            state.team_id,
            state.slack_user_id,
            state.channel_id,
            self.states.response_url(state),
            REDUCED_PREFIX,
            command=self.states.command(state),
        )
        log.info(
            "Keycloak refused offline_access for %s/%s; asking without it",
            state.team_id,
            state.slack_user_id,
        )
        raise ScopeRetry(
            self.keycloak.authorize_url(
                redirect_uri=self.redirect_uri,
                state=retry.state,
                code_challenge=pkce_challenge(verifier),
                scopes=without_offline(self.keycloak.scopes),
            )
        )

    async def disconnect(self, *, team_id: str, slack_user_id: str) -> bool:
        """Revoke at Keycloak, delete the ciphertexts; False if there was nothing to do."""
        ended, refresh_token = await self.store.end(team_id, slack_user_id)
        if not ended:
            return False
        if refresh_token:
            try:
                await self.keycloak.revoke(refresh_token)
            except OAuthError as exc:  # the ciphertext is gone either way
                log.warning(
                    "revoke at Keycloak failed for %s/%s: %s", team_id, slack_user_id, exc.error
                )
        return True

    async def set_org(
        self, *, team_id: str, slack_user_id: str, org_id: int, astravue_user_id: int | None = None
    ) -> None:
        """The organisation the user chose (and, if found there, their Astravue user id)."""
        await self.store.set_org(team_id, slack_user_id, org_id, astravue_user_id)


def _fitted(identity: Identity) -> Identity:
    """The identity cut to its columns (a too-long address is dropped, never cut)."""
    return replace(
        identity,
        name=fit_name(identity.name, NAME_CHARS),
        email=fit_email(identity.email, EMAIL_CHARS),
        org_name=fit_name(identity.org_name, NAME_CHARS),
    )


def _identity_of(row: PendingLink) -> Identity:
    return Identity(
        astravue_user_id=row.astravue_user_id,
        email=row.astravue_email,
        name=row.astravue_name,
        org_id=row.org_id,
        user_source=row.user_source,
        org_source=row.org_source,
    )
