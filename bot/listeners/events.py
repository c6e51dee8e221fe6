"""Events: the App Home, and the clean-up when Slack revokes tokens or the app is removed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from slack_bolt.async_app import AsyncApp

from bot.container import ServiceContainer
from bot.listeners.safe_lazy import Invocation, LazyHandler, safe_lazy


async def ack_event(ack: Callable[[], Awaitable[None]]) -> None:
    await ack()


async def home_opened(inv: Invocation) -> None:
    if inv.payload.event.get("tab", "home") != "home":
        return
    await inv.services.home.opened(inv.client, inv.team_id, inv.user_id)


async def tokens_revoked(inv: Invocation) -> None:
    tokens = inv.payload.event.get("tokens") or {}
    if tokens.get("bot"):
        await inv.services.team_links.end_team(
            inv.team_id, inv.context.enterprise_id, "bot token revoked"
        )
    for user_id in tokens.get("oauth") or []:
        await inv.services.linking.disconnect(team_id=inv.team_id, slack_user_id=user_id)


async def app_uninstalled(inv: Invocation) -> None:
    await inv.services.team_links.end_team(
        inv.team_id, inv.context.enterprise_id, "app uninstalled"
    )


EVENTS: dict[str, LazyHandler] = {
    "app_home_opened": home_opened,
    "tokens_revoked": tokens_revoked,
    "app_uninstalled": app_uninstalled,
}


def register(app: AsyncApp, services: ServiceContainer) -> None:
    for event, handler in EVENTS.items():
        app.event(event)(ack=ack_event, lazy=[safe_lazy(services, handler)])
