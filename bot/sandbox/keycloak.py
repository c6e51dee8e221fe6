"""Sandbox Keycloak: the `astravue` realm's OIDC endpoints, with Keycloak's session rules.

Mounted at `/realms/astravue` of the sandbox server. It models what our app must survive:
access-token lifespan, SSO idle and max, offline idle, refresh-token
rotation with reuse detection that detaches the client session, code replay that does the
same, and Keycloak's exact `error_description` strings. Tokens look like JWTs (HS256 with a
per-instance key, so a restarted fake rejects old tokens) and carry the `astravue_user_id`
and `tenant_id` claims the app reads. State lives in memory; handlers never await between
checking and changing it, so concurrent requests see Keycloak-like single-use semantics.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import re
import secrets
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal
from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit, urlunsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from bot.sandbox.faults import FaultMiddleware, Faults

REALM_PATH = "/realms/astravue"
SUPPORTED_SCOPES = ("openid", "profile", "email", "offline_access")
DEFAULT_SCOPES = ("profile", "email")  # Keycloak's default client scopes, always granted
GRANT_TYPES = ("authorization_code", "refresh_token", "password")
CLIENT_AUTH_FAILED = "Invalid client or Invalid client credentials"
_PKCE_VALUE = re.compile(r"[A-Za-z0-9\-._~]{43,128}")  # RFC 7636 verifier/challenge syntax
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@dataclass
class KeycloakSettings:
    """Realm and client settings; defaults are Keycloak's realm defaults (B3) plus rotation on."""

    access_token_lifespan: int = 300
    sso_session_idle: int = 1800
    sso_session_max: int = 36000
    offline_session_idle: int = 2592000
    revoke_refresh_token: bool = True
    refresh_token_max_reuse: int = 0
    access_code_lifespan: int = 60  # Keycloak's "Client login timeout"
    client_id: str = "astravue-slack"
    client_secret: str = "sandbox-secret"
    # A realm without Astravue's protocol mappers: no astravue_user_id / tenant_id claims in
    # tokens or userinfo (only the standard sub, email and names).
    custom_claims: bool = True
    # A client without the offline_access scope: "auth" refuses it when authorizing (an
    # invalid_scope redirect), "token" at the code exchange; None allows it.
    refuse_offline_access: Literal["auth", "token"] | None = None


@dataclass
class KeycloakUser:
    astravue_user_id: int
    username: str
    email: str
    given_name: str
    family_name: str
    tenant_id: int | None  # None: the token carries no tenant claim (the app must ask)
    password: str = "sandbox"
    enabled: bool = True
    sub: str = ""

    def __post_init__(self) -> None:
        # Deterministic, so every process of a test run agrees on the `sub` of a user.
        self.sub = self.sub or str(uuid.uuid5(uuid.NAMESPACE_URL, f"sandbox-kc:{self.username}"))

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def claims(self) -> dict[str, Any]:
        """Identity claims of access tokens, ID tokens and userinfo."""
        claims: dict[str, Any] = {
            "sub": self.sub,
            "email": self.email,
            "email_verified": True,
            "name": self.name,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "preferred_username": self.username,
            "astravue_user_id": self.astravue_user_id,
        }
        if self.tenant_id is not None:
            claims["tenant_id"] = self.tenant_id
        return claims


def seed_users() -> dict[str, KeycloakUser]:
    """The shared sandbox identities, keyed by username."""
    users = [
        KeycloakUser(1, "maria", "maria@acme.test", "Maria", "Lopez", 1),
        KeycloakUser(2, "dev", "dev@acme.test", "Dev", "Patel", 1),
        KeycloakUser(3, "sam", "sam@acme.test", "Sam", "Kim", None),
        KeycloakUser(4, "gina", "gina@acme.test", "Gina", "Guest", 1),
        KeycloakUser(5, "olga", "olga@other.test", "Olga", "Outsider", 2),
    ]
    return {user.username: user for user in users}


class OAuthError(Exception):
    """An OAuth error answer: `{"error": ..., "error_description": ...}`."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status

    def body(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}


def _invalid_grant(description: str) -> OAuthError:
    return OAuthError("invalid_grant", description)


class _SessionState(Enum):
    ACTIVE = "active"
    DETACHED = "detached"  # the client was removed from the session (replayed code or token)
    ENDED = "ended"  # logout, admin sign-out or revocation


@dataclass
class _Session:
    """A user session holding our client's session (one client, so one object)."""

    sid: str
    user: KeycloakUser
    scope: str
    offline: bool
    started: float
    state: _SessionState = _SessionState.ACTIVE
    # Keycloak's reuse bookkeeping: the refresh token last presented and how often it was used,
    # and the token issued by the latest refresh (anything older is "Stale token").
    current_refresh_jti: str | None = None
    reuse_count: int = 0
    latest_refresh_jti: str | None = None


