"""The realm's state, its test hooks, and the session rules (idle, max, reuse)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from bot.sandbox.faults import Faults
from bot.sandbox.keycloak.model import (
    DEFAULT_SCOPES,
    AuthCode,
    KeycloakSettings,
    KeycloakUser,
    OAuthError,
    Session,
    SessionState,
    invalid_grant,
    seed_users,
)
from bot.sandbox.keycloak.protocol import TokenSigner


class RealmState:
    """The sessions and codes of the realm, and the hooks tests turn."""

    def __init__(
        self,
        *,
        settings: KeycloakSettings | None = None,
        clock: Callable[[], float] = time.time,
        faults: Faults | None = None,
    ) -> None:
        self.settings = settings or KeycloakSettings()
        self.faults = faults or Faults()
        self.users = seed_users()
        self.token_requests: list[str] = []  # grant_type of every token request, failed or not
        self.revoke_requests = 0
        self.last_error: dict[str, str] | None = None  # the latest token-endpoint error body
        self.issued_tokens: list[str] = []  # every access, refresh and ID token handed out
        self._clock = clock
        self._signer = TokenSigner()
        self._sessions: dict[str, Session] = {}
        self._codes: dict[str, AuthCode] = {}
        self._next_token_error: OAuthError | None = None

    # -- test hooks ---------------------------------------------------------------------------

    def find_user(self, who: str | int) -> KeycloakUser:
        """A user by Astravue id, username or email; KeyError when there is none."""
        for user in self.users.values():
            if who in (user.astravue_user_id, user.username) or (
                isinstance(who, str) and who.lower() == user.email
            ):
                return user
        raise KeyError(who)

    def claims_of(self, user: KeycloakUser) -> dict[str, Any]:
        """What tokens and userinfo say of `user` under this realm's mappers."""
        claims = user.claims()
        if not self.settings.custom_claims:
            claims.pop("astravue_user_id", None)
            claims.pop("tenant_id", None)
        return claims

    def authenticate(self, access_token: str) -> int | None:
        """The Astravue user id of a valid, unexpired access token, else None.

        As a JWT-validating resource server would, this ignores logout and revocation: an
        issued access token works until it expires (B6).
        """
        claims = self._signer.decode(access_token)
        if claims is None or claims.get("typ") != "Bearer" or self._expired(claims):
            return None
        # By `sub`, as Astravue must when the token carries no astravue_user_id claim.
        user = next((u for u in self.users.values() if u.sub == claims.get("sub")), None)
        return user.astravue_user_id if user is not None else None

    def end_sessions(self, who: str | int) -> int:
        """Admin sign-out of a user, offline sessions included; returns how many ended."""
        user = self.find_user(who)
        ended = [
            s
            for s in self._sessions.values()
            if s.user is user and s.state is not SessionState.ENDED
        ]
        for session in ended:
            session.state = SessionState.ENDED
        return len(ended)

    def disable_user(self, who: str | int) -> None:
        self.find_user(who).enabled = False

    def fail_next_token_request(self, error: str, description: str, status: int = 400) -> None:
        """Answer the next token request with this error (for descriptions not modelled)."""
        self._next_token_error = OAuthError(error, description, status)

    # -- helpers ------------------------------------------------------------------------------

    def _expired(self, claims: Mapping[str, Any]) -> bool:
        # Keycloak compares whole seconds and a token is still active in its `exp` second.
        return int(self._clock()) > int(claims["exp"])

    def _new_session(self, user: KeycloakUser, requested_scope: str) -> Session:
        scopes = requested_scope.split()
        granted = list(dict.fromkeys([*scopes, *DEFAULT_SCOPES]))
        session = Session(
            sid=str(uuid.uuid4()),
            user=user,
            scope=" ".join(granted),
            offline="offline_access" in scopes,
            started=self._clock(),
        )
        self._sessions[session.sid] = session
        return session

    def _check_session(self, session: Session | None, *, offline: bool) -> None:
        if session is None or session.state is not SessionState.ACTIVE:
            if offline:
                raise invalid_grant("Offline user session not found")
            if session is not None and session.state is SessionState.DETACHED:
                raise invalid_grant("Session doesn't have required client")
            raise invalid_grant("Session not active")
        if not session.user.enabled:
            raise invalid_grant("User disabled")

    def _check_reuse(self, session: Session, jti: str) -> None:
        """Keycloak's reuse rule with Revoke Refresh Token on; any failure detaches (B4)."""
        try:
            if jti != session.current_refresh_jti:
                if jti != session.latest_refresh_jti:
                    raise invalid_grant("Stale token")
                session.current_refresh_jti, session.reuse_count = jti, 0
            if session.reuse_count > self.settings.refresh_token_max_reuse:
                raise invalid_grant("Maximum allowed refresh token reuse exceeded")
            session.reuse_count += 1
        except OAuthError:
            session.state = SessionState.DETACHED
            raise
