"""OIDC plumbing: JWT-shaped tokens, PKCE, redirect URIs, forms, the issuer."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.sandbox.keycloak.model import PKCE_VALUE, invalid_grant


class TokenSigner:
    """Encodes and verifies JWT-shaped HS256 tokens with a key that never leaves the fake."""

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)
        self._header = b64url(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "sandbox"}))

    def encode(self, claims: Mapping[str, Any]) -> str:
        signing_input = f"{self._header}.{b64url(json.dumps(claims, separators=(',', ':')))}"
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
        return b64url(hmac.new(self._key, signing_input.encode(), hashlib.sha256).digest())


def b64url(data: str | bytes) -> str:
    raw = data.encode() if isinstance(data, str) else data
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def s256_challenge(verifier: str) -> str:
    """The PKCE S256 code challenge of a verifier."""
    return b64url(hashlib.sha256(verifier.encode()).digest())


def with_query(url: str, params: Mapping[str, str]) -> str:
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query, keep_blank_values=True), *params.items()]
    return urlunsplit(parts._replace(query=urlencode(query)))


def is_redirect_uri(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not parts.fragment


async def read_form(request: Request) -> dict[str, str]:
    # Parsed by hand: Starlette's form parser needs python-multipart, which we do not ship.
    body = (await request.body()).decode("utf-8", errors="replace")
    return dict(parse_qsl(body, keep_blank_values=True))


def issuer_of(request: Request) -> str:
    """The realm URL as the client sees it: scheme, host and the mount point of this app."""
    return str(request.url.replace(path=request.scope.get("root_path", ""), query="", fragment=""))


def verify_pkce(verifier: str | None, challenge: str) -> None:
    if verifier is None:
        raise invalid_grant("PKCE code verifier not specified")
    if not PKCE_VALUE.fullmatch(verifier):
        raise invalid_grant("PKCE verification failed: Invalid code verifier")
    if not hmac.compare_digest(s256_challenge(verifier), challenge):
        raise invalid_grant("PKCE verification failed: Code mismatch")


def invalid_token_response(description: str) -> Response:
    return JSONResponse(
        {"error": "invalid_token", "error_description": description},
        status_code=401,
        headers={
            "WWW-Authenticate": f'Bearer realm="astravue", error="invalid_token", '
            f'error_description="{description}"'
        },
    )
