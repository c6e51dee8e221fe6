"""Requests of the in-channel features as Slack sends them (issue 16): a link shared, a DM to
the bot, a global shortcut, and a click on a button of an unfurl.

Events go through `SlackClientSim.event` (signed, with retry headers when asked); the rest are
signed interactive payloads like `payloads` builds.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from bot.sandbox.slack import BOT_ID, BOT_USER_ID, TEAM_ID
from bot.sandbox.slack.methods.unfurls import Unfurl, UnfurlLedger
from bot.sandbox.slack_requests.client import SlackClientSim
from bot.sandbox.slack_requests.payloads import block_action, envelope, interactive
from bot.sandbox.slack_requests.signing import SIGNING_SECRET, Signed


def im_message(
    user_id: str,
    text: str,
    *,
    subtype: str | None = None,
    from_bot: bool = False,
    edited: bool = False,
) -> dict[str, Any]:
    """A `message.im` event: `user_id` wrote `text` in their DM with the bot. `from_bot`: the
    bot's own message echoed back (Slack sends those too)."""
    ts = f"{time.time():.6f}"
    channel = "D" + user_id[1:]
    event: dict[str, Any] = {
        "type": "message",
        "channel": channel,
        "channel_type": "im",
        "user": BOT_USER_ID if from_bot else user_id,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "team": TEAM_ID,
    }
    if from_bot:
        event.update(bot_id=BOT_ID, app_id="A0ASTRAVUE")
    if subtype is not None:
        event["subtype"] = subtype
    if edited:
        event["edited"] = {"user": user_id, "ts": ts}
    return event


def global_shortcut(
    callback_id: str,
    *,
    user_id: str,
    trigger_id: str,
    signing_secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
) -> Signed:
    """A `shortcut` payload (global: from the ⚡ menu or the search bar; no channel)."""
    payload = envelope("shortcut", user_id)
    payload.update(callback_id=callback_id, trigger_id=trigger_id, action_ts=f"{time.time():.6f}")
    return interactive(payload, signing_secret, timestamp)


async def share_links(
    sim: SlackClientSim,
    ledger: UnfurlLedger,
    urls: list[str],
    *,
    channel: str = "C0GENERAL",
    source: str = "conversations_history",
    event_id: str | None = None,
    retry_num: int | None = None,
) -> tuple[httpx.Response, dict[str, Any]]:
    """`sim`'s user posts `urls`; Slack sends `link_shared`. Returns the app's answer and the
    event (send it again with the same `event_id` and a `retry_num` to play a retry)."""
    event = ledger.share(sim.user_id, urls, channel=channel, source=source)
    return await sim.event(event, event_id=event_id, retry_num=retry_num), event


async def press_global_shortcut(sim: SlackClientSim, callback_id: str) -> httpx.Response:
    return await sim.post(
        global_shortcut(
            callback_id,
            user_id=sim.user_id,
            trigger_id=sim.fake.new_trigger_id(sim.user_id),
            signing_secret=sim.signing_secret,
        )
    )


async def click_in_unfurl(
    sim: SlackClientSim, unfurl: Unfurl, url: str, action_id: str
) -> httpx.Response:
    """Click a button of the unfurl of `url`, as Slack sends it: the container is the
    message's attachment, which the clicker does not own."""
    share = unfurl.share
    button = next(
        element
        for block in unfurl.unfurls[url]["blocks"]
        for element in block.get("elements") or []
        if element.get("action_id") == action_id
    )
    action = {
        "action_id": action_id,
        "block_id": "",
        "type": "button",
        "value": button.get("value"),
        "action_ts": f"{time.time():.6f}",
    }
    container = {
        "type": "message_attachment",
        "message_ts": share.ts,
        "attachment_id": 1,
        "channel_id": share.channel,
        "is_ephemeral": False,
        "is_app_unfurl": True,
        "app_unfurl_url": url,
    }
    return await sim.post(
        block_action(
            [action],
            user_id=sim.user_id,
            container=container,
            trigger_id=sim.fake.new_trigger_id(sim.user_id),
            message={"type": "message", "user": share.user, "ts": share.ts, "text": url},
            response_url=sim.fake.new_response_url(share.channel, sim.user_id, share.ts),
            channel_id=share.channel,
            signing_secret=sim.signing_secret,
        )
    )
