"""Slack request verification that never raises: every malformed request is a plain 401.

Bolt's own check turns a non-numeric or empty timestamp into a 500, so every
request is verified here first, on the raw body. The headers are checked on their own first, so
a request that cannot be authentic is refused before its body is read. Whether an authentic
body is well formed (UTF-8, JSON, shape) is `payload_shape`'s question: that answer is 400.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Mapping

MAX_SKEW_SECONDS = 300
MAX_TIMESTAMP_DIGITS = 12


def check_headers(
    headers: Mapping[str, str], *, clock: Callable[[], float] = time.time
) -> str | None:
    """What can be refused before reading the body: None when the signature headers are
    present and the timestamp is fresh; otherwise why not (for the log, never the client)."""
    timestamp = headers.get("x-slack-request-timestamp", "")
    if not timestamp:
        return "missing timestamp"
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > MAX_TIMESTAMP_DIGITS:
        return "malformed timestamp"
    if abs(clock() - int(timestamp)) > MAX_SKEW_SECONDS:
        return "timestamp outside the 5-minute window"
    if not headers.get("x-slack-signature", "").startswith("v0="):
        return "missing or unsupported signature version"
    return None


def verify_slack_request(
    body: bytes,
    headers: Mapping[str, str],
    signing_secret: str,
    *,
    clock: Callable[[], float] = time.time,
) -> str | None:
    """None when the request is authentic; otherwise why not (for the log, never the client)."""
    rejection = check_headers(headers, clock=clock)
    if rejection:
        return rejection
    timestamp = headers["x-slack-request-timestamp"]
    signature = headers["x-slack-signature"]
    basestring = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(signing_secret.encode(), basestring, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        return "signature mismatch"
    return None
