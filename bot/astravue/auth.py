"""Keycloak OIDC client: authorization URL with PKCE, code exchange, refresh, revoke, userinfo.

Errors follow what the caller must do with the stored refresh token:
`TerminalGrantError` -> the link is dead (re-link); `ClientConfigurationError` -> our client
is misconfigured (alert, keep every token); `TransientAuthError` -> try again later (keep it).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx

from bot.astravue.endpoints import ENDPOINTS, Endpoint
from bot.astravue.errors import parse_retry_after
from bot.astravue.retry import RetryPolicy, capped_timeout

logger = logging.getLogger(__name__)

_TERMINAL = frozenset({"invalid_grant", "invalid_scope"})
_CLIENT_CONFIGURATION = frozenset({"invalid_client", "unauthorized_client"})


class OAuthError(Exception):
    """Keycloak refused: `error` is the OAuth code, `description` Keycloak's explanation."""

    def __init__(self, error: str, description: str | None = None, status: int | None = None):
        detail = f"{error}: {description}" if description else error
        super().__init__(f"{detail} (HTTP {status})" if status else detail)
        self.error = error
        self.description = description
        self.status = status


class TerminalGrantError(OAuthError):
    """The grant is gone for good (expired, revoked, reused, consent withdrawn): re-link."""


class ClientConfigurationError(OAuthError):
    """Our client id or secret is wrong. Not the user's fault: keep their tokens."""


class TransientAuthError(OAuthError):
    """Keycloak was unreachable or failing (after retries). Keep the tokens and retry later."""

    def __init__(
        self,
        error: str,
        description: str | None = None,
        status: int | None = None,
        *,
        safe_to_resend: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(error, description, status)
        self.safe_to_resend = safe_to_resend
        self.retry_after = retry_after


def _b64url_json(segment: str) -> dict[str, Any]:
    try:
        decoded = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, binascii.Error):
        return {}
    return decoded if isinstance(decoded, dict) else {}


def unverified_claims(jwt: str | None) -> dict[str, Any]:
    """A JWT's payload WITHOUT checking its signature: identity hints only, never authority."""
    parts = (jwt or "").split(".")
    return _b64url_json(parts[1]) if len(parts) == 3 else {}


@dataclass(frozen=True)
class TokenSet:
    """A token endpoint answer. Tokens are left out of repr so they cannot reach a log."""

    access_token: str = field(repr=False)
    expires_in: int
    refresh_token: str | None = field(default=None, repr=False)
    refresh_expires_in: int | None = None
    id_token: str | None = field(default=None, repr=False)
    scope: str | None = None
    token_type: str = "Bearer"  # noqa: S105 -- the scheme name, not a secret

    @classmethod
    def from_response(cls, payload: Mapping[str, Any]) -> TokenSet:
        access_token = payload.get("access_token")
        expires_in = payload.get("expires_in")
        if not isinstance(access_token, str) or not access_token:
            raise OAuthError("invalid_response", "token response has no access_token")
        if not isinstance(expires_in, int | float):
            raise OAuthError("invalid_response", "token response has no expires_in")
        refresh_expires_in = payload.get("refresh_expires_in")
        return cls(
            access_token=access_token,
            expires_in=int(expires_in),
            refresh_token=payload.get("refresh_token"),
            # Keycloak sends 0 for offline tokens: "no fixed expiry", not "already expired".
            refresh_expires_in=int(refresh_expires_in) if refresh_expires_in else None,
            id_token=payload.get("id_token"),
            scope=payload.get("scope"),
            token_type=str(payload.get("token_type") or "Bearer"),
        )

    def claims(self) -> dict[str, Any]:
        """Identity hints (sub, email, astravue_user_id, tenant_id) from the id and access
        tokens, unverified; the access token wins where both carry a claim."""
        return {**unverified_claims(self.id_token), **unverified_claims(self.access_token)}


