"""Socket Mode: the same Bolt app over Slack's WebSocket, for development without a public URL.

The HTTP server still runs beside it for the OAuth callback and health checks. Socket Mode
payloads are not signed; the authenticated WebSocket (an xapp- token) stands in for signing.
"""

from __future__ import annotations

import asyncio
import logging

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from bot.config import Settings

log = logging.getLogger(__name__)


async def run_socket_mode(bolt: AsyncApp, settings: Settings) -> None:
    handler = AsyncSocketModeHandler(bolt, settings.slack_app_token)
    await handler.connect_async()  # type: ignore[no-untyped-call]  # slack_sdk leaves it unannotated
    log.info("connected to Slack over Socket Mode")
    try:
        await asyncio.Event().wait()  # until cancelled by the server's shutdown
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
