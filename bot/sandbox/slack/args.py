"""Reading a Web API call's arguments the way Slack does, and the argument checks it shares."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request

from bot.sandbox.slack.records import SlackRefusal

# Arguments sent as JSON text in a form body, and the error Slack gives when they do not parse.
_JSON_ARGS = {
    "blocks": "invalid_blocks_format",
    "view": "invalid_arguments",
    "metadata": "invalid_metadata_format",
    "attachments": "invalid_attachments",
}


async def read_args(request: Request) -> dict[str, Any]:
    """Arguments from the query string and a form or JSON body, as slack_sdk sends them."""
    args: dict[str, Any] = dict(request.query_params)
    content_type = request.headers.get("content-type", "")
    raw = await request.body()
    if raw and content_type.startswith("application/json"):
        try:
            body = json.loads(raw)
        except ValueError as exc:
            raise SlackRefusal("invalid_json") from exc
        if not isinstance(body, dict):
            raise SlackRefusal("invalid_json")
        args.update(body)
    elif raw:
        args.update(parse_qsl(raw.decode(), keep_blank_values=True))
    for name, error in _JSON_ARGS.items():
        if isinstance(args.get(name), str):
            try:
                args[name] = json.loads(args[name])
            except ValueError as exc:
                raise SlackRefusal(error) from exc
    return args


def basic_credentials(authorization: str) -> tuple[str, str] | None:
    """(client_id, client_secret) from an `Authorization: Basic ...` header, else None."""
    if not authorization.startswith("Basic "):
        return None
    try:
        decoded = base64.b64decode(authorization.removeprefix("Basic "), validate=True).decode()
    except ValueError:
        return None
    client_id, sep, secret = decoded.partition(":")
    return (client_id, secret) if sep else None


def metadata(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("event_type"), str)
        or not isinstance(value.get("event_payload"), dict)
    ):
        raise SlackRefusal("invalid_metadata_format")
    return {"event_type": value["event_type"], "event_payload": value["event_payload"]}


def truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str | int) and str(value).lower() in ("1", "true"))


def number_arg(args: dict[str, Any], name: str, default: float) -> float:
    try:
        return float(args.get(name) or default)
    except (TypeError, ValueError) as exc:
        raise SlackRefusal("invalid_arguments") from exc


def cursor_ts(cursor: str) -> float:
    """The ts a history cursor points below (the fake's cursors are base64 of a ts)."""
    try:
        return float(base64.b64decode(cursor, validate=True).decode())
    except ValueError as exc:
        raise SlackRefusal("invalid_cursor") from exc
