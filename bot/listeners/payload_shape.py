"""The shape an authentic Slack body must have before Bolt sees it.

Bolt and the listeners index into payloads (`body["actions"][0]["action_id"]`,
`body["view"]["callback_id"]`, `view["state"]["values"]`): a correctly signed body that breaks
those assumptions would raise inside Bolt and answer 500. `check_body` parses the body the
way Bolt will and checks the fields that code relies on; `MalformedBody` carries a short
reason the route answers with 400.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
# Real payloads nest about 15 deep (rich text inside a message inside an event); far more is
# an attack on recursive code (copies, JSON encoders), not a Slack payload.
MAX_DEPTH = 64

_Types = tuple[type, ...]
_TEXT: _Types = (str,)
_OBJECT: _Types = (dict,)
_LIST: _Types = (list,)
_ID: _Types = (str, dict, type(None))  # Slack sends {"id": ...}, a bare id, or null
_TEXT_OR_NULL: _Types = (str, type(None))  # e.g. an empty optional text input's value

# Top-level fields, checked when present.
_TOP: dict[str, _Types] = {
    "type": _TEXT,
    "token": _TEXT,
    "team": _ID,
    "user": _ID,
    "channel": _ID,
    "enterprise": _ID,
    "event": _OBJECT,
    "actions": _LIST,
    "view": _OBJECT,
    "container": _OBJECT,
    "message": _OBJECT,
    "authorizations": _LIST,
    "response_url": _TEXT,
    "response_urls": _LIST,
    "trigger_id": _TEXT,
    "callback_id": _TEXT,
    "action_id": _TEXT,
    "block_id": _TEXT,
    "value": _TEXT,
    "command": _TEXT,
    "text": _TEXT,
    "team_id": _TEXT,
    "user_id": _TEXT,
    "channel_id": _TEXT,
    "api_app_id": _TEXT,
    "event_id": _TEXT,
    "state": _OBJECT,
}
_VIEW: dict[str, _Types] = {
    "id": _TEXT,
    "type": _TEXT,
    "callback_id": _TEXT,
    "private_metadata": _TEXT,
    "hash": _TEXT,
    "blocks": _LIST,
    "state": _OBJECT,
    "root_view_id": _TEXT_OR_NULL,
    "previous_view_id": _TEXT_OR_NULL,
}
# One block_actions action, or one input's submitted value in view.state.values.
_ACTION: dict[str, _Types] = {
    "action_id": _TEXT,
    "block_id": _TEXT,
    "type": _TEXT,
    "value": _TEXT_OR_NULL,
    "selected_option": (dict, type(None)),
    "selected_options": _LIST,
    "selected_date": _TEXT_OR_NULL,
    "selected_time": _TEXT_OR_NULL,
    "selected_user": _TEXT_OR_NULL,
    "selected_users": _LIST,
    "selected_conversation": _TEXT_OR_NULL,
    "selected_channel": _TEXT_OR_NULL,
}
_KINDS: dict[str, tuple[str, ...]] = {  # what each payload type cannot do without
    "block_actions": ("actions",),
    "view_submission": ("view",),
    "view_closed": ("view",),
    "event_callback": ("event",),
    "message_action": ("callback_id",),
    "shortcut": ("callback_id",),
    "block_suggestion": ("action_id",),
}


class MalformedBody(ValueError):
    """An authentic body Bolt cannot handle; the message says what is wrong."""


def check_body(raw: bytes, content_type: str | None) -> dict[str, Any]:
    """The payload Bolt will build from `raw`, once its shape is known to be sound."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedBody("the body is not UTF-8") from None
    media = (content_type or "").split(";")[0].strip().lower()
    if media not in (FORM, JSON):
        raise MalformedBody(
            f"unsupported content type {media or 'none'!r}: Slack sends {FORM} or {JSON}"
        )
    if not text:
        raise MalformedBody("the body is empty")
    if media == JSON or text.startswith("{"):  # how Bolt decides the body is JSON
        payload = _json(text, "the body")
    else:
        fields = dict(parse_qsl(text, keep_blank_values=True))
        if "payload" not in fields:
            return fields  # a slash command: flat text fields
        payload = _json(fields["payload"], "the payload field")
    if not isinstance(payload, dict):
        raise MalformedBody("the payload is not a JSON object")
    _check_depth(payload)
    _check_fields(payload)
    return payload


def _json(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise MalformedBody(f"{where} nests deeper than {MAX_DEPTH} levels") from None
    except ValueError:
        raise MalformedBody(f"{where} is not JSON") from None


def _check_depth(payload: dict[str, Any]) -> None:
    level: list[Any] = [payload]
    for _ in range(MAX_DEPTH):
        level = [
            child
            for node in level
            for child in (node.values() if isinstance(node, dict) else node)
            if isinstance(child, dict | list)
        ]
        if not level:
            return
    raise MalformedBody(f"the payload nests deeper than {MAX_DEPTH} levels")


def _check_fields(payload: dict[str, Any]) -> None:
    _typed(payload, _TOP, "")
    for required in _KINDS.get(str(payload.get("type")), ()):
        if required not in payload:
            raise MalformedBody(f"a {payload['type']} payload needs {required}")
    for field in ("actions", "authorizations", "response_urls"):
        for index, item in enumerate(payload.get(field) or ()):
            if not isinstance(item, dict):
                raise MalformedBody(f"{field}[{index}] is not an object")
    for index, action in enumerate(payload.get("actions") or ()):
        _typed(action, _ACTION, f"actions[{index}].")
        if payload.get("type") == "block_actions" and "action_id" not in action:
            raise MalformedBody(f"actions[{index}] has no action_id")
    if payload.get("type") == "block_actions" and not payload["actions"]:
        raise MalformedBody("a block_actions payload needs at least one action")
    for index, item in enumerate(payload.get("response_urls") or ()):
        _typed(item, {"response_url": _TEXT}, f"response_urls[{index}].")
    if "state" in payload:
        _check_state(payload["state"], "state")
    if "view" in payload:
        _typed(payload["view"], _VIEW, "view.")
        _check_state(payload["view"].get("state") or {}, "view.state")
    if "event" in payload:
        _typed(payload["event"], {"type": _TEXT, "user": _ID, "channel": _ID}, "event.")
        if "type" not in payload["event"]:
            raise MalformedBody("event has no type")


def _check_state(state: dict[str, Any], where: str) -> None:
    """`{"values": {block_id: {action_id: {...}}}}`: what an input submitted."""
    values = state.get("values", {})
    if not isinstance(values, dict):
        raise MalformedBody(f"{where}.values must be an object")
    for block_id, inputs in values.items():
        if not isinstance(inputs, dict):
            raise MalformedBody(f"{where}.values holds a block that is not an object")
        for action_id, value in inputs.items():
            if not isinstance(value, dict):
                raise MalformedBody(f"{where}.values holds an input that is not an object")
            _typed(value, _ACTION, f"{where}.values.{block_id[:40]}.{action_id[:40]}.")


def _typed(node: dict[str, Any], spec: dict[str, _Types], where: str) -> None:
    for key, types in spec.items():
        if key in node and not isinstance(node[key], types):
            expected = " or ".join("null" if t is type(None) else _NAMES[t] for t in types)
            raise MalformedBody(f"{where}{key} must be {expected}")


_NAMES: dict[type, str] = {str: "text", dict: "an object", list: "a list"}
