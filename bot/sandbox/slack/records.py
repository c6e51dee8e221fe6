"""What the Slack fake stores and records: users, messages, calls, and the refusal it answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

BOT_TOKEN = "xoxb-sandbox-token"
TEAM_ID = "T0ACME"
TEAM_DOMAIN = "acme"
APP_ID = "A0ASTRAVUE"
BOT_ID = "B0BOT"
BOT_USER_ID = "U0BOT"


class SlackRefusal(Exception):
    """A Slack error answer: `{"ok": false, "error": ...}` (HTTP 200 unless `status` says)."""

    def __init__(
        self,
        error: str,
        *,
        status: int = 200,
        retry_after: int | None = None,
        violations: list[str] | None = None,
    ) -> None:
        super().__init__(error)
        self.error = error
        self.status = status
        self.retry_after = retry_after
        self.violations = violations or []


@dataclass
class SlackCall:
    """One Web API call as the fake saw it (the token is never recorded)."""

    method: str
    args: dict[str, Any]
    at: float
    ok: bool
    error: str | None
    status: int = 200
    violations: list[str] = field(default_factory=list)
    team: str | None = None  # the team whose token made the call


@dataclass
class SlackUser:
    id: str
    name: str
    real_name: str
    email: str | None  # None: Slack sends no profile.email (hidden, or not granted)
    tz: str = "UTC"
    is_bot: bool = False
    locale: str = "en-US"

    def as_slack(self, team_id: str, wall: float, *, with_locale: bool = False) -> dict[str, Any]:
        local = datetime.fromtimestamp(wall, UTC).astimezone(ZoneInfo(self.tz))
        offset = local.utcoffset()
        profile = {"real_name": self.real_name, "display_name": self.name, "team": team_id}
        if self.email is not None:
            profile["email"] = self.email
        found: dict[str, Any] = {"locale": self.locale} if with_locale else {}
        return found | {
            "id": self.id,
            "team_id": team_id,
            "name": self.name,
            "real_name": self.real_name,
            "deleted": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "tz": self.tz,
            "tz_label": local.tzname(),
            "tz_offset": int(offset.total_seconds()) if offset else 0,
            "profile": profile,
        }


SEED_USERS = (
    SlackUser(
        "U0MARIA", "maria", "Maria Lopez", "maria@acme.test", "Europe/Madrid", locale="es-ES"
    ),
    SlackUser("U0DEV", "dev", "Dev Patel", "dev@acme.test", "America/New_York"),
    SlackUser("U0SAM", "sam", "Sam Kim", "sam@acme.test", "Asia/Tokyo", locale="ja-JP"),
    SlackUser("U0GINA", "gina", "Gina Guest", "gina@acme.test", "UTC", locale="en-GB"),
    SlackUser("U0NOBODY", "nobody", "No Body", "nobody@acme.test", "UTC"),
    SlackUser(BOT_USER_ID, "astravue", "Astravue", "bot@acme.test", "UTC", is_bot=True),
)


@dataclass
class Message:
    """A message the bot posted in a channel (or an in_channel response_url reply)."""

    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]] | None = None
    metadata: dict[str, Any] | None = None
    thread_ts: str | None = None
    edited: bool = False

    def as_slack(self, *, with_metadata: bool = True) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "team": TEAM_ID,
            "text": self.text,
            "ts": self.ts,
        }
        if self.blocks is not None:
            body["blocks"] = self.blocks
        if self.thread_ts is not None:
            body["thread_ts"] = self.thread_ts
        if self.edited:
            body["edited"] = {"user": BOT_USER_ID, "ts": self.ts}
        if with_metadata and self.metadata is not None:
            body["metadata"] = self.metadata
        return body


@dataclass
class Ephemeral:
    """A message only `user` sees, from chat.postEphemeral or a response_url."""

    channel: str
    user: str
    ts: str
    text: str
    blocks: list[dict[str, Any]] | None
    via: Literal["chat.postEphemeral", "response_url"]

    def as_slack(self) -> dict[str, Any]:
        body: dict[str, Any] = {"type": "message", "text": self.text, "ts": self.ts}
        if self.blocks is not None:
            body["blocks"] = self.blocks
        return body


@dataclass
class ResponsePost:
    """One POST to a response_url and what the fake did with it."""

    channel: str
    user: str
    payload: dict[str, Any]
    at: float
    status: int
    outcome: str  # "ephemeral", "in_channel", "replaced", "deleted" or Slack's error text


@dataclass
class ResponseUrl:
    channel: str
    user: str
    message_ts: str | None
    issued_at: float
    uses: int = 0
    last_ephemeral: Ephemeral | None = None


@dataclass
class Trigger:
    user: str | None
    issued_at: float
    used: bool = False
