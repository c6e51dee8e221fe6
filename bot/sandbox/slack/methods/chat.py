"""chat.postMessage (with Slack's pacing), chat.postEphemeral, update, delete, getPermalink."""

from __future__ import annotations

import math
from typing import Any

from bot.sandbox.slack.args import metadata
from bot.sandbox.slack.pacing import WORKSPACE, Bucket
from bot.sandbox.slack.records import TEAM_DOMAIN, Ephemeral, Message, SlackRefusal
from bot.sandbox.slack.registry import register
from bot.sandbox.slack.state import SlackWorkspace


def chat_post_message(workspace: SlackWorkspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = workspace.resolve_channel(args.get("channel"))
    workspace.require_member(channel)
    _pace_post_message(workspace, channel)
    text, blocks = workspace.message_content("chat.postMessage", args)
    meta = metadata(args.get("metadata"))
    thread_ts = args.get("thread_ts")
    message = Message(
        channel, workspace.next_ts(), text, blocks, meta, str(thread_ts) if thread_ts else None
    )
    workspace.messages.setdefault(channel, []).append(message)
    return {"channel": channel, "ts": message.ts, "message": message.as_slack()}


def _pace_post_message(workspace: SlackWorkspace, channel: str) -> None:
    """Slack's chat.postMessage limits: ~1/s per channel, a workspace budget, Retry-After."""
    now = workspace.clock()
    ends = workspace.retry_after_ends
    blocked_until = max(ends.get(channel, 0.0), ends.get(WORKSPACE, 0.0))
    if now < blocked_until:
        workspace.early_posts += 1
        raise SlackRefusal(
            "ratelimited", status=429, retry_after=max(1, math.ceil(blocked_until - now))
        )
    scoped = channel if workspace.retry_after_scope == "channel" else WORKSPACE
    if workspace.post_message_429_rate and workspace.rng.random() < workspace.post_message_429_rate:
        _rate_limit(workspace, scoped, now, workspace.post_message_retry_after)
    channel_bucket = workspace.channel_buckets.setdefault(
        channel, Bucket(workspace.channel_burst, now)
    )
    if workspace.workspace_bucket is None:
        workspace.workspace_bucket = Bucket(workspace.workspace_burst, now)
    workspace_bucket = workspace.workspace_bucket
    channel_wait = channel_bucket.wait(now, workspace.channel_per_second, workspace.channel_burst)
    workspace_wait = workspace_bucket.wait(
        now, workspace.workspace_per_minute / 60, workspace.workspace_burst
    )
    if workspace_wait:
        _rate_limit(workspace, WORKSPACE, now, math.ceil(workspace_wait))
    if channel_wait:
        _rate_limit(workspace, scoped, now, math.ceil(channel_wait))
    channel_bucket.take()
    workspace_bucket.take()


def _rate_limit(workspace: SlackWorkspace, key: str, now: float, retry_after: int) -> None:
    retry_after = max(1, retry_after)
    ends = workspace.retry_after_ends
    ends[key] = max(ends.get(key, 0.0), now + retry_after)
    raise SlackRefusal("ratelimited", status=429, retry_after=retry_after)


def chat_post_ephemeral(workspace: SlackWorkspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = workspace.resolve_channel(args.get("channel"))
    workspace.require_member(channel)
    user = workspace.user(args.get("user"))
    text, blocks = workspace.message_content("chat.postEphemeral", args)
    ephemeral = Ephemeral(channel, user.id, workspace.next_ts(), text, blocks, "chat.postEphemeral")
    workspace.ephemerals.append(ephemeral)
    return {"message_ts": ephemeral.ts}


def chat_update(workspace: SlackWorkspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = workspace.resolve_channel(args.get("channel"))
    message = workspace.find(channel, args.get("ts"))
    text, blocks = workspace.message_content("chat.update", args, require=False)
    if "text" in args:
        message.text = text
    if "blocks" in args:
        message.blocks = blocks
    if "metadata" in args:
        message.metadata = metadata(args["metadata"])
    message.edited = True
    return {
        "channel": channel,
        "ts": message.ts,
        "text": message.text,
        "message": message.as_slack(),
    }


def chat_delete(workspace: SlackWorkspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = workspace.resolve_channel(args.get("channel"))
    message = workspace.find(channel, args.get("ts"))
    workspace.messages[channel].remove(message)
    return {"channel": channel, "ts": message.ts}


def chat_get_permalink(workspace: SlackWorkspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = workspace.resolve_channel(args.get("channel"))
    message = workspace.find(channel, args.get("message_ts"))
    return {
        "channel": channel,
        "permalink": f"https://{TEAM_DOMAIN}.slack.com/archives/"
        f"{channel}/p{message.ts.replace('.', '')}",
    }


register("chat.postMessage", chat_post_message)
register("chat.postEphemeral", chat_post_ephemeral)
register("chat.update", chat_update)
register("chat.delete", chat_delete)
register("chat.getPermalink", chat_get_permalink)
