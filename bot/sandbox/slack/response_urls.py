"""POSTs to a response_url: 5 uses in 30 minutes, ephemeral or in_channel, replace or delete."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from bot.sandbox.blockkit import validate_message
from bot.sandbox.slack.args import metadata, truthy
from bot.sandbox.slack.records import (
    Ephemeral,
    Message,
    ResponsePost,
    ResponseUrl,
    SlackRefusal,
)
from bot.sandbox.slack.state import SlackWorkspace

RESPONSE_URL_TTL = 30 * 60.0
RESPONSE_URL_MAX_USES = 5


async def respond(workspace: SlackWorkspace, opaque: str, request: Request) -> Response:
    record = workspace.response_urls.get(opaque)
    try:
        payload = json.loads(await request.body())
    except ValueError:
        payload = None
    if record is None:
        return PlainTextResponse("no_service", status_code=404)
    if not isinstance(payload, dict):
        return _answer(workspace, record, {}, 400, "invalid_payload")
    if workspace.clock() - record.issued_at > RESPONSE_URL_TTL:
        return _answer(workspace, record, payload, 404, "expired_url")
    if record.uses >= RESPONSE_URL_MAX_USES:
        return _answer(workspace, record, payload, 404, "used_url")
    record.uses += 1
    violations = validate_message(payload)
    if violations:
        workspace.violations.extend(f"response_url: {v}" for v in violations)
        if workspace.strict:
            return _answer(workspace, record, payload, 400, "invalid_blocks")
    try:
        outcome = _apply(workspace, record, payload)
    except SlackRefusal as refusal:  # e.g. malformed metadata
        return _answer(workspace, record, payload, 400, refusal.error)
    return _answer(workspace, record, payload, 200, outcome)


def _answer(
    workspace: SlackWorkspace,
    record: ResponseUrl,
    payload: dict[str, Any],
    status: int,
    outcome: str,
) -> Response:
    workspace.responses.append(
        ResponsePost(record.channel, record.user, payload, workspace.clock(), status, outcome)
    )
    return PlainTextResponse("ok" if status == 200 else outcome, status_code=status)


def _apply(workspace: SlackWorkspace, record: ResponseUrl, payload: dict[str, Any]) -> str:
    text = str(payload.get("text") or "")
    blocks = payload.get("blocks")
    original = _original(workspace, record)
    if truthy(payload.get("delete_original")):
        if isinstance(original, Message):
            workspace.messages[original.channel].remove(original)
        elif original is not None:
            workspace.ephemerals.remove(original)
        return "deleted"
    meta = metadata(payload.get("metadata"))
    if truthy(payload.get("replace_original")) and original is not None:
        original.text, original.blocks = text, blocks
        if isinstance(original, Message) and meta is not None:
            original.metadata = meta
        return "replaced"
    if payload.get("response_type") == "in_channel":
        message = Message(
            record.channel,
            workspace.next_ts(),
            text,
            blocks,
            meta,
            thread_ts=payload.get("thread_ts"),
        )
        workspace.messages.setdefault(record.channel, []).append(message)
        return "in_channel"
    ephemeral = Ephemeral(
        record.channel, record.user, workspace.next_ts(), text, blocks, "response_url"
    )
    workspace.ephemerals.append(ephemeral)
    record.last_ephemeral = ephemeral
    return "ephemeral"


def _original(workspace: SlackWorkspace, record: ResponseUrl) -> Message | Ephemeral | None:
    """The message replace/delete_original acts on: the source message, else the last
    ephemeral this response_url produced (what Slack does for slash command replies)."""
    if record.message_ts is not None:
        source = workspace.find_message(record.message_ts) or next(
            (e for e in workspace.ephemerals if e.ts == record.message_ts), None
        )
        if source is not None:
            return source
    if record.last_ephemeral in workspace.ephemerals:
        return record.last_ephemeral
    return None
