"""Timer cards follow their timer: every message that showed a timer is rewritten when it
stops, switches or is restarted by Undo, wherever it is (bot.services.timer_cards keeps the
places). App Home is re-published by the timer listeners themselves."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.listeners.safe_lazy import Invocation
from bot.services.timer_cards import CardPlace

log = logging.getLogger(__name__)


def _reply_place(
    inv: Invocation, replace: bool, posted: tuple[str, str] | None
) -> CardPlace | None:
    """Where the answer just sent can be reached again: a DM by its ts; through this
    request's response_url, the command's own reply or the clicked message it rewrote. A new
    ephemeral answer to a click has no handle Slack would give back."""
    if posted is not None:
        return CardPlace(channel=posted[0], ts=posted[1])
    url = inv.context.response_url
    if url and (inv.payload.command or (replace and inv.may_replace)):
        return CardPlace(response_url=url)
    return None


async def _rewrite(inv: Invocation, place: CardPlace, payload: dict[str, Any]) -> bool:
    try:
        if place.response_url:
            answer = await AsyncWebhookClient(place.response_url).send_dict(
                {**payload, "replace_original": True}
            )
            return answer.status_code == 200
        await inv.client.chat_update(channel=str(place.channel), ts=str(place.ts), **payload)
        return True
    except Exception:  # an expired response_url or a deleted message: that card stays as is
        log.info("%s: a timer card could not be rewritten", inv.ids, exc_info=True)
        return False


async def _rewrite_cards(
    inv: Invocation, was: int | None, payload: dict[str, Any]
) -> list[CardPlace]:
    """Rewrite the cards that showed timer or entry `was`; the places that took it."""
    if was is None:
        return []
    places = await inv.services.timer_cards.take(inv.team_id, inv.user_id, was)
    return [place for place in places if await _rewrite(inv, place, payload)]


async def follow(inv: Invocation, payload: dict[str, Any], *, entry: int) -> bool:
    """Rewrite the cards of `entry` with `payload` (they keep showing it); False if none
    could be."""
    kept = await _rewrite_cards(inv, entry, payload)
    if kept:
        await inv.services.timer_cards.remember(inv.team_id, inv.user_id, entry, kept)
    return bool(kept)


async def answer_with_card(
    inv: Invocation,
    payload: dict[str, Any],
    *,
    shows: int | None,
    replaces: int | None = None,
    replace: bool = False,
    share: bool = False,
) -> None:
    """Answer with a timer card about `shows`; the cards that showed `replaces` (a timer
    just stopped, switched or restored) say the same from now on. They are rewritten
    before the answer goes out, so the answer is the last word."""
    kept = await _rewrite_cards(inv, replaces, payload)
    posted = await inv.reply(payload, replace=replace, share=share)
    here = None if share else _reply_place(inv, replace, posted)
    places = [*kept, here] if here is not None else kept
    if shows is not None and places:
        await inv.services.timer_cards.remember(inv.team_id, inv.user_id, shows, places)
