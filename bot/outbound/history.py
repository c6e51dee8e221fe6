"""Our own earlier posts in a channel, found by their message metadata: a post left pending
by a crash is looked up here before anything is sent again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

HISTORY_PAGES = 5

# From a message's metadata payload, the key it was posted under, or None for another post.
KeyOf = Callable[[dict[str, Any]], str | None]


async def posts_by_metadata(
    client: AsyncWebClient, channel: str, oldest: datetime, event_type: str, key_of: KeyOf
) -> dict[str, str]:
    """key -> ts of the channel's messages since `oldest` whose metadata is of `event_type`
    and names a key (the newest pages first, at most HISTORY_PAGES of them)."""
    found: dict[str, str] = {}
    cursor: str | None = None
    for _ in range(HISTORY_PAGES):
        reply = await client.conversations_history(
            channel=channel,
            oldest=f"{oldest.timestamp():.6f}",
            limit=200,
            include_all_metadata=True,
            cursor=cursor,
        )
        for msg in reply.get("messages") or []:
            meta = msg.get("metadata") or {}
            if meta.get("event_type") != event_type:
                continue
            key = key_of(meta.get("event_payload") or {})
            if key is not None:
                found[key] = str(msg["ts"])
        cursor = (reply.get("response_metadata") or {}).get("next_cursor")
        if not reply.get("has_more") or not cursor:
            break
    return found
