"""`link_shared`: unfurl Astravue links with the sharer's own token.

The ack is immediate; reading Astravue and calling `chat.unfurl` run lazily. Slack's retries of
the same event are dropped by the event middleware (bot.listeners.middleware), so an event
unfurls once. An unfurl that fails is logged and left out: nobody asked for it, so nobody is
told in the channel.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.container import ServiceContainer
from bot.listeners.events import ack_event
from bot.listeners.safe_lazy import Invocation, safe_lazy
from bot.ui import unfurls as ui

log = logging.getLogger(__name__)

_CONVERSATION = ("C", "G", "D")  # a real channel id (the composer sends "COMPOSER")


def unfurl_target(event: dict[str, Any]) -> dict[str, Any]:
    """How `chat.unfurl` names the message: `unfurl_id` + `source` as Slack sent them (they
    work in the composer too), else `channel` + `ts`."""
    if event.get("unfurl_id") and event.get("source"):
        return {"unfurl_id": str(event["unfurl_id"]), "source": str(event["source"])}
    return {"channel": str(event.get("channel") or ""), "ts": str(event.get("message_ts") or "")}


def shared_urls(event: dict[str, Any]) -> list[str]:
    links = event.get("links")
    return [
        str(link["url"])
        for link in (links if isinstance(links, list) else [])
        if isinstance(link, dict) and isinstance(link.get("url"), str)
    ]


def register(app: AsyncApp, services: ServiceContainer) -> None:
    unfurls = services.unfurls

    async def link_shared(inv: Invocation) -> None:
        event = inv.payload.event
        sharer = str(event.get("user") or "")
        urls = shared_urls(event)
        if not sharer or not urls:
            return
        plan = await unfurls.plan(inv.team_id, sharer, urls)
        where = f"team={inv.team_id} user={sharer} event={inv.payload.event_id}"
        target = unfurl_target(event)
        try:
            if plan.needs_connect:
                channel = str(event.get("channel") or "")
                start = await services.linking.begin(
                    team_id=inv.team_id,
                    slack_user_id=sharer,
                    channel_id=channel if channel.startswith(_CONVERSATION) else None,
                    response_url=None,
                )
                await inv.client.chat_unfurl(
                    **target,
                    user_auth_required=True,
                    user_auth_url=start,
                    user_auth_message=ui.AUTH_MESSAGE,
                )
                log.info("%s: sharer not connected; asked Slack to prompt them", where)
            elif plan.previews:
                app_url = services.settings.astravue_app_url
                await inv.client.chat_unfurl(
                    **target,
                    unfurls={
                        url: ui.unfurl(preview, app_url=app_url)
                        for url, preview in plan.previews.items()
                    },
                )
                log.info("%s: unfurled %d link(s)", where, len(plan.previews))
        except SlackApiError as exc:
            log.warning("%s: chat.unfurl refused: %s", where, exc.response.get("error"))

    app.event("link_shared")(ack=ack_event, lazy=[safe_lazy(services, link_shared)])
