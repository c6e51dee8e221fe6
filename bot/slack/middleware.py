"""Distributed mode: every request's work (and the lazy listeners it starts, which inherit
the context) acts for the team Slack named, so shared clients use that team's token."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.response import BoltResponse

from bot.slack.team_clients import acting_for


def register_acting_team(app: AsyncApp) -> None:
    @app.middleware
    async def act_for_the_team(
        context: AsyncBoltContext, next: Callable[[], Awaitable[BoltResponse]]
    ) -> BoltResponse:
        if context.team_id:
            acting_for(context.team_id, context.enterprise_id)
        return await next()
