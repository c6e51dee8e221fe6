"""GET /slack/install and GET /slack/oauth_redirect (distributed mode only)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from slack_bolt.adapter.starlette.async_handler import to_async_bolt_request
from slack_bolt.response import BoltResponse
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from bot.ui.install_pages import install_failed_page

if TYPE_CHECKING:
    from bot.slack.distribution import Distribution

log = logging.getLogger(__name__)

MAX_QUERY = 4096  # code + state are far shorter; anything longer is not from Slack


def install_routes(distribution: Callable[[], Distribution | None]) -> list[Route]:
    async def install(request: Request) -> Response:
        found = distribution()
        if found is None:
            return HTMLResponse("Not found", status_code=404)
        bolt_request = to_async_bolt_request(request, b"")
        return _as_starlette(await found.flow.handle_installation(bolt_request))

    async def redirect(request: Request) -> Response:
        found = distribution()
        if found is None:
            return HTMLResponse("Not found", status_code=404)
        if len(request.url.query) > MAX_QUERY:
            body, status = install_failed_page("invalid_state")
            return HTMLResponse(body, status_code=status)
        bolt_request = to_async_bolt_request(request, b"")
        return _as_starlette(await found.flow.handle_callback(bolt_request))

    return [
        Route("/slack/install", install, methods=["GET"]),
        Route("/slack/oauth_redirect", redirect, methods=["GET"]),
    ]


def _as_starlette(bolt: BoltResponse) -> Response:
    """Bolt's own adapter re-marks every cookie `Secure`, which a plain-http development
    address never gets back: the state cookie goes out as the flow wrote it."""
    response = Response(
        content=bolt.body,
        status_code=bolt.status,
        media_type=bolt.first_headers().get("content-type"),
    )
    location = bolt.first_headers().get("location")
    if location:
        response.headers["location"] = location
    for cookie in bolt.headers.get("set-cookie", []):
        response.raw_headers.append((b"set-cookie", cookie.encode("latin-1")))
    return response
