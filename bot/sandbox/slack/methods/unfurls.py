"""The Slack fake's link unfurls: the links Slack saw shared, and `chat.unfurl`.

A test shares links (`share`, which also builds the `link_shared` event Slack would send);
`chat.unfurl` then must name that share the way Slack accepts (`unfurl_id` + `source`, or
`channel` + `ts`), key each unfurl by a URL that was shared, and keep its blocks inside Block
Kit's limits. Every accepted call is recorded (`calls`) for assertions; a `user_auth_required`
call is the authentication prompt Slack would show the sharer.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bot.sandbox.blockkit import validate_message
from bot.sandbox.slack.records import SlackRefusal
from bot.sandbox.slack.registry import register
from bot.sandbox.slack.state import SlackWorkspace

SOURCES = ("composer", "conversations_history")


@dataclass
class Share:
    """Links a user shared in a message (or in the composer)."""

    user: str
    channel: str
    ts: str
    urls: list[str]
    source: str
    unfurl_id: str


@dataclass
class Unfurl:
    """One accepted `chat.unfurl` call."""

    share: Share
    unfurls: dict[str, Any] = field(default_factory=dict)
    user_auth_required: bool = False
    user_auth_url: str | None = None
    user_auth_message: str | None = None


class UnfurlLedger:
    """Shares and unfurls of one fake workspace; `chat_unfurl` answers the Web API method."""

    def __init__(self, workspace: SlackWorkspace) -> None:
        self._check_blocks = workspace.check_blocks
        self.shares: list[Share] = []
        self.calls: list[Unfurl] = []

    @classmethod
    def of(cls, workspace: SlackWorkspace) -> UnfurlLedger:
        """The ledger of `workspace` (made on first use)."""
        return workspace.extension(cls)

    def share(
        self,
        user: str,
        urls: list[str],
        *,
        channel: str = "C0GENERAL",
        source: str = "conversations_history",
    ) -> dict[str, Any]:
        """Record a share and return the `link_shared` event Slack sends for it."""
        ts = f"{time.time():.6f}"
        unfurl_id = f"{channel}.{ts}.{secrets.token_hex(16)}"
        shared = Share(
            user, channel if source != "composer" else "COMPOSER", ts, urls, source, unfurl_id
        )
        self.shares.append(shared)
        return {
            "type": "link_shared",
            "channel": shared.channel,
            "is_bot_user_member": True,
            "user": user,
            "message_ts": ts,
            "unfurl_id": unfurl_id,
            "source": source,
            "links": [{"domain": _domain(url), "url": url} for url in urls],
            "event_ts": ts,
        }

    def for_url(self, url: str) -> list[Unfurl]:
        """Accepted calls that unfurled `url` (or prompted its sharer to connect)."""
        return [c for c in self.calls if url in c.unfurls or url in c.share.urls]

    def chat_unfurl(self, args: dict[str, Any]) -> dict[str, Any]:
        shared = self._find(args)
        unfurls = args.get("unfurls")
        if isinstance(unfurls, str):
            try:
                unfurls = json.loads(unfurls)
            except ValueError:
                raise SlackRefusal("invalid_unfurls_format") from None
        auth = str(args.get("user_auth_required", "")).lower() in ("1", "true")
        if unfurls is None and not auth:
            raise SlackRefusal("missing_unfurls")
        if unfurls is not None and not isinstance(unfurls, dict):
            raise SlackRefusal("invalid_unfurls_format")
        for url, unfurl in (unfurls or {}).items():
            if url not in shared.urls:  # Slack: the URL does not appear in the message
                raise SlackRefusal("cannot_unfurl_message")
            if not isinstance(unfurl, dict):
                raise SlackRefusal("invalid_unfurls_format")
            if "blocks" in unfurl:
                self._check_blocks("chat.unfurl", validate_message({"blocks": unfurl["blocks"]}))
        self.calls.append(
            Unfurl(
                shared,
                dict(unfurls or {}),
                auth,
                _text(args.get("user_auth_url")),
                _text(args.get("user_auth_message")),
            )
        )
        return {}

    def _find(self, args: dict[str, Any]) -> Share:
        unfurl_id, source = args.get("unfurl_id"), args.get("source")
        channel, ts = args.get("channel"), args.get("ts")
        if unfurl_id or source:
            if not (unfurl_id and source):
                raise SlackRefusal("invalid_arguments")
            if source not in SOURCES:
                raise SlackRefusal("invalid_source")
            found = [s for s in self.shares if s.unfurl_id == unfurl_id and s.source == source]
            if not found:
                raise SlackRefusal("invalid_unfurl_id")
            return found[0]
        if not channel:
            raise SlackRefusal("missing_channel")
        if not ts:
            raise SlackRefusal("missing_ts")
        if not any(s.channel == channel for s in self.shares):
            raise SlackRefusal("cannot_find_channel")
        found = [s for s in self.shares if s.channel == channel and s.ts == ts]
        if not found:
            raise SlackRefusal("cannot_unfurl_message")
        return found[0]


def _domain(url: str) -> str:
    return urlsplit(url).hostname or ""


def _text(value: Any) -> str | None:
    return str(value) if value is not None else None


def chat_unfurl(workspace: SlackWorkspace, args: dict[str, Any]) -> dict[str, Any]:
    return UnfurlLedger.of(workspace).chat_unfurl(args)


register("chat.unfurl", chat_unfurl)
