"""Signed requests exactly as Slack sends them to `/slack/events`.

Each builder returns `(body, headers)`: slash commands form-encoded with Slack's field names,
interactions form-encoded with one `payload=` JSON field, events as JSON.
"""

from __future__ import annotations

import json
import secrets
import time
from typing import Any
from urllib.parse import urlencode

from bot.sandbox.slack.records import APP_ID, BOT_USER_ID, TEAM_DOMAIN, TEAM_ID
from bot.sandbox.slack_requests.signing import (
    FORM,
    SIGNING_SECRET,
    VERIFICATION_TOKEN,
    Signed,
    channel_name,
    sign,
    user_name,
)


def _user(user_id: str, team_id: str) -> dict[str, str]:
    name = user_name(user_id)
    return {"id": user_id, "username": name, "name": name, "team_id": team_id}


def envelope(kind: str, user_id: str, team_id: str = TEAM_ID) -> dict[str, Any]:
    """Fields every interactive payload carries."""
    return {
        "type": kind,
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "user": _user(user_id, team_id),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "is_enterprise_install": False,
        "enterprise": None,
    }


def interactive(payload: dict[str, Any], signing_secret: str, timestamp: int | None) -> Signed:
    body = urlencode({"payload": json.dumps(payload)}).encode()
    return body, sign(body, FORM, signing_secret=signing_secret, timestamp=timestamp)


def action_ts() -> str:
    return f"{time.time():.6f}"


def slash_command(
    text: str,
    *,
    user_id: str,
    trigger_id: str,
    response_url: str,
    team_id: str = TEAM_ID,
    channel_id: str = "C0GENERAL",
    command: str = "/astravue",
    signing_secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
) -> Signed:
    fields = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "team_domain": TEAM_DOMAIN,
        "channel_id": channel_id,
        "channel_name": channel_name(channel_id),
        "user_id": user_id,
        "user_name": user_name(user_id),
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }
    body = urlencode(fields).encode()
    return body, sign(body, FORM, signing_secret=signing_secret, timestamp=timestamp)


def block_action(
    actions: list[dict[str, Any]],
    *,
    user_id: str,
    container: dict[str, Any],
    trigger_id: str,
    message: dict[str, Any] | None = None,
    view: dict[str, Any] | None = None,
    response_url: str | None = None,
    channel_id: str | None = None,
    signing_secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
) -> Signed:
    """A `block_actions` payload: a click in a message (`message`) or in a view (`view`)."""
    payload = envelope("block_actions", user_id)
    payload.update(
        container=container,
        trigger_id=trigger_id,
        actions=actions,
        state={"values": (view or {}).get("state", {}).get("values", {})},
    )
    if message is not None:
        payload["message"] = message
    if view is not None:
        payload["view"] = view
    if channel_id is not None:
        payload["channel"] = {"id": channel_id, "name": channel_name(channel_id)}
    if response_url is not None:
        payload["response_url"] = response_url
    return interactive(payload, signing_secret, timestamp)


def view_submission(
    view: dict[str, Any],
    state_values: dict[str, Any],
    *,
    user_id: str,
    trigger_id: str,
    signing_secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
) -> Signed:
    """A `view_submission`; `state_values` is `view.state.values` ({block_id: {action_id: ...}})."""
    payload = envelope("view_submission", user_id)
    payload.update(
        trigger_id=trigger_id, response_urls=[], view={**view, "state": {"values": state_values}}
    )
    return interactive(payload, signing_secret, timestamp)


def view_closed(
    view: dict[str, Any],
    *,
    user_id: str,
    is_cleared: bool = False,
    signing_secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
) -> Signed:
    payload = envelope("view_closed", user_id)
    payload.update(view=view, is_cleared=is_cleared)
    return interactive(payload, signing_secret, timestamp)


def message_shortcut(
    callback_id: str,
    message: dict[str, Any],
    *,
    user_id: str,
    channel_id: str,
    trigger_id: str,
    response_url: str,
    signing_secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
) -> Signed:
    payload = envelope("message_action", user_id)
    payload.update(
        callback_id=callback_id,
        trigger_id=trigger_id,
        response_url=response_url,
        message=message,
        message_ts=message.get("ts"),
        action_ts=action_ts(),
        channel={"id": channel_id, "name": channel_name(channel_id)},
    )
    return interactive(payload, signing_secret, timestamp)


def block_suggestion(
    action_id: str,
    value: str,
    *,
    user_id: str,
    view: dict[str, Any] | None = None,
    block_id: str | None = None,
    channel_id: str = "C0GENERAL",
    signing_secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
) -> Signed:
    """An options request of an external_select, typed in a view (or in a message)."""
    payload = envelope("block_suggestion", user_id)
    payload.update(action_id=action_id, block_id=block_id or "", value=value, action_ts=action_ts())
    if view is not None:
        payload.update(view=view, container={"type": "view", "view_id": view.get("id")})
    else:
        payload.update(
            container={"type": "message", "channel_id": channel_id},
            channel={"id": channel_id, "name": channel_name(channel_id)},
        )
    return interactive(payload, signing_secret, timestamp)


def event_callback(
    event: dict[str, Any],
    *,
    event_id: str | None = None,
    team_id: str = TEAM_ID,
    retry_num: int | None = None,
    retry_reason: str | None = None,
    signing_secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
) -> Signed:
    """An Events API delivery; a retry carries `x-slack-retry-num` and `-reason` headers."""
    envelope = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{secrets.token_hex(5).upper()}",
        "event_time": int(time.time()),
        "is_ext_shared_channel": False,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
    }
    body = json.dumps(envelope).encode()
    headers = sign(body, "application/json", signing_secret=signing_secret, timestamp=timestamp)
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
    return body, headers