@dataclass
class _AuthCode:
    sid: str
    redirect_uri: str
    code_challenge: str
    nonce: str | None
    expires_at: float
    used: bool = False


@dataclass(frozen=True)
class _AuthRequest:
    redirect_uri: str
    state: str
    scope: str
    code_challenge: str
    nonce: str | None
    login_hint: str


class _TokenSigner:
    """Encodes and verifies JWT-shaped HS256 tokens with a key that never leaves the fake."""

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)
        self._header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "sandbox"}))

    def encode(self, claims: Mapping[str, Any]) -> str:
        signing_input = f"{self._header}.{_b64url(json.dumps(claims, separators=(',', ':')))}"
        return f"{signing_input}.{self._signature(signing_input)}"

    def decode(self, token: str) -> dict[str, Any] | None:
        """The claims of a token this instance issued, else None (expiry is not checked here)."""
        signing_input, _, signature = token.rpartition(".")
        if not hmac.compare_digest(signature.encode(), self._signature(signing_input).encode()):
            return None
        payload = signing_input.partition(".")[2]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return claims if isinstance(claims, dict) else None

    def _signature(self, signing_input: str) -> str:
        return _b64url(hmac.new(self._key, signing_input.encode(), hashlib.sha256).digest())


def _b64url(data: str | bytes) -> str:
    raw = data.encode() if isinstance(data, str) else data
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def s256_challenge(verifier: str) -> str:
    """The PKCE S256 code challenge of a verifier."""
    return _b64url(hashlib.sha256(verifier.encode()).digest())


