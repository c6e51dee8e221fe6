"""Global middleware: a payload's response_url outside the allow-list is dropped on entry.

Bolt builds `respond` from the payload's response_url, and rebuilds it from the raw body for
each lazy listener; the connect flow stores it. Removing the URL from the request (parsed
body, raw body and context) before any listener runs means nothing downstream can follow it:
listeners answer without one (ephemeral message or DM), as they do for App Home clicks.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.config import Settings
from bot.security.response_urls import ResponseUrlPolicy, host_of

log = logging.getLogger(__name__)


class DropForeignResponseUrls(AsyncMiddleware):
    """A class, not a decorated function, so Bolt runs it without building keyword arguments
    for it on every request."""

    def __init__(self, policy: ResponseUrlPolicy) -> None:
        self.policy = policy

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse | None:
        foreign = foreign_response_urls(req.body, self.policy)
        if foreign:
            log.warning(
                "ignored a response_url outside the allow-list (host %s); answering without it",
                ", ".join(sorted({host_of(url) for url in foreign})),
            )
            _drop(req, req.context, self.policy)
        return await next()


def register(app: AsyncApp, settings: Settings) -> None:
    policy = ResponseUrlPolicy.from_settings(
        settings.slack_api_url, settings.slack_response_url_prefixes
    )
    app.use(DropForeignResponseUrls(policy))


def foreign_response_urls(body: dict[str, Any], policy: ResponseUrlPolicy) -> list[object]:
    """The response_urls of a payload that the policy does not allow."""
    urls: list[object] = [body["response_url"]] if "response_url" in body else []
    urls += [item.get("response_url") for item in body.get("response_urls") or ()]
    return [url for url in urls if not policy.allows(url)]


def _drop(req: AsyncBoltRequest, context: AsyncBoltContext, policy: ResponseUrlPolicy) -> None:
    body = req.body
    if not policy.allows(body.get("response_url")):
        body.pop("response_url", None)
    if "response_urls" in body:
        body["response_urls"] = [
            item for item in body["response_urls"] if policy.allows(item.get("response_url"))
        ]
    for key in ("response_url", "respond"):
        context.pop(key, None)
    if req.mode == "http":  # lazy listeners get a copy parsed again from the raw body
        req.raw_body = _encode_like(req, body)


def _encode_like(req: AsyncBoltRequest, body: dict[str, Any]) -> str:
    """`body` encoded the way the request's raw body was (Bolt's rules): JSON, a form with one
    `payload` field, or flat form fields (slash commands)."""
    if req.content_type == "application/json" or req.raw_body.startswith("{"):
        return json.dumps(body)
    if "payload" in dict(parse_qsl(req.raw_body, keep_blank_values=True)):
        return urlencode({"payload": json.dumps(body)})
    return urlencode(body)
