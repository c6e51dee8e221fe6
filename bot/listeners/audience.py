"""Whose message a click may rewrite.

A list or card shared with `--share`, or a task card posted in a thread, is read by everyone
in the channel: a click by someone else must not turn it into their private tasks, or into
"Connected as ...". The app records who a public message is for (its author) in the
message's metadata when it posts it; the payload's `user.id` says who clicked.
"""

from __future__ import annotations

from typing import Any

SHARED_EVENT = "astravue_shared"


def shared_by(author: str) -> dict[str, Any]:
    """Message metadata naming the Slack user a public message was posted for."""
    return {"event_type": SHARED_EVENT, "event_payload": {"author": author}}


def author_of(body: dict[str, Any]) -> str | None:
    """The author the app recorded on the clicked message, if any."""
    metadata = (body.get("message") or {}).get("metadata")
    if not isinstance(metadata, dict) or metadata.get("event_type") != SHARED_EVENT:
        return None
    payload = metadata.get("event_payload")
    author = payload.get("author") if isinstance(payload, dict) else None
    return author if isinstance(author, str) and author else None


def only_clicker_sees(body: dict[str, Any]) -> bool:
    """What a response_url would replace is the clicker's alone: a command's own replies,
    a view, or an ephemeral message."""
    container = body.get("container")
    if not isinstance(container, dict) or container.get("type") in (None, "view"):
        return True
    return container.get("is_ephemeral") is True


def may_replace(body: dict[str, Any], clicker: str) -> bool:
    """The clicked message may be rewritten for this clicker: only they see it, or the app
    recorded them as its author, or it is an unmarked message in a DM (the app posts those
    only in its own DM with the one person who reads it)."""
    if only_clicker_sees(body):
        return True
    author = author_of(body)
    if author is not None:
        return author == clicker
    channel = str((body.get("container") or {}).get("channel_id") or "")
    return channel.startswith("D")
