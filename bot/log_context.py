"""Who and what a log line is about: the Slack team, user and action, and a request id.

Set once per Slack request (before Bolt's dispatch); the lazy work Bolt starts inherits it,
since asyncio tasks copy the context they are created in. `ContextFilter` copies the fields
onto every record, where the JSON format (bot/log_json.py) writes them out.
"""

from __future__ import annotations

import logging
import uuid
from contextvars import ContextVar
from typing import Any

FIELDS = ("team_id", "user_id", "action", "request_id")
_current: ContextVar[dict[str, str] | None] = ContextVar("astravue_log_fields", default=None)


def _first(*values: Any) -> str:
    return next((str(value) for value in values if value), "")


def slack_request_fields(body: dict[str, Any]) -> dict[str, str]:
    """The ids of a parsed Slack payload: slash command, interaction or event."""
    event = body.get("event") or {}
    team, user, view = body.get("team") or {}, body.get("user") or {}, body.get("view") or {}
    actions = ",".join(a.get("action_id", "") for a in body.get("actions") or [])
    return {
        "team_id": _first(body.get("team_id"), team.get("id") if isinstance(team, dict) else ""),
        "user_id": _first(
            body.get("user_id"),
            user.get("id") if isinstance(user, dict) else "",
            event.get("user") if isinstance(event.get("user"), str) else "",
        ),
        "action": _first(
            body.get("command"),
            view.get("callback_id"),
            actions,
            body.get("callback_id"),
            event.get("type"),
            body.get("type"),
        ),
    }


def bind_slack_request(body: dict[str, Any]) -> None:
    """Tag the rest of this request (and the lazy work it starts) with its ids."""
    _current.set({**slack_request_fields(body), "request_id": uuid.uuid4().hex[:16]})


class ContextFilter(logging.Filter):
    """Puts the current request's fields on each record (never replacing explicit extras)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in (_current.get() or {}).items():
            if value and not hasattr(record, name):
                setattr(record, name, value)
        return True