def _with_query(url: str, params: Mapping[str, str]) -> str:
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query, keep_blank_values=True), *params.items()]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _is_redirect_uri(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not parts.fragment


async def _read_form(request: Request) -> dict[str, str]:
    # Parsed by hand: Starlette's form parser needs python-multipart, which we do not ship.
    body = (await request.body()).decode("utf-8", errors="replace")
    return dict(parse_qsl(body, keep_blank_values=True))


def _issuer(request: Request) -> str:
    """The realm URL as the client sees it: scheme, host and the mount point of this app."""
    return str(request.url.replace(path=request.scope.get("root_path", ""), query="", fragment=""))


class KeycloakFake:
    """The sandbox realm. `app` is the ASGI app; the other public members are test hooks."""

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
        self._signer = _TokenSigner()
        self._sessions: dict[str, _Session] = {}
        self._codes: dict[str, _AuthCode] = {}
        self._next_token_error: OAuthError | None = None
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
            if s.user is user and s.state is not _SessionState.ENDED
        ]
        for session in ended:
            session.state = _SessionState.ENDED
        return len(ended)

    def disable_user(self, who: str | int) -> None:
        self.find_user(who).enabled = False

    def fail_next_token_request(self, error: str, description: str, status: int = 400) -> None:
        """Answer the next token request with this error (for descriptions not modelled)."""
        self._next_token_error = OAuthError(error, description, status)

    # -- endpoints ----------------------------------------------------------------------------

    async def _discovery(self, request: Request) -> Response:
        issuer = _issuer(request)
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
            params = await _read_form(request)
        if params.get("client_id") != self.settings.client_id:
            return _error_page("Client not found.")
        redirect_uri = params.get("redirect_uri", "")
        if not _is_redirect_uri(redirect_uri):
            return _error_page("Invalid parameter: redirect_uri")
        issuer = _issuer(request)
        try:
            auth = self._validate_auth_request(params, redirect_uri)
        except OAuthError as exc:
            extra = {"state": params["state"]} if params.get("state") else {}
            return RedirectResponse(
                _with_query(redirect_uri, {**exc.body(), **extra, "iss": issuer}), status_code=302
            )
        hint = params.get("username") if request.method == "POST" else auth.login_hint
        if not hint:
            return _login_page(request.url.path, params, self.users.values())
        try:
            user = self.find_user(hint)
        except KeyError:
            return _login_page(
                request.url.path,
                params,
                self.users.values(),
                notice="Invalid username or password.",
            )
        if not user.enabled:
            return _login_page(
                request.url.path,
                params,
                self.users.values(),
                notice="Account is disabled, contact your administrator.",
            )
        return self._sign_in(auth, user, issuer)

    async def _token(self, request: Request) -> Response:
        form = await _read_form(request)
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
            body = grant(form, _issuer(request))
        except OAuthError as exc:
            self.last_error = exc.body()
            return JSONResponse(exc.body(), status_code=exc.status, headers=_NO_STORE)
        return JSONResponse(body, headers=_NO_STORE)

    async def _revoke(self, request: Request) -> Response:
        """RFC 7009: 200 for any token, unknown ones included; a refresh token ends its session."""
        form = await _read_form(request)
        self.revoke_requests += 1
        try:
            client_id = self._authenticate_client(request, form)
            if not form.get("token"):
                raise OAuthError("invalid_request", "Token not provided")
        except OAuthError as exc:
            return JSONResponse(exc.body(), status_code=exc.status, headers=_NO_STORE)
        claims = self._signer.decode(form["token"])
        if claims and claims.get("typ") in ("Refresh", "Offline") and claims["azp"] == client_id:
            session = self._sessions.get(claims["sid"])
            if session is not None:
                session.state = _SessionState.ENDED
        return Response(status_code=200, headers=_NO_STORE)

    async def _userinfo(self, request: Request) -> Response:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        claims = self._signer.decode(token) if scheme.lower() == "bearer" else None
        if claims is None or claims.get("typ") != "Bearer" or self._expired(claims):
            return _invalid_token("Token verification failed")
        session = self._sessions.get(claims["sid"])
        if session is None or session.state is not _SessionState.ACTIVE:
            # Unlike a resource server, Keycloak's userinfo checks the session (B6).
            return _invalid_token("User session not found or doesn't have client attached on it")
        return JSONResponse(self.claims_of(session.user))

    # -- authorization ------------------------------------------------------------------------

    def _validate_auth_request(self, params: Mapping[str, str], redirect_uri: str) -> _AuthRequest:
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
        if not _PKCE_VALUE.fullmatch(challenge):
            raise OAuthError("invalid_request", "Invalid parameter: code_challenge")
        if not params.get("state"):
            # Stricter than Keycloak on purpose: our app must always bind the flow to a state.
            raise OAuthError("invalid_request", "Missing parameter: state")
        return _AuthRequest(
            redirect_uri=redirect_uri,
            state=params["state"],
            scope=" ".join(scopes),
            code_challenge=challenge,
            nonce=params.get("nonce"),
            login_hint=params.get("login_hint", ""),
        )

    def _sign_in(self, auth: _AuthRequest, user: KeycloakUser, issuer: str) -> Response:
        session = self._new_session(user, auth.scope)
        now = self._clock()
        self._codes = {c: e for c, e in self._codes.items() if e.expires_at >= now}
        code = secrets.token_urlsafe(32)
        self._codes[code] = _AuthCode(
            sid=session.sid,
            redirect_uri=auth.redirect_uri,
            code_challenge=auth.code_challenge,
            nonce=auth.nonce,
            expires_at=now + self.settings.access_code_lifespan,
        )
        query = {"state": auth.state, "session_state": session.sid, "iss": issuer, "code": code}
        return RedirectResponse(_with_query(auth.redirect_uri, query), status_code=302)

    def _new_session(self, user: KeycloakUser, requested_scope: str) -> _Session:
        scopes = requested_scope.split()
        granted = list(dict.fromkeys([*scopes, *DEFAULT_SCOPES]))
        session = _Session(
            sid=str(uuid.uuid4()),
            user=user,
            scope=" ".join(granted),
            offline="offline_access" in scopes,
            started=self._clock(),
        )
        self._sessions[session.sid] = session
        return session

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
            raise _invalid_grant("Code not valid")
        if entry.used:
            # A replayed code counts as stolen: Keycloak drops the client from the session,
            # which kills the tokens of the first, legitimate exchange.
            self._sessions[entry.sid].state = _SessionState.DETACHED
            raise _invalid_grant("Code not valid")
        entry.used = True  # burnt before the remaining checks, as in Keycloak
        if form.get("redirect_uri") != entry.redirect_uri:
            raise _invalid_grant("Incorrect redirect_uri")
        session = self._sessions[entry.sid]
        self._check_session(session, offline=session.offline)
        _verify_pkce(form.get("code_verifier"), entry.code_challenge)
        if self.settings.refuse_offline_access == "token" and session.offline:
            session.state = _SessionState.ENDED
            raise OAuthError("invalid_scope", "Offline tokens not allowed for the user or client")
        return self._token_response(session, issuer, nonce=entry.nonce)

    def _grant_refresh_token(self, form: dict[str, str], issuer: str) -> dict[str, Any]:
        raw = form.get("refresh_token")
        if not raw:
            raise OAuthError("invalid_request", "Missing parameter: refresh_token")
        claims = self._signer.decode(raw)
        if claims is None or claims.get("typ") not in ("Refresh", "Offline"):
            raise _invalid_grant("Invalid refresh token")
        if self._expired(claims):
            raise _invalid_grant("Token is not active")
        if claims["azp"] != self.settings.client_id:
            raise _invalid_grant(
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
            raise _invalid_grant("Invalid user credentials")
        if not user.enabled:
            raise _invalid_grant("Account disabled")
        scopes = form.get("scope", "").split()
        unknown = [s for s in scopes if s not in SUPPORTED_SCOPES]
        if unknown:
            raise OAuthError("invalid_scope", f"Invalid scopes: {' '.join(unknown)}")
        return self._token_response(self._new_session(user, " ".join(scopes)), issuer)

    def _check_session(self, session: _Session | None, *, offline: bool) -> None:
        if session is None or session.state is not _SessionState.ACTIVE:
            if offline:
                raise _invalid_grant("Offline user session not found")
            if session is not None and session.state is _SessionState.DETACHED:
                raise _invalid_grant("Session doesn't have required client")
            raise _invalid_grant("Session not active")
        if not session.user.enabled:
            raise _invalid_grant("User disabled")

    def _check_reuse(self, session: _Session, jti: str) -> None:
        """Keycloak's reuse rule with Revoke Refresh Token on; any failure detaches (B4)."""
        try:
            if jti != session.current_refresh_jti:
                if jti != session.latest_refresh_jti:
                    raise _invalid_grant("Stale token")
                session.current_refresh_jti, session.reuse_count = jti, 0
            if session.reuse_count > self.settings.refresh_token_max_reuse:
                raise _invalid_grant("Maximum allowed refresh token reuse exceeded")
            session.reuse_count += 1
        except OAuthError:
            session.state = _SessionState.DETACHED
            raise

    def _token_response(
        self, session: _Session, issuer: str, *, nonce: str | None = None
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

    # -- helpers ------------------------------------------------------------------------------

    def _expired(self, claims: Mapping[str, Any]) -> bool:
        # Keycloak compares whole seconds and a token is still active in its `exp` second.
        return int(self._clock()) > int(claims["exp"])


def _verify_pkce(verifier: str | None, challenge: str) -> None:
    if verifier is None:
        raise _invalid_grant("PKCE code verifier not specified")
    if not _PKCE_VALUE.fullmatch(verifier):
        raise _invalid_grant("PKCE verification failed: Invalid code verifier")
    if not hmac.compare_digest(s256_challenge(verifier), challenge):
        raise _invalid_grant("PKCE verification failed: Code mismatch")


def _invalid_token(description: str) -> Response:
    return JSONResponse(
        {"error": "invalid_token", "error_description": description},
        status_code=401,
        headers={
            "WWW-Authenticate": f'Bearer realm="astravue", error="invalid_token", '
            f'error_description="{description}"'
        },
    )


def _error_page(message: str) -> HTMLResponse:
    """Keycloak shows an error page, not a redirect, when the client or redirect is untrusted."""
    return HTMLResponse(
        _page("We are sorry...", f"<p class=error>{html.escape(message)}</p>"), status_code=400
    )


def _login_page(
    action: str,
    params: Mapping[str, str],
    users: Iterable[KeycloakUser],
    notice: str | None = None,
) -> HTMLResponse:
    """One form per sandbox user; each posts the original auth request back with a username."""
    hidden = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in params.items()
        if k != "username"
    )
    forms = "".join(
        f'<form method="post" action="{html.escape(action)}">{hidden}'
        f'<input type="hidden" name="username" value="{html.escape(u.username)}">'
        f'<button type="submit">Sign in as {html.escape(u.name)} ({html.escape(u.email)})'
        f"{'' if u.enabled else ' (disabled)'}</button></form>"
        for u in users
    )
    notice_html = f"<p class=error>{html.escape(notice)}</p>" if notice else ""
    return HTMLResponse(_page("Sign in to Astravue (sandbox)", notice_html + forms))


def _page(title: str, body: str) -> str:
    return (
        f"<!doctype html><html><head><meta charset=utf-8><title>{html.escape(title)}</title>"
        f"</head><body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )
