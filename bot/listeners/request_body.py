"""Reading a Slack request's body: headers first, then the body up to a ceiling, then its
signature and its shape. Nothing unauthenticated can make the process buffer more than
`MAX_BODY_BYTES`, and no answer is a 500.

`MAX_BODY_BYTES` is sized from Slack's largest real payloads: a `view_submission` carries the
whole view (at most 250 kB, platform.md A6) plus its state (up to 100 inputs of 3,000
characters), and a `message_action` carries a message of up to 40,000 characters with its
blocks and attachments. Form encoding of that JSON (escapes, then percent-encoding) can make
it three times larger: about 1.7 MB at worst. 4 MiB is more than twice that, and small enough
that a flood of refused requests costs little.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, NamedTuple

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.listeners.payload_shape import MalformedBody, check_body
from bot.listeners.verification import check_headers, verify_slack_request

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 4 * 1024 * 1024


class SlackBody(NamedTuple):
    raw: bytes
    payload: dict[str, Any]  # parsed as Bolt parses it (payload_shape.check_body)


class BodyTooLarge(Exception):
    """The body is (or declares itself) larger than the limit."""


async def read_slack_body(request: Request, signing_secret: str) -> SlackBody | Response:
    """The body of an authentic, well-formed Slack request, or the response refusing it:
    401 forged or stale, 413 over the limit, 400 malformed."""
    rejection = check_headers(request.headers)  # before a byte of the body is read
    if rejection is None:
        try:
            body = await read_body(request)
        except BodyTooLarge:
            log.warning("refused a Slack request over %d bytes", MAX_BODY_BYTES)
            return JSONResponse(
                {"error": f"request body over {MAX_BODY_BYTES} bytes"}, status_code=413
            )
        rejection = verify_slack_request(body, request.headers, signing_secret)
    if rejection:
        log.warning("rejected Slack request: %s", rejection)
        return JSONResponse({"error": "invalid request"}, status_code=401)
    try:
        payload = check_body(body, request.headers.get("content-type"))
    except MalformedBody as exc:
        log.warning("refused a malformed Slack request: %s", exc)
        return JSONResponse({"error": f"malformed request: {exc}"}, status_code=400)
    return SlackBody(body, payload)


def declared_too_large(headers: Mapping[str, str], limit: int = MAX_BODY_BYTES) -> bool:
    """True when `Content-Length` already says the body is over the limit. (The server has
    refused a malformed `Content-Length` before the app sees the request.)"""
    declared = headers.get("content-length", "")
    return declared.isdigit() and int(declared) > limit


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The whole body, read chunk by chunk: `BodyTooLarge` when `Content-Length` says it is
    over `limit`, or as soon as the chunks pass it (a chunked body declares nothing)."""
    if declared_too_large(request.headers, limit):
        raise BodyTooLarge(f"declared body over {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(f"body over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
