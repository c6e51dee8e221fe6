"""Events: the App Home, and the clean-up when Slack revokes tokens or the app is removed."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from sqlalchemy import select

from bot.container import ServiceContainer
from bot.db.models import AstravueLink, LinkStatus
from bot.listeners.safe_lazy import Invocation, safe_lazy

log = logging.getLogger(__name__)

HomeSections = Callable[[Invocation], Awaitable[list[list[dict[str, Any]]]]]


async def ack_event(ack: Callable[[], Awaitable[None]]) -> None:
    await ack()


def register(app: AsyncApp, services: ServiceContainer) -> None:
    async def home_opened(inv: Invocation) -> None:
        if (inv.body.get("event") or {}).get("tab", "home") != "home":
            return
        await services.home.publish(inv.client, inv.team_id, inv.user_id)

    async def tokens_revoked(inv: Invocation) -> None:
        tokens = (inv.body.get("event") or {}).get("tokens") or {}
        if tokens.get("bot"):
            await _disconnect_team(services, inv.team_id, "bot token revoked")
        for user_id in tokens.get("oauth") or []:
            await services.linking.disconnect(team_id=inv.team_id, slack_user_id=user_id)

    async def app_uninstalled(inv: Invocation) -> None:
        await _disconnect_team(services, inv.team_id, "app uninstalled")

    app.event("app_home_opened")(ack=ack_event, lazy=[safe_lazy(services, home_opened)])
    app.event("tokens_revoked")(ack=ack_event, lazy=[safe_lazy(services, tokens_revoked)])
    app.event("app_uninstalled")(ack=ack_event, lazy=[safe_lazy(services, app_uninstalled)])


async def _disconnect_team(services: ServiceContainer, team_id: str, why: str) -> None:
    async with services.sessions() as session:
        users = (
            await session.scalars(
                select(AstravueLink.slack_user_id).where(
                    AstravueLink.team_id == team_id, AstravueLink.status != LinkStatus.DISCONNECTED
                )
            )
        ).all()
    for user_id in users:
        await services.linking.disconnect(team_id=team_id, slack_user_id=user_id)
    log.info("team %s: %s; disconnected %d link(s)", team_id, why, len(users))
