"""Signed, expiring, single-use link tokens (e.g. the `/astravue connect` start URL).

Token: ``base64url(json claims) + "." + base64url(HMAC-SHA256(secret, first part))``. The
claims carry the caller's payload plus ``exp`` (unix seconds) and a random nonce ``n``. The
signature makes the payload tamper-proof; a `NonceStore` makes each token usable once.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import heapq
import hmac
import json
import logging
import re
import secrets
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from bot.security.crypto import Keyring

logger = logging.getLogger("bot.security")

LINK_SIGNING_INFO = b"link-signing"
MIN_SECRET_BYTES = 32
MAX_TOKEN_CHARS = 4096  # bounds the work an unauthenticated token can cause
_RESERVED_CLAIMS = frozenset({"exp", "n"})
_PART_RE = re.compile(r"[A-Za-z0-9_-]+")

Clock = Callable[[], float]


class SignatureError(Exception):
    """Base class: the link token cannot be accepted."""


class SignatureInvalid(SignatureError):
    """Malformed, forged or tampered token."""


class SignatureExpired(SignatureError):
    """Authentic token past its `exp`."""


class SignatureReused(SignatureError):
    """Authentic token whose nonce was already consumed."""


class NonceStore(Protocol):
    async def consume(self, nonce: str, expires_at: float) -> bool:
        """Record `nonce` until `expires_at`; True the first time only."""
        ...


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class LinkSigner:
    def __init__(self, secret: bytes, *, clock: Clock = time.time) -> None:
        if len(secret) < MIN_SECRET_BYTES:
            raise ValueError(f"the signing secret must be at least {MIN_SECRET_BYTES} bytes")
        self._secret = secret
        self._clock = clock

    @classmethod
    def from_keyring(cls, keyring: Keyring, *, clock: Clock = time.time) -> LinkSigner:
        """A signer keyed from the primary key (rotating it invalidates outstanding links)."""
        return cls(keyring.derive(LINK_SIGNING_INFO), clock=clock)

    def sign(self, payload: Mapping[str, Any], *, ttl: int) -> str:
        if ttl <= 0:
            raise ValueError("ttl must be positive")
        if _RESERVED_CLAIMS & payload.keys():
            raise ValueError(f"payload must not use the reserved claims {sorted(_RESERVED_CLAIMS)}")
        claims = {**payload, "exp": int(self._clock()) + ttl, "n": secrets.token_urlsafe(16)}
        body = _b64url(json.dumps(claims, separators=(",", ":"), sort_keys=True).encode())
        return f"{body}.{self._mac(body)}"

    def verify(self, token: str) -> dict[str, Any]:
        """The claims (payload plus `exp` and `n`) of an authentic, unexpired token."""
        body, signature = self._split(token)
        if not hmac.compare_digest(self._mac(body), signature):
            raise SignatureInvalid("bad signature")
        try:
            claims = json.loads(_b64url_decode(body))
        except (binascii.Error, ValueError):
            raise SignatureInvalid("malformed payload") from None
        if not (
            isinstance(claims, dict)
            and type(claims.get("exp")) is int
            and isinstance(claims.get("n"), str)
        ):
            raise SignatureInvalid("malformed payload")
        if self._clock() >= claims["exp"]:
            raise SignatureExpired("link expired")
        return claims

    async def verify_once(self, token: str, store: NonceStore) -> dict[str, Any]:
        """`verify`, then consume the nonce: a second use raises `SignatureReused`."""
        claims = self.verify(token)
        if not await store.consume(claims["n"], float(claims["exp"])):
            raise SignatureReused("link already used")
        return claims

    def _mac(self, body: str) -> str:
        return _b64url(hmac.new(self._secret, body.encode("ascii"), hashlib.sha256).digest())

    @staticmethod
    def _split(token: str) -> tuple[str, str]:
        if len(token) > MAX_TOKEN_CHARS:
            raise SignatureInvalid("token too long")
        body, sep, signature = token.partition(".")
        if not (sep and _PART_RE.fullmatch(body) and _PART_RE.fullmatch(signature)):
            raise SignatureInvalid("malformed token")
        return body, signature


class InMemoryNonceStore:
    """A bounded, single-process `NonceStore` (tests and one-process deployments)."""

    def __init__(self, *, max_entries: int = 10_000, clock: Clock = time.time) -> None:
        self._max_entries = max_entries
        self._clock = clock
        self._expiries: dict[str, float] = {}
        self._by_expiry: list[tuple[float, str]] = []

    def __len__(self) -> int:
        return len(self._expiries)

    async def consume(self, nonce: str, expires_at: float) -> bool:
        self._prune()
        if nonce in self._expiries:
            return False
        if len(self._expiries) >= self._max_entries:
            # Evicting a live nonce would let its link be replayed: fail closed instead.
            logger.warning("nonce store full (%d live links); refusing a link", self._max_entries)
            return False
        self._expiries[nonce] = expires_at
        heapq.heappush(self._by_expiry, (expires_at, nonce))
        return True

    def _prune(self) -> None:
        now = self._clock()
        while self._by_expiry and self._by_expiry[0][0] <= now:
            _, nonce = heapq.heappop(self._by_expiry)
            del self._expiries[nonce]
