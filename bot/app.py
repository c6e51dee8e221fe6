"""build_app(runtime) -> the Bolt AsyncApp with every listener registered."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

from bot.listeners import register_listeners
from bot.listeners.bolt_requests import copy_lazy_requests_shallowly
from bot.wiring import Runtime

log = logging.getLogger(__name__)


def _not_the_token_notice(record: logging.LogRecord) -> bool:
    # Bolt reads SLACK_BOT_TOKEN from the environment by itself, then warns at every start that
    # the client we pass wins over it: that is the intended set-up, not news for an operator.
    return record.getMessage() != warning_client_prioritized_and_token_skipped()


def _bolt_logger() -> logging.Logger:
    logger = logging.getLogger("bot.bolt")
    logger.addFilter(_not_the_token_notice)  # once: addFilter skips a filter already there
    return logger


def build_app(runtime: Runtime) -> AsyncApp:
    settings = runtime.settings
    app = AsyncApp(
        signing_secret=settings.slack_signing_secret,
        client=runtime.slack,
        # Distributed mode: each team's installation authorizes its requests.
        authorize=runtime.distribution.clients.bolt_authorize() if runtime.distribution else None,  # type: ignore[arg-type]
        process_before_response=False,  # long-lived process: ack first, lazy work after
        raise_error_for_unhandled_request=False,
        # /slack/events verifies every request before Bolt sees it (bot.listeners.verification,
        # which also refuses what Bolt's check would answer with a 500); Socket Mode is not signed.
        request_verification_enabled=False,
        logger=_bolt_logger(),
    )
    copy_lazy_requests_shallowly(app)

    @app.error
    async def on_error(error: Exception, body: dict[str, Any], context: AsyncBoltContext) -> None:
        # Errors raised before or inside an ack function (lazy ones go through safe_lazy).
        log.error(
            "unhandled error team=%s user=%s: %s",
            context.team_id,
            context.user_id,
            type(error).__name__,
            exc_info=error,
        )

    if runtime.distribution is not None:
        from bot.slack.middleware import register_acting_team

        register_acting_team(app)
    register_listeners(app, runtime.services)
    return app