def pkce_challenge(verifier: str) -> str:
    """RFC 7636 S256: base64url(sha256(verifier)) without padding."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class KeycloakClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        auth_url: str,
        client_id: str,
        client_secret: str | None,
        scopes: str,
        retry: RetryPolicy | None = None,
    ) -> None:
        self._http = http
        self._auth_url = auth_url.rstrip("/")
        self._client_id = client_id
        self._client_secret = client_secret
        self._scopes = scopes
        self._retry = retry or RetryPolicy()

    def __repr__(self) -> str:
        return f"KeycloakClient(auth_url={self._auth_url!r}, client_id={self._client_id!r})"

    @property
    def scopes(self) -> str:
        """The scopes the connect flow asks for (settings: ASTRAVUE_SCOPES)."""
        return self._scopes

    @staticmethod
    def new_pkce() -> tuple[str, str]:
        """A fresh (code_verifier, S256 code_challenge) pair."""
        verifier = secrets.token_urlsafe(64)  # 86 characters, inside RFC 7636's 43..128
        return verifier, pkce_challenge(verifier)

    def authorize_url(
        self,
        *,
        redirect_uri: str,
        state: str,
        code_challenge: str,
        login_hint: str | None = None,
        scopes: str | None = None,
    ) -> str:
        """`scopes` replaces the configured ones (linking without offline_access)."""
        params = {
            "response_type": "code",
            "client_id": self._client_id,
            "redirect_uri": redirect_uri,
            "scope": scopes or self._scopes,
            "state": state,
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
        }
        if login_hint:
            params["login_hint"] = login_hint
        return f"{self._url(ENDPOINTS['authorize'])}?{urlencode(params)}"

    async def exchange_code(self, *, code: str, redirect_uri: str, code_verifier: str) -> TokenSet:
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": code_verifier,
        }
        return await self._token_call(ENDPOINTS["getAccessAndRefreshToken"], form)

    async def refresh(self, refresh_token: str) -> TokenSet:
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        return await self._token_call(ENDPOINTS["refreshAccessToken"], form)

    async def revoke(self, refresh_token: str) -> None:
        """RFC 7009: Keycloak answers 200 even for an unknown or already revoked token."""
        form = {"token": refresh_token, "token_type_hint": "refresh_token"}
        # Revoking twice is harmless, so every transient failure may be resent.
        await self._send(ENDPOINTS["revokeToken"], data=self._with_client(form), idempotent=True)

    async def userinfo(self, access_token: str) -> dict[str, Any]:
        response = await self._send(
            ENDPOINTS["userinfo"],
            headers={"Authorization": f"Bearer {access_token}"},
            idempotent=True,
        )
        body = _json_object(response)
        if body is None:
            raise OAuthError("invalid_response", "userinfo is not a JSON object", 200)
        return body

    async def _token_call(self, endpoint: Endpoint, form: dict[str, str]) -> TokenSet:
        # A code is single-use and, with rotation on, so is a refresh token: if Keycloak
        # received the POST, resending it may be answered invalid_grant and even end the
        # session. So only resend what surely never arrived (connect errors, 503 without a
        # body from a proxy) -- never after a read timeout or a 5xx from Keycloak itself.
        response = await self._send(endpoint, data=self._with_client(form), idempotent=False)
        body = _json_object(response)
        if body is None:
            raise OAuthError("invalid_response", "token response is not a JSON object", 200)
        return TokenSet.from_response(body)

    def _with_client(self, form: dict[str, str]) -> dict[str, str]:
        credentials = {"client_id": self._client_id}
        if self._client_secret:
            credentials["client_secret"] = self._client_secret
        return {**form, **credentials}

    def _url(self, endpoint: Endpoint) -> str:
        return self._auth_url + endpoint.path

    async def _send(
        self,
        endpoint: Endpoint,
        *,
        idempotent: bool,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """One call with retries; returns a 2xx response or raises an OAuthError."""

        async def attempt(seconds_left: float) -> httpx.Response:
            return await self._attempt(endpoint, data, headers, idempotent, seconds_left)

        return await self._retry.run(
            attempt,
            retryable=lambda exc: isinstance(exc, TransientAuthError) and exc.safe_to_resend,
        )

    async def _attempt(
        self,
        endpoint: Endpoint,
        data: dict[str, str] | None,
        headers: dict[str, str] | None,
        idempotent: bool,
        seconds_left: float,
    ) -> httpx.Response:
        started = time.perf_counter()
        try:
            response = await self._http.request(
                endpoint.method,
                self._url(endpoint),
                data=data,
                headers=headers,
                timeout=capped_timeout(self._http.timeout, seconds_left),
            )
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            _log(endpoint, type(exc).__name__, started)
            raise TransientAuthError(
                "connection_failed", type(exc).__name__, safe_to_resend=True
            ) from exc
        except httpx.RequestError as exc:
            _log(endpoint, type(exc).__name__, started)
            raise TransientAuthError(
                "connection_failed", type(exc).__name__, safe_to_resend=idempotent
            ) from exc
        _log(endpoint, response.status_code, started)
        if response.is_success:
            return response
        raise _error_for(response, idempotent)


def _log(endpoint: Endpoint, outcome: int | str, started: float) -> None:
    elapsed_ms = (time.perf_counter() - started) * 1000
    logger.debug("keycloak %s -> %s in %.0f ms", endpoint.name, outcome, elapsed_ms)


def _json_object(response: httpx.Response) -> dict[str, Any] | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _error_for(response: httpx.Response, idempotent: bool) -> OAuthError:
    status = response.status_code
    body = _json_object(response) or {}
    error = body.get("error")
    description = body.get("error_description")
    if status >= 500 or status == 429:
        proxy_unavailable = status == 503 and not response.content
        return TransientAuthError(
            str(error or "temporarily_unavailable"),
            description,
            status,
            safe_to_resend=idempotent or proxy_unavailable,
            retry_after=parse_retry_after(response.headers.get("Retry-After")),
        )
    if not isinstance(error, str):
        return OAuthError(f"http_{status}", None, status)
    if error in _TERMINAL:
        return TerminalGrantError(error, description, status)
    if error in _CLIENT_CONFIGURATION:
        return ClientConfigurationError(error, description, status)
    return OAuthError(error, description, status)
