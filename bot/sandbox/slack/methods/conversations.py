"""conversations.open (1:1 DMs) and conversations.history."""

from __future__ import annotations

import base64
import math
from typing import Any

from bot.sandbox.slack.args import cursor_ts, number_arg, truthy
from bot.sandbox.slack.records import SlackRefusal
from bot.sandbox.slack.registry import register
from bot.sandbox.slack.state import SlackWorkspace

HISTORY_MAX_LIMIT = 999


def conversations_open(workspace: SlackWorkspace, args: dict[str, Any]) -> dict[str, Any]:
    users = args.get("users")
    if isinstance(users, str):
        users = [u for u in users.split(",") if u]
    if not users:
        raise SlackRefusal("not_enough_users")
    if len(users) > 1:
        raise SlackRefusal("too_many_users")  # the sandbox models 1:1 DMs only
    return {"channel": {"id": workspace.dm_channel(workspace.user(users[0]).id)}}


def conversations_history(workspace: SlackWorkspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = workspace.resolve_channel(args.get("channel"))
    limit = min(int(number_arg(args, "limit", 100)), HISTORY_MAX_LIMIT)
    inclusive = truthy(args.get("inclusive"))
    oldest = number_arg(args, "oldest", 0.0)
    latest = number_arg(args, "latest", math.inf)
    if args.get("cursor"):
        latest, inclusive = cursor_ts(str(args["cursor"])), False

    def in_range(ts: float) -> bool:
        if inclusive:
            return oldest <= ts <= latest
        return oldest < ts < latest

    top_level = [
        m
        for m in reversed(workspace.messages.get(channel, []))
        if m.thread_ts in (None, m.ts) and in_range(float(m.ts))
    ]
    page, rest = top_level[:limit], top_level[limit:]
    with_metadata = truthy(args.get("include_all_metadata"))
    next_cursor = base64.b64encode(page[-1].ts.encode()).decode() if rest else ""
    return {
        "messages": [m.as_slack(with_metadata=with_metadata) for m in page],
        "has_more": bool(rest),
        "response_metadata": {"next_cursor": next_cursor},
    }


register("conversations.open", conversations_open)
register("conversations.history", conversations_history)
