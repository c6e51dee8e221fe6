"""Token encryption at rest: AES-256-GCM under a key ring with key ids.

Stored form: ``v1.<kid>.<base64url(nonce | ciphertext | tag)>`` (unpadded base64url). The
associated data binds each ciphertext to its key id, its link row, and its Slack team and user,
so a ciphertext copied to another row or re-labelled with another key id does not decrypt.
Every decryption failure raises the one `DecryptionError`: callers fail closed (needs_relink).
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import re
import secrets
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

logger = logging.getLogger("bot.security")

VERSION = "v1"
KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
_KID_RE = re.compile(r"[A-Za-z0-9_-]{1,32}")
_SPEC_KEY_RE = re.compile(r"[A-Za-z0-9+/_-]+={0,2}")
_BODY_RE = re.compile(r"[A-Za-z0-9_-]+")
_AAD_FORBIDDEN = "|"


class KeyringConfigError(ValueError):
    """The key ring specification is unusable (the message never contains key material)."""


class DecryptionError(Exception):
    """A ciphertext could not be decrypted and authenticated; the caller must fail closed."""


@dataclass(frozen=True, slots=True)
class TokenContext:
    """Who a ciphertext belongs to; becomes the AES-GCM associated data."""

    team_id: str
    slack_user_id: str
    link_id: int
    purpose: str = "refresh"

    def __post_init__(self) -> None:
        # "|" separates AAD fields; allowing it would let two different owners share one AAD.
        for name in ("team_id", "slack_user_id", "purpose"):
            value = getattr(self, name)
            if not value or _AAD_FORBIDDEN in value:
                raise ValueError(f"TokenContext.{name} must be non-empty and contain no '|'")

    def associated_data(self, kid: str) -> bytes:
        fields = (f"astravue-{self.purpose}", VERSION, kid, self.team_id, self.slack_user_id)
        return "|".join((*fields, str(self.link_id))).encode()


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode_spec_key(kid: str, encoded: str) -> bytes:
    if not _SPEC_KEY_RE.fullmatch(encoded):
        raise KeyringConfigError(f"key {kid!r} is not valid base64")
    unpadded = encoded.rstrip("=").replace("-", "+").replace("_", "/")
    try:
        raw = base64.b64decode(unpadded + "=" * (-len(unpadded) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise KeyringConfigError(f"key {kid!r} is not valid base64") from None
    if len(raw) != KEY_BYTES:
        raise KeyringConfigError(f"key {kid!r} must be {KEY_BYTES} bytes, got {len(raw)}")
    return raw


def _check_kid(kid: str, position: int) -> None:
    if not _KID_RE.fullmatch(kid):
        # The bad text is not echoed: a mis-pasted entry may hold key material.
        raise KeyringConfigError(f"entry {position}: key id must match [A-Za-z0-9_-]{{1,32}}")


def derive_secret(key: bytes, info: bytes) -> bytes:
    """A 32-byte secret for one purpose (`info`), derived from a key with HKDF-SHA256."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(key)


def generate_key_spec(kid: str | None = None) -> str:
    """A fresh one-key spec, ``kid:base64url(32 random bytes)``.

    The default kid is today's date plus a random suffix: two keys made on one day must not
    share an id, or the key ring could not tell their ciphertexts apart.
    """
    kid = kid or f"k{datetime.now(UTC):%Y%m%d}-{secrets.token_hex(4)}"
    _check_kid(kid, 1)
    return f"{kid}:{base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=256)).decode()}"


