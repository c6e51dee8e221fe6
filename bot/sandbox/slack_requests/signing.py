"""Slack's request signature (`v0:{timestamp}:{body}` HMAC-SHA256) and the names it sends."""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNING_SECRET = "sandbox-signing-secret"
VERIFICATION_TOKEN = "sandbox-verification-token"  # legacy field Slack still sends
FORM = "application/x-www-form-urlencoded"

Signed = tuple[bytes, dict[str, str]]


def sign(
    body: bytes,
    content_type: str,
    *,
    signing_secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
) -> dict[str, str]:
    """Slack's request headers for `body` (timestamp defaults to now)."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(
        signing_secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256
    ).hexdigest()
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest}",
    }


def user_name(user_id: str) -> str:
    """The sandbox's user names: U0MARIA -> maria."""
    return user_id.removeprefix("U0").lower()


def channel_name(channel_id: str) -> str:
    """What Slack sends as channel_name: C0GENERAL -> general, DMs -> directmessage."""
    return "directmessage" if channel_id.startswith("D") else channel_id.removeprefix("C0").lower()
