"""`KeycloakFake`: the realm's routes (discovery, auth, token, revoke, userinfo)."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Mapping
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from bot.sandbox.faults import FaultMiddleware, Faults
from bot.sandbox.keycloak.grants import Grants
from bot.sandbox.keycloak.model import (
    GRANT_TYPES,
    NO_STORE,
    PKCE_VALUE,
    SUPPORTED_SCOPES,
    AuthCode,
    AuthRequest,
    KeycloakSettings,
    KeycloakUser,
    OAuthError,
    SessionState,
)
from bot.sandbox.keycloak.pages import error_page, login_page
from bot.sandbox.keycloak.protocol import (
    invalid_token_response,
    is_redirect_uri,
    issuer_of,
    read_form,
    with_query,
)


class KeycloakFake(Grants):
    """The sandbox realm. `app` is the ASGI app; the other public members are test hooks."""

    def __init__(
        self,
        *,
        settings: KeycloakSettings | None = None,
        clock: Callable[[], float] = time.time,
        faults: Faults | None = None,
    ) -> None:
        super().__init__(settings=settings, clock=clock, faults=faults)
        self._grants: dict[str, Callable[[dict[str, str], str], dict[str, Any]]] = {
            "authorization_code": self._grant_authorization_code,
            "refresh_token": self._grant_refresh_token,
            "password": self._grant_password,
        }
        routes = [
            Route("/.well-known/openid-configuration", self._discovery, methods=["GET"]),
            Route("/protocol/openid-connect/auth", self._auth, methods=["GET", "POST"]),
            Route("/protocol/openid-connect/token", self._token, methods=["POST"]),
            Route("/protocol/openid-connect/revoke", self._revoke, methods=["POST"]),
            Route("/protocol/openid-connect/userinfo", self._userinfo, methods=["GET", "POST"]),
        ]
        self.app: ASGIApp = FaultMiddleware(Starlette(routes=routes), self.faults)

    # -- endpoints ----------------------------------------------------------------------------

    async def _discovery(self, request: Request) -> Response:
        issuer = issuer_of(request)
        endpoints = f"{issuer}/protocol/openid-connect"
        return JSONResponse(
            {
                "issuer": issuer,
                "authorization_endpoint": f"{endpoints}/auth",
                "token_endpoint": f"{endpoints}/token",
                "revocation_endpoint": f"{endpoints}/revoke",
                "userinfo_endpoint": f"{endpoints}/userinfo",
                "grant_types_supported": list(GRANT_TYPES),
                "response_types_supported": ["code"],
                "response_modes_supported": ["query"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["HS256"],
                "scopes_supported": list(SUPPORTED_SCOPES),
                "claims_supported": [
                    "sub",
                    "iss",
                    "email",
                    "name",
                    "given_name",
                    "family_name",
                    "preferred_username",
                    "astravue_user_id",
                    "tenant_id",
                ],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "client_secret_post",
                ],
                "revocation_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "client_secret_post",
                ],
                "authorization_response_iss_parameter_supported": True,
            }
        )

    async def _auth(self, request: Request) -> Response:
        params = dict(request.query_params)
        if request.method == "POST":
            params = await read_form(request)
        if params.get("client_id") != self.settings.client_id:
            return error_page("Client not found.")
        redirect_uri = params.get("redirect_uri", "")
        if not is_redirect_uri(redirect_uri):
            return error_page("Invalid parameter: redirect_uri")
        issuer = issuer_of(request)
        try:
            auth = self._validate_auth_request(params, redirect_uri)
        except OAuthError as exc:
            extra = {"state": params["state"]} if params.get("state") else {}
            return RedirectResponse(
                with_query(redirect_uri, {**exc.body(), **extra, "iss": issuer}), status_code=302
            )
        hint = params.get("username") if request.method == "POST" else auth.login_hint
        if not hint:
            return login_page(request.url.path, params, self.users.values())
        try:
            user = self.find_user(hint)
        except KeyError:
            return login_page(
                request.url.path,
                params,
                self.users.values(),
                notice="Invalid username or password.",
            )
        if not user.enabled:
            return login_page(
                request.url.path,
                params,
                self.users.values(),
                notice="Account is disabled, contact your administrator.",
            )
        return self._sign_in(auth, user, issuer)

    async def _token(self, request: Request) -> Response:
        form = await read_form(request)
        grant_type = form.get("grant_type", "")
        self.token_requests.append(grant_type)
        try:
            if self._next_token_error is not None:
                error, self._next_token_error = self._next_token_error, None
                raise error
            if not grant_type:
                raise OAuthError("invalid_request", "Missing form parameter: grant_type")
            grant = self._grants.get(grant_type)
            if grant is None:
                raise OAuthError("unsupported_grant_type", "Unsupported grant_type")
            self._authenticate_client(request, form)
            body = grant(form, issuer_of(request))
        except OAuthError as exc:
            self.last_error = exc.body()
            return JSONResponse(exc.body(), status_code=exc.status, headers=NO_STORE)
        return JSONResponse(body, headers=NO_STORE)

    async def _revoke(self, request: Request) -> Response:
        """RFC 7009: 200 for any token, unknown ones included; a refresh token ends its session."""
        form = await read_form(request)
        self.revoke_requests += 1
        try:
            client_id = self._authenticate_client(request, form)
            if not form.get("token"):
                raise OAuthError("invalid_request", "Token not provided")
        except OAuthError as exc:
            return JSONResponse(exc.body(), status_code=exc.status, headers=NO_STORE)
        claims = self._signer.decode(form["token"])
        if claims and claims.get("typ") in ("Refresh", "Offline") and claims["azp"] == client_id:
            session = self._sessions.get(claims["sid"])
            if session is not None:
                session.state = SessionState.ENDED
        return Response(status_code=200, headers=NO_STORE)

    async def _userinfo(self, request: Request) -> Response:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        claims = self._signer.decode(token) if scheme.lower() == "bearer" else None
        if claims is None or claims.get("typ") != "Bearer" or self._expired(claims):
            return invalid_token_response("Token verification failed")
        session = self._sessions.get(claims["sid"])
        if session is None or session.state is not SessionState.ACTIVE:
            # Unlike a resource server, Keycloak's userinfo checks the session (B6).
            return invalid_token_response(
                "User session not found or doesn't have client attached on it"
            )
        return JSONResponse(self.claims_of(session.user))

    # -- authorization ------------------------------------------------------------------------

    def _validate_auth_request(self, params: Mapping[str, str], redirect_uri: str) -> AuthRequest:
        """Checks Keycloak reports by redirecting back to the client (PKCE S256 required)."""
        if params.get("response_type") != "code":
            raise OAuthError(
                "unsupported_response_type",
                "Client is not allowed to initiate browser login with given response_type.",
            )
        scopes = params.get("scope", "").split()
        unknown = [s for s in scopes if s not in SUPPORTED_SCOPES]
        if self.settings.refuse_offline_access == "auth" and "offline_access" in scopes:
            unknown.append("offline_access")
        if unknown:
            raise OAuthError("invalid_scope", f"Invalid scopes: {' '.join(unknown)}")
        method = params.get("code_challenge_method")
        if not method:
            raise OAuthError("invalid_request", "Missing parameter: code_challenge_method")
        if method != "S256":
            raise OAuthError(
                "invalid_request", "Invalid parameter: code challenge method is not configured one"
            )
        challenge = params.get("code_challenge", "")
        if not challenge:
            raise OAuthError("invalid_request", "Missing parameter: code_challenge")
        if not PKCE_VALUE.fullmatch(challenge):
            raise OAuthError("invalid_request", "Invalid parameter: code_challenge")
        if not params.get("state"):
            # Stricter than Keycloak on purpose: our app must always bind the flow to a state.
            raise OAuthError("invalid_request", "Missing parameter: state")
        return AuthRequest(
            redirect_uri=redirect_uri,
            state=params["state"],
            scope=" ".join(scopes),
            code_challenge=challenge,
            nonce=params.get("nonce"),
            login_hint=params.get("login_hint", ""),
        )

    def _sign_in(self, auth: AuthRequest, user: KeycloakUser, issuer: str) -> Response:
        session = self._new_session(user, auth.scope)
        now = self._clock()
        self._codes = {c: e for c, e in self._codes.items() if e.expires_at >= now}
        code = secrets.token_urlsafe(32)
        self._codes[code] = AuthCode(
            sid=session.sid,
            redirect_uri=auth.redirect_uri,
            code_challenge=auth.code_challenge,
            nonce=auth.nonce,
            expires_at=now + self.settings.access_code_lifespan,
        )
        query = {"state": auth.state, "session_state": session.sid, "iss": issuer, "code": code}
        return RedirectResponse(with_query(auth.redirect_uri, query), status_code=302)
