"""The token endpoint's grants: authorization_code (with PKCE), refresh_token, password."""

from __future__ import annotations

import base64
import hmac
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote_plus

from starlette.requests import Request

from bot.sandbox.keycloak.model import (
    CLIENT_AUTH_FAILED,
    SUPPORTED_SCOPES,
    OAuthError,
    Session,
    SessionState,
    invalid_grant,
)
from bot.sandbox.keycloak.protocol import verify_pkce
from bot.sandbox.keycloak.sessions import RealmState


class Grants(RealmState):
    """Client authentication, the three grants and the token response."""

    # -- token grants -------------------------------------------------------------------------

    def _authenticate_client(self, request: Request, form: Mapping[str, str]) -> str:
        client_id, secret = form.get("client_id"), form.get("client_secret")
        scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(credentials, validate=True).decode()
            except ValueError as exc:  # binascii.Error and UnicodeDecodeError are ValueErrors
                raise OAuthError("invalid_client", CLIENT_AUTH_FAILED, 401) from exc
            basic_id, _, basic_secret = decoded.partition(":")
            client_id, secret = unquote_plus(basic_id), unquote_plus(basic_secret)
        # Keycloak answers an unknown client with invalid_client and a bad secret with
        # unauthorized_client, both 401 with the same description.
        if client_id != self.settings.client_id:
            raise OAuthError("invalid_client", CLIENT_AUTH_FAILED, 401)
        if secret is None or not hmac.compare_digest(
            secret.encode(), self.settings.client_secret.encode()
        ):
            raise OAuthError("unauthorized_client", CLIENT_AUTH_FAILED, 401)
        return client_id

    def _grant_authorization_code(self, form: dict[str, str], issuer: str) -> dict[str, Any]:
        code = form.get("code")
        if not code:
            raise OAuthError("invalid_request", "Missing parameter: code")
        entry = self._codes.get(code)
        if entry is None or entry.expires_at < self._clock():
            raise invalid_grant("Code not valid")
        if entry.used:
            # A replayed code counts as stolen: Keycloak drops the client from the session,
            # which kills the tokens of the first, legitimate exchange.
            self._sessions[entry.sid].state = SessionState.DETACHED
            raise invalid_grant("Code not valid")
        entry.used = True  # burnt before the remaining checks, as in Keycloak
        if form.get("redirect_uri") != entry.redirect_uri:
            raise invalid_grant("Incorrect redirect_uri")
        session = self._sessions[entry.sid]
        self._check_session(session, offline=session.offline)
        verify_pkce(form.get("code_verifier"), entry.code_challenge)
        if self.settings.refuse_offline_access == "token" and session.offline:
            session.state = SessionState.ENDED
            raise OAuthError("invalid_scope", "Offline tokens not allowed for the user or client")
        return self._token_response(session, issuer, nonce=entry.nonce)

    def _grant_refresh_token(self, form: dict[str, str], issuer: str) -> dict[str, Any]:
        raw = form.get("refresh_token")
        if not raw:
            raise OAuthError("invalid_request", "Missing parameter: refresh_token")
        claims = self._signer.decode(raw)
        if claims is None or claims.get("typ") not in ("Refresh", "Offline"):
            raise invalid_grant("Invalid refresh token")
        if self._expired(claims):
            raise invalid_grant("Token is not active")
        if claims["azp"] != self.settings.client_id:
            raise invalid_grant(
                "Invalid refresh token. Token client and authorized client don't match"
            )
        session = self._sessions.get(claims["sid"])
        self._check_session(session, offline=claims["typ"] == "Offline")
        assert session is not None  # _check_session raised otherwise
        if self.settings.revoke_refresh_token:
            self._check_reuse(session, claims["jti"])
        return self._token_response(session, issuer)

    def _grant_password(self, form: dict[str, str], issuer: str) -> dict[str, Any]:
        """Direct access grant, for tests only (never for the app: B2)."""
        user = self.users.get(form.get("username", ""))
        password = form.get("password", "").encode()
        if user is None or not hmac.compare_digest(password, user.password.encode()):
            raise invalid_grant("Invalid user credentials")
        if not user.enabled:
            raise invalid_grant("Account disabled")
        scopes = form.get("scope", "").split()
        unknown = [s for s in scopes if s not in SUPPORTED_SCOPES]
        if unknown:
            raise OAuthError("invalid_scope", f"Invalid scopes: {' '.join(unknown)}")
        return self._token_response(self._new_session(user, " ".join(scopes)), issuer)

    def _token_response(
        self, session: Session, issuer: str, *, nonce: str | None = None
    ) -> dict[str, Any]:
        """New tokens for a session; this is also the refresh that resets the idle clock."""
        now = int(self._clock())
        settings = self.settings
        access_exp = now + settings.access_token_lifespan
        if session.offline:
            refresh_exp, refresh_expires_in = now + settings.offline_session_idle, 0
        else:
            # An online session cannot outlive SSO Session Max, however often it is refreshed.
            session_end = int(session.started) + settings.sso_session_max
            refresh_exp = min(now + settings.sso_session_idle, session_end)
            refresh_expires_in = refresh_exp - now
            access_exp = min(access_exp, session_end)
        user = session.user
        common = {"iss": issuer, "iat": now, "sid": session.sid, "azp": settings.client_id}
        access_token = self._signer.encode(
            {
                **common,
                **self.claims_of(user),
                "jti": str(uuid.uuid4()),
                "exp": access_exp,
                "typ": "Bearer",
                "scope": session.scope,
            }
        )
        refresh_jti = str(uuid.uuid4())
        refresh_token = self._signer.encode(
            {
                **common,
                "sub": user.sub,
                "aud": issuer,
                "jti": refresh_jti,
                "exp": refresh_exp,
                "typ": "Offline" if session.offline else "Refresh",
                "scope": session.scope,
            }
        )
        session.latest_refresh_jti = refresh_jti
        body: dict[str, Any] = {
            "access_token": access_token,
            "expires_in": access_exp - now,
            "refresh_expires_in": refresh_expires_in,
            "refresh_token": refresh_token,
            "token_type": "Bearer",
        }
        if "openid" in session.scope.split():
            id_claims = {
                **common,
                **self.claims_of(user),
                "aud": settings.client_id,
                "jti": str(uuid.uuid4()),
                "exp": access_exp,
                "typ": "ID",
            }
            if nonce:
                id_claims["nonce"] = nonce
            body["id_token"] = self._signer.encode(id_claims)
        body.update({"not-before-policy": 0, "session_state": session.sid, "scope": session.scope})
        self.issued_tokens += [access_token, refresh_token, *filter(None, [body.get("id_token")])]
        return body