class Keyring:
    """AES-256-GCM keys by id; the first is primary (encrypts), the rest only decrypt."""

    def __init__(self, keys: Iterable[tuple[str, bytes]]) -> None:
        self._keys: dict[str, bytes] = {}
        for position, (kid, key) in enumerate(keys, start=1):
            _check_kid(kid, position)
            if kid in self._keys:
                raise KeyringConfigError(f"duplicate key id {kid!r}")
            if len(key) != KEY_BYTES:
                raise KeyringConfigError(f"key {kid!r} must be {KEY_BYTES} bytes, got {len(key)}")
            self._keys[kid] = key
        if not self._keys:
            raise KeyringConfigError("the key ring is empty")
        self._aeads = {kid: AESGCM(key) for kid, key in self._keys.items()}
        self._primary_kid = next(iter(self._keys))

    @classmethod
    def from_spec(cls, spec: str) -> Keyring:
        """Parse ``kid:base64key[,kid:base64key...]`` (standard or urlsafe base64)."""
        entries = [entry.strip() for entry in spec.split(",")]
        if not any(entries):
            raise KeyringConfigError("the key spec is empty")
        keys: list[tuple[str, bytes]] = []
        for position, entry in enumerate(entries, start=1):
            kid, sep, encoded = entry.partition(":")
            if not sep:
                raise KeyringConfigError(f"entry {position} is not in the form kid:base64key")
            kid, encoded = kid.strip(), encoded.strip()
            _check_kid(kid, position)
            keys.append((kid, _decode_spec_key(kid, encoded)))
        return cls(keys)

    def __repr__(self) -> str:
        return f"Keyring(primary={self._primary_kid!r}, kids={list(self._keys)!r})"

    @property
    def primary_kid(self) -> str:
        return self._primary_kid

    @property
    def kids(self) -> tuple[str, ...]:
        return tuple(self._keys)

    def derive(self, info: bytes) -> bytes:
        """A purpose-bound secret from the primary key.

        Rotating the primary changes every derived secret: for link signing this invalidates
        outstanding signed links, which live only 10 minutes.
        """
        return derive_secret(self._keys[self._primary_kid], info)

    def encrypt(self, plaintext: str, *, aad: TokenContext) -> str:
        kid = self._primary_kid
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = self._aeads[kid].encrypt(nonce, plaintext.encode(), aad.associated_data(kid))
        return f"{VERSION}.{kid}.{_b64url(nonce + sealed)}"

    def decrypt(self, ciphertext: str, *, aad: TokenContext) -> str:
        kid, body = self._parse(ciphertext)
        blob = self._decode_body(body)
        try:
            plain = self._aeads[kid].decrypt(
                blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad.associated_data(kid)
            )
            return plain.decode()
        except (InvalidTag, UnicodeDecodeError):
            raise DecryptionError("authentication failed") from None

    def needs_rewrap(self, ciphertext: str) -> bool:
        """True when the ciphertext was sealed under a key other than the primary."""
        kid, _ = self._parse(ciphertext)
        return kid != self._primary_kid

    def _parse(self, ciphertext: str) -> tuple[str, str]:
        parts = ciphertext.split(".")
        if len(parts) != 3:
            raise DecryptionError("malformed ciphertext")
        version, kid, body = parts
        if version != VERSION:
            raise DecryptionError("unsupported ciphertext version")
        if not _KID_RE.fullmatch(kid):
            raise DecryptionError("malformed key id")
        if kid not in self._aeads:
            raise DecryptionError(f"unknown key id {kid!r}")
        return kid, body

    @staticmethod
    def _decode_body(body: str) -> bytes:
        if not _BODY_RE.fullmatch(body) or len(body) % 4 == 1:
            raise DecryptionError("malformed ciphertext")
        blob = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        # Reject non-canonical encodings, so every accepted text maps to exactly one blob.
        if _b64url(blob) != body:
            raise DecryptionError("malformed ciphertext")
        if len(blob) < NONCE_BYTES + TAG_BYTES:
            raise DecryptionError("truncated ciphertext")
        return blob


class KeyFile:
    """The key spec file used when no TOKEN_ENCRYPTION_KEYS is configured (embedded SQLite)."""

    @staticmethod
    def load_or_create(path: Path) -> str:
        """Return the spec stored at `path`, creating it (mode 0600) on first start."""
        if not path.exists():
            created = KeyFile._create(path)
            if created is not None:
                return created
        return KeyFile._load(path)

    @staticmethod
    def _create(path: Path) -> str | None:
        """Write a new spec; None when another process created the file first."""
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        spec = generate_key_spec()
        # Write a private temp file, then hard-link it into place: the link fails if the file
        # appeared meanwhile, and readers never see a half-written key file.
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(spec + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.link(tmp, path)
        except FileExistsError:
            return None
        finally:
            tmp.unlink(missing_ok=True)
        logger.warning(
            "created token encryption key file %s: back it up (losing it disconnects every "
            "linked user) or set TOKEN_ENCRYPTION_KEYS",
            path,
        )
        return spec

    @staticmethod
    def _load(path: Path) -> str:
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            logger.warning("key file %s is accessible to group or others; chmod 600 it", path)
        try:
            spec = path.read_text(encoding="ascii").strip()
            Keyring.from_spec(spec)
        except UnicodeDecodeError:
            raise KeyringConfigError(f"{path}: the key file is not ASCII text") from None
        except KeyringConfigError as exc:
            raise KeyringConfigError(f"{path}: {exc}") from None
        return spec
