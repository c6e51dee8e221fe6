"""build_app(runtime) -> the Bolt AsyncApp with every listener registered."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from bot.listeners import register_listeners
from bot.wiring import Runtime

log = logging.getLogger(__name__)


def build_app(runtime: Runtime) -> AsyncApp:
    settings = runtime.settings
    app = AsyncApp(
        signing_secret=settings.slack_signing_secret,
        client=runtime.slack,
        process_before_response=False,  # long-lived process: ack first, lazy work after
        raise_error_for_unhandled_request=False,
        logger=logging.getLogger("bot.bolt"),
    )

    @app.error
    async def on_error(error: Exception, body: dict[str, Any], context: AsyncBoltContext
                       ) -> None:
        # Errors raised before or inside an ack function (lazy ones go through safe_lazy).
        log.error("unhandled error team=%s user=%s: %s", context.team_id, context.user_id,
                  type(error).__name__, exc_info=error)

    register_listeners(app, runtime.services)
    return app
