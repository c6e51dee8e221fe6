"""A fake of the Slack Web API and of response_urls that enforces Slack's rules.

It answers the methods this app calls the way Slack does (HTTP 200 with `{"ok": false,
"error": ...}`, or 429 with `Retry-After`), and it enforces what a unit-level mock would let
slip: trigger_ids that die after 3 s and work once, response_urls good for 5 uses in 30 min,
the modal stack limit, `chat.postMessage` pacing per channel and per workspace, and Block Kit
limits (`blockkit.py`). Every call is recorded for assertions. Served under `/slack` of the
combined sandbox: `/api/{method}` and `/respond/{opaque}`.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import json
import math
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.sandbox.blockkit import VIEW_MAX_BYTES, validate_message, validate_view, view_size
from bot.sandbox.faults import FaultMiddleware, Faults

BOT_TOKEN = "xoxb-sandbox-token"
TEAM_ID = "T0ACME"
TEAM_DOMAIN = "acme"
APP_ID = "A0ASTRAVUE"
BOT_ID = "B0BOT"
BOT_USER_ID = "U0BOT"

TRIGGER_TTL = 3.0
RESPONSE_URL_TTL = 30 * 60.0
RESPONSE_URL_MAX_USES = 5
MODAL_STACK_MAX = 3
HISTORY_MAX_LIMIT = 999
_WORKSPACE = "*"  # key of the workspace-wide Retry-After in `retry_after_ends`
# Fields Slack fills in on a stored view when the app leaves them out.
_VIEW_DEFAULTS: dict[str, Any] = {
    "private_metadata": "",
    "callback_id": "",
    "external_id": "",
    "clear_on_close": False,
    "notify_on_close": False,
}
_JSON_ARGS = {
    "blocks": "invalid_blocks_format",
    "view": "invalid_arguments",
    "metadata": "invalid_metadata_format",
    "attachments": "invalid_attachments",
}


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

    def as_slack(self, team_id: str, wall: float) -> dict[str, Any]:
        local = datetime.fromtimestamp(wall, UTC).astimezone(ZoneInfo(self.tz))
        offset = local.utcoffset()
        profile = {"real_name": self.real_name, "display_name": self.name, "team": team_id}
        if self.email is not None:
            profile["email"] = self.email
        return {
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
class _ResponseUrl:
    channel: str
    user: str
    message_ts: str | None
    issued_at: float
    uses: int = 0
    last_ephemeral: Ephemeral | None = None


@dataclass
class _Trigger:
    user: str | None
    issued_at: float
    used: bool = False


@dataclass
class _Bucket:
    """Token bucket whose rate and burst are read at each call, so tests can turn the knobs."""

    tokens: float
    updated: float

    def wait(self, now: float, rate: float, burst: float) -> float:
        """Seconds until one token is available (0 = available now)."""
        self.tokens = min(burst, self.tokens + (now - self.updated) * rate)
        self.updated = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / rate

    def take(self) -> None:
        self.tokens -= 1


class _Refusal(Exception):
    """A Slack error answer: `{"ok": false, "error": ...}`."""

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


_SEED_USERS = (
    SlackUser("U0MARIA", "maria", "Maria Lopez", "maria@acme.test", "Europe/Madrid"),
    SlackUser("U0DEV", "dev", "Dev Patel", "dev@acme.test", "America/New_York"),
    SlackUser("U0SAM", "sam", "Sam Kim", "sam@acme.test", "Asia/Tokyo"),
    SlackUser("U0GINA", "gina", "Gina Guest", "gina@acme.test", "UTC"),
    SlackUser("U0NOBODY", "nobody", "No Body", "nobody@acme.test", "UTC"),
    SlackUser(BOT_USER_ID, "astravue", "Astravue", "bot@acme.test", "UTC", is_bot=True),
)

Handler = Callable[[dict[str, Any]], dict[str, Any]]


class SlackFake:
    """The fake Slack workspace T0ACME: Web API, response_urls, users, channels and views."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        seed: int = 1234,
    ) -> None:
        self.clock = clock
        self.wall_clock = wall_clock
        self.public_base = "http://127.0.0.1/slack"  # set by whoever serves `app`
        self.bot_token = BOT_TOKEN
        self.faults = Faults()
        self.strict = True  # refuse invalid Block Kit (as Slack does) rather than only record it
        # chat.postMessage pacing and the R7 fault knob.
        self.channel_per_second = 1.0
        self.channel_burst = 3
        self.workspace_per_minute = 300
        self.workspace_burst = 30
        self.post_message_429_rate = 0.0
        self.post_message_retry_after = 3
        # "channel": a 429 blocks that channel; "workspace": it blocks chat.postMessage for all.
        self.retry_after_scope: Literal["channel", "workspace"] = "channel"
        self.rng = random.Random(seed)
        # Channels the bot is in (None: all); posts elsewhere get not_in_channel; DMs are open.
        self.bot_channels: set[str] | None = None
        self.token_team: Callable[[str], str | None] = lambda token: (  # slack_oauth: teams
            TEAM_ID if secrets.compare_digest(token.encode(), self.bot_token.encode()) else None
        )

        self.users: dict[str, SlackUser] = {u.id: copy.copy(u) for u in _SEED_USERS}
        self.calls: list[SlackCall] = []
        self.violations: list[str] = []
        self.responses: list[ResponsePost] = []
        self.rate_limited = 0
        self.early_posts = 0
        self.retry_after_ends: dict[str, float] = {}

        self._messages: dict[str, list[Message]] = {}
        self._ephemerals: list[Ephemeral] = []
        self._triggers: dict[str, _Trigger] = {}
        self._response_urls: dict[str, _ResponseUrl] = {}
        self._views: dict[str, dict[str, Any]] = {}
        self._stacks: dict[str | None, list[str]] = {}
        self._homes: dict[str, str] = {}
        self._channel_buckets: dict[str, _Bucket] = {}
        self._workspace_bucket: _Bucket | None = None
        self._last_ts = 0.0
        self._handlers: dict[str, Handler] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "chat.getPermalink": self._chat_get_permalink,
            "conversations.open": self._conversations_open,
            "conversations.history": self._conversations_history,
            "views.open": self._views_open,
            "views.push": self._views_push,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "users.info": self._users_info,
            "users.lookupByEmail": self._users_lookup_by_email,
        }
        routes = [
            Route("/api/{method}", self._api, methods=["GET", "POST"]),
            Route("/respond/{opaque}", self._respond, methods=["POST"]),
        ]
        self.app = FaultMiddleware(Starlette(routes=routes), self.faults)

    # ---- issuing and directory ----------------------------------------------------------

    def new_trigger_id(self, user_id: str | None = None) -> str:
        """A trigger_id as Slack puts in an interaction payload: 3 s, single use.

        `user_id` is whose modal stack `views.open` fills (None: an anonymous stack).
        """
        trigger_id = f"{int(self.wall_clock())}.{len(self._triggers) + 1}.{secrets.token_hex(16)}"
        self._triggers[trigger_id] = _Trigger(user_id, self.clock())
        return trigger_id

    def new_response_url(self, channel: str, user: str, message_ts: str | None = None) -> str:
        """An absolute response_url for an interaction by `user` in `channel`.

        `message_ts` names the message the interaction came from (for replace/delete_original).
        """
        opaque = secrets.token_urlsafe(24)
        self._response_urls[opaque] = _ResponseUrl(channel, user, message_ts, self.clock())
        return f"{self.public_base.rstrip('/')}/respond/{opaque}"

    def add_user(
        self,
        user_id: str,
        *,
        name: str,
        real_name: str,
        email: str | None,
        tz: str = "UTC",
        is_bot: bool = False,
    ) -> SlackUser:
        user = SlackUser(user_id, name, real_name, email, tz, is_bot)
        self.users[user_id] = user
        return user

    @staticmethod
    def dm_channel(user_id: str) -> str:
        """The stable DM channel id between the bot and a user (U0MARIA -> D0MARIA)."""
        return "D" + user_id[1:]

    # ---- inspection helpers for tests and the demo --------------------------------------

    def calls_to(self, method: str) -> list[SlackCall]:
        return [call for call in self.calls if call.method == method]

    async def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109
        predicate: Callable[[SlackCall], bool] | None = None,
    ) -> list[SlackCall]:
        """Wait until `count` calls to `method` (matching `predicate`) were recorded.

        Polls, so it works whichever event loop or thread serves the fake; raises TimeoutError.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            matching = [c for c in self.calls_to(method) if predicate is None or predicate(c)]
            if len(matching) >= count:
                return matching
            if loop.time() >= deadline:
                raise TimeoutError(f"{len(matching)}/{count} calls to {method} after {timeout}s")
            await asyncio.sleep(0.01)

    def messages_in(self, channel: str) -> list[Message]:
        """Messages of a channel, oldest first (thread replies included)."""
        return list(self._messages.get(channel, []))

    def dm_messages(self, user_id: str) -> list[Message]:
        return self.messages_in(self.dm_channel(user_id))

    def find_message(self, ts: str) -> Message | None:
        """The channel message with this ts (ts values are unique across channels here)."""
        for messages in self._messages.values():
            for message in messages:
                if message.ts == ts:
                    return message
        return None

    def ephemerals_for(self, user_id: str) -> list[Ephemeral]:
        return [e for e in self._ephemerals if e.user == user_id]

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        view_id = self._homes.get(user_id)
        return copy.deepcopy(self._views[view_id]) if view_id else None

    def open_views(self, user_id: str | None) -> list[dict[str, Any]]:
        """The user's modal stack, bottom first."""
        return [copy.deepcopy(self._views[v]) for v in self._stacks.get(user_id, [])]

    def close_views(self, user_id: str | None) -> None:
        """The user closed the modal (the X)."""
        self._stacks.pop(user_id, None)

    def after_view_submission(
        self, user_id: str | None, view_id: str, ack: dict[str, Any] | None
    ) -> None:
        """Apply the app's answer to a view_submission, as Slack does to the modal stack."""
        stack = self._stacks.get(user_id, [])
        if view_id not in stack:
            return
        action = (ack or {}).get("response_action")
        if action == "errors":
            return
        if action == "clear":
            stack.clear()
            return
        if action in ("update", "push"):
            self._apply_view_action(stack, view_id, action, (ack or {}).get("view"))
            return
        del stack[stack.index(view_id) :]  # plain ack: this view closes

    def _apply_view_action(
        self, stack: list[str], view_id: str, action: str, new_view: Any
    ) -> None:
        if not isinstance(new_view, dict):
            self.violations.append(f"view_submission {action}: no view in the ack")
            return
        problems = validate_view(new_view)
        if action == "push" and len(stack) >= MODAL_STACK_MAX:
            problems.append("push_limit_reached")
        if problems:
            self.violations.extend(f"view_submission {action}: {p}" for p in problems)
        elif action == "update":
            self._replace_view(view_id, new_view)
        else:
            stack.append(self._store_view(new_view, root=stack[0], previous=stack[-1]))

    # ---- Web API plumbing ---------------------------------------------------------------

    async def _api(self, request: Request) -> Response:
        method = request.path_params["method"]
        args: dict[str, Any] = {}
        try:
            args = await _read_args(request)
            token = args.pop("token", None)
            authorization = request.headers.get("authorization", "")
            if authorization.startswith("Bearer "):
                token = authorization.removeprefix("Bearer ")
            if not token:
                raise _Refusal("not_authed")
            if (team := self.token_team(str(token))) is None:
                raise _Refusal("invalid_auth")
            handler = self._handlers.get(method)
            if handler is None:
                raise _Refusal("unknown_method")
            body = {"ok": True, **handler(args)}
        except _Refusal as refusal:
            return self._refuse(method, args, refusal)
        self.calls.append(SlackCall(method, args, self.clock(), True, None, team=team))
        return JSONResponse(body)

    def _refuse(self, method: str, args: dict[str, Any], refusal: _Refusal) -> Response:
        self.calls.append(
            SlackCall(
                method,
                args,
                self.clock(),
                ok=False,
                error=refusal.error,
                status=refusal.status,
                violations=refusal.violations,
            )
        )
        body: dict[str, Any] = {"ok": False, "error": refusal.error}
        headers: dict[str, str] = {}
        if refusal.violations:
            body["errors"] = refusal.violations
            body["response_metadata"] = {"messages": [f"[ERROR] {v}" for v in refusal.violations]}
        if refusal.retry_after is not None:
            self.rate_limited += 1
            headers["Retry-After"] = str(refusal.retry_after)
        return JSONResponse(body, status_code=refusal.status, headers=headers)

    def _next_ts(self) -> str:
        """A message ts: wall-clock seconds with 6 decimals, strictly increasing."""
        value = max(self.wall_clock(), self._last_ts + 0.000001)
        self._last_ts = value
        return f"{value:.6f}"

    def _check_blocks(self, method: str, violations: list[str]) -> None:
        if not violations:
            return
        self.violations.extend(f"{method}: {v}" for v in violations)
        if self.strict:
            raise _Refusal("invalid_blocks", violations=violations)

    def _resolve_channel(self, channel: Any) -> str:
        if not isinstance(channel, str) or not channel:
            raise _Refusal("channel_not_found")
        if channel[0] in "UW":
            if channel not in self.users:
                raise _Refusal("channel_not_found")
            return self.dm_channel(channel)
        return channel

    def _require_member(self, channel: str) -> None:
        if (
            self.bot_channels is not None
            and not channel.startswith("D")
            and channel not in self.bot_channels
        ):
            raise _Refusal("not_in_channel")

    def _user(self, user_id: Any) -> SlackUser:
        user = self.users.get(user_id) if isinstance(user_id, str) else None
        if user is None:
            raise _Refusal("user_not_found")
        return user

    def _message_content(
        self, method: str, args: dict[str, Any], *, require: bool = True
    ) -> tuple[str, list[dict[str, Any]] | None]:
        text = args.get("text")
        blocks = args.get("blocks")
        if require and not text and not blocks and not args.get("attachments"):
            raise _Refusal("no_text")
        self._check_blocks(method, validate_message({"text": text, "blocks": blocks}))
        return (str(text) if text is not None else ""), blocks

    def _find(self, channel: str, ts: Any) -> Message:
        for message in self._messages.get(channel, []):
            if message.ts == ts:
                return message
        raise _Refusal("message_not_found")

    # ---- chat.* -------------------------------------------------------------------------

    def _auth_test(self, _args: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": f"https://{TEAM_DOMAIN}.slack.com/",
            "team": "Acme",
            "user": "astravue",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _chat_post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(args.get("channel"))
        self._require_member(channel)
        self._pace_post_message(channel)
        text, blocks = self._message_content("chat.postMessage", args)
        metadata = _metadata(args.get("metadata"))
        thread_ts = args.get("thread_ts")
        message = Message(
            channel, self._next_ts(), text, blocks, metadata, str(thread_ts) if thread_ts else None
        )
        self._messages.setdefault(channel, []).append(message)
        return {"channel": channel, "ts": message.ts, "message": message.as_slack()}

    def _pace_post_message(self, channel: str) -> None:
        """Slack's chat.postMessage limits: ~1/s per channel, a workspace budget, Retry-After."""
        now = self.clock()
        blocked_until = max(
            self.retry_after_ends.get(channel, 0.0), self.retry_after_ends.get(_WORKSPACE, 0.0)
        )
        if now < blocked_until:
            self.early_posts += 1
            raise _Refusal(
                "ratelimited", status=429, retry_after=max(1, math.ceil(blocked_until - now))
            )
        if self.post_message_429_rate and self.rng.random() < self.post_message_429_rate:
            self._rate_limit(
                channel if self.retry_after_scope == "channel" else _WORKSPACE,
                now,
                self.post_message_retry_after,
            )
        channel_bucket = self._channel_buckets.setdefault(channel, _Bucket(self.channel_burst, now))
        if self._workspace_bucket is None:
            self._workspace_bucket = _Bucket(self.workspace_burst, now)
        workspace_bucket = self._workspace_bucket
        channel_wait = channel_bucket.wait(now, self.channel_per_second, self.channel_burst)
        workspace_wait = workspace_bucket.wait(
            now, self.workspace_per_minute / 60, self.workspace_burst
        )
        if workspace_wait:
            self._rate_limit(_WORKSPACE, now, math.ceil(workspace_wait))
        if channel_wait:
            key = channel if self.retry_after_scope == "channel" else _WORKSPACE
            self._rate_limit(key, now, math.ceil(channel_wait))
        channel_bucket.take()
        workspace_bucket.take()

    def _rate_limit(self, key: str, now: float, retry_after: int) -> None:
        retry_after = max(1, retry_after)
        self.retry_after_ends[key] = max(self.retry_after_ends.get(key, 0.0), now + retry_after)
        raise _Refusal("ratelimited", status=429, retry_after=retry_after)

    def _chat_post_ephemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(args.get("channel"))
        self._require_member(channel)
        user = self._user(args.get("user"))
        text, blocks = self._message_content("chat.postEphemeral", args)
        ephemeral = Ephemeral(channel, user.id, self._next_ts(), text, blocks, "chat.postEphemeral")
        self._ephemerals.append(ephemeral)
        return {"message_ts": ephemeral.ts}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(args.get("channel"))
        message = self._find(channel, args.get("ts"))
        text, blocks = self._message_content("chat.update", args, require=False)
        if "text" in args:
            message.text = text
        if "blocks" in args:
            message.blocks = blocks
        if "metadata" in args:
            message.metadata = _metadata(args["metadata"])
        message.edited = True
        return {
            "channel": channel,
            "ts": message.ts,
            "text": message.text,
            "message": message.as_slack(),
        }

    def _chat_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(args.get("channel"))
        message = self._find(channel, args.get("ts"))
        self._messages[channel].remove(message)
        return {"channel": channel, "ts": message.ts}

    def _chat_get_permalink(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(args.get("channel"))
        message = self._find(channel, args.get("message_ts"))
        return {
            "channel": channel,
            "permalink": f"https://{TEAM_DOMAIN}.slack.com/archives/"
            f"{channel}/p{message.ts.replace('.', '')}",
        }

    # ---- conversations.* ----------------------------------------------------------------

    def _conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        users = args.get("users")
        if isinstance(users, str):
            users = [u for u in users.split(",") if u]
        if not users:
            raise _Refusal("not_enough_users")
        if len(users) > 1:
            raise _Refusal("too_many_users")  # the sandbox models 1:1 DMs only
        return {"channel": {"id": self.dm_channel(self._user(users[0]).id)}}

    def _conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(args.get("channel"))
        limit = min(int(_number_arg(args, "limit", 100)), HISTORY_MAX_LIMIT)
        inclusive = _truthy(args.get("inclusive"))
        oldest = _number_arg(args, "oldest", 0.0)
        latest = _number_arg(args, "latest", math.inf)
        if args.get("cursor"):
            latest, inclusive = _cursor_ts(str(args["cursor"])), False

        def in_range(ts: float) -> bool:
            if inclusive:
                return oldest <= ts <= latest
            return oldest < ts < latest

        top_level = [
            m
            for m in reversed(self._messages.get(channel, []))
            if m.thread_ts in (None, m.ts) and in_range(float(m.ts))
        ]
        page, rest = top_level[:limit], top_level[limit:]
        with_metadata = _truthy(args.get("include_all_metadata"))
        next_cursor = base64.b64encode(page[-1].ts.encode()).decode() if rest else ""
        return {
            "messages": [m.as_slack(with_metadata=with_metadata) for m in page],
            "has_more": bool(rest),
            "response_metadata": {"next_cursor": next_cursor},
        }

    # ---- views.* ------------------------------------------------------------------------

    def _view_arg(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        view = args.get("view")
        if not isinstance(view, dict):
            raise _Refusal("invalid_arguments")
        if view_size(view) > VIEW_MAX_BYTES:
            raise _Refusal("view_too_large")
        self._check_blocks(method, validate_view(view))
        return view

    def _use_trigger(self, trigger_id: Any) -> _Trigger:
        trigger = self._triggers.get(trigger_id) if isinstance(trigger_id, str) else None
        if trigger is None:
            raise _Refusal("invalid_trigger_id")
        if trigger.used:
            raise _Refusal("exchanged_trigger_id")
        trigger.used = True
        if self.clock() - trigger.issued_at > TRIGGER_TTL:
            raise _Refusal("expired_trigger_id")
        return trigger

    def _store_view(
        self, view: dict[str, Any], *, root: str | None = None, previous: str | None = None
    ) -> str:
        view_id = "V" + secrets.token_hex(5).upper()
        stored = {
            **_VIEW_DEFAULTS,
            **copy.deepcopy(view),
            "id": view_id,
            "team_id": TEAM_ID,
            "app_id": APP_ID,
            "bot_id": BOT_ID,
            "app_installed_team_id": TEAM_ID,
            "state": {"values": {}},
            "hash": self._new_hash(),
            "root_view_id": root or view_id,
            "previous_view_id": previous,
        }
        self._views[view_id] = stored
        return view_id

    def _replace_view(self, view_id: str, view: dict[str, Any]) -> dict[str, Any]:
        old = self._views[view_id]
        fixed = {
            k: old[k]
            for k in (
                "id",
                "team_id",
                "app_id",
                "bot_id",
                "app_installed_team_id",
                "root_view_id",
                "previous_view_id",
            )
        }
        stored = {
            **_VIEW_DEFAULTS,
            **copy.deepcopy(view),
            **fixed,
            "state": {"values": {}},
            "hash": self._new_hash(),
        }
        self._views[view_id] = stored
        return stored

    def _new_hash(self) -> str:
        return f"{int(self.wall_clock())}.{secrets.token_hex(4)}"

    def _views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        view = self._view_arg("views.open", args)
        trigger = self._use_trigger(args.get("trigger_id") or args.get("interactivity_pointer"))
        view_id = self._store_view(view)
        self._stacks[trigger.user] = [view_id]
        return {"view": copy.deepcopy(self._views[view_id])}

    def _views_push(self, args: dict[str, Any]) -> dict[str, Any]:
        view = self._view_arg("views.push", args)
        trigger = self._use_trigger(args.get("trigger_id") or args.get("interactivity_pointer"))
        stack = self._stacks.setdefault(trigger.user, [])
        if len(stack) >= MODAL_STACK_MAX:
            raise _Refusal("push_limit_reached")
        view_id = self._store_view(
            view, root=stack[0] if stack else None, previous=stack[-1] if stack else None
        )
        stack.append(view_id)
        return {"view": copy.deepcopy(self._views[view_id])}

    def _views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        view = self._view_arg("views.update", args)
        view_id = args.get("view_id")
        if not view_id and args.get("external_id"):
            view_id = next(
                (
                    v["id"]
                    for v in self._views.values()
                    if v.get("external_id") == args["external_id"]
                ),
                None,
            )
        if view_id not in self._views:
            raise _Refusal("not_found")
        if args.get("hash") and args["hash"] != self._views[view_id]["hash"]:
            raise _Refusal("hash_conflict")
        return {"view": copy.deepcopy(self._replace_view(view_id, view))}

    def _views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self._user(args.get("user_id"))
        view = self._view_arg("views.publish", args)
        if view.get("type") != "home":
            raise _Refusal("invalid_arguments")
        view_id = self._homes.get(user.id)
        if view_id is None:
            self._homes[user.id] = view_id = self._store_view(view)
            return {"view": copy.deepcopy(self._views[view_id])}
        if args.get("hash") and args["hash"] != self._views[view_id]["hash"]:
            raise _Refusal("hash_conflict")
        return {"view": copy.deepcopy(self._replace_view(view_id, view))}

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"user": self._user(args.get("user")).as_slack(TEAM_ID, self.wall_clock())}

    def _users_lookup_by_email(self, args: dict[str, Any]) -> dict[str, Any]:
        email = str(args.get("email", "")).lower()
        for user in self.users.values():
            if user.email and user.email.lower() == email:
                return {"user": user.as_slack(TEAM_ID, self.wall_clock())}
        raise _Refusal("users_not_found")

    # ---- response_url -------------------------------------------------------------------

    async def _respond(self, request: Request) -> Response:
        record = self._response_urls.get(request.path_params["opaque"])
        try:
            payload = json.loads(await request.body())
        except ValueError:
            payload = None
        if record is None:
            return PlainTextResponse("no_service", status_code=404)
        if not isinstance(payload, dict):
            return self._response_answer(record, {}, 400, "invalid_payload")
        if self.clock() - record.issued_at > RESPONSE_URL_TTL:
            return self._response_answer(record, payload, 404, "expired_url")
        if record.uses >= RESPONSE_URL_MAX_USES:
            return self._response_answer(record, payload, 404, "used_url")
        record.uses += 1
        violations = validate_message(payload)
        if violations:
            self.violations.extend(f"response_url: {v}" for v in violations)
            if self.strict:
                return self._response_answer(record, payload, 400, "invalid_blocks")
        try:
            outcome = self._apply_response(record, payload)
        except _Refusal as refusal:  # e.g. malformed metadata
            return self._response_answer(record, payload, 400, refusal.error)
        return self._response_answer(record, payload, 200, outcome)

    def _response_answer(
        self, record: _ResponseUrl, payload: dict[str, Any], status: int, outcome: str
    ) -> Response:
        self.responses.append(
            ResponsePost(record.channel, record.user, payload, self.clock(), status, outcome)
        )
        return PlainTextResponse("ok" if status == 200 else outcome, status_code=status)

    def _apply_response(self, record: _ResponseUrl, payload: dict[str, Any]) -> str:
        text = str(payload.get("text") or "")
        blocks = payload.get("blocks")
        original = self._original(record)
        if _truthy(payload.get("delete_original")):
            if isinstance(original, Message):
                self._messages[original.channel].remove(original)
            elif original is not None:
                self._ephemerals.remove(original)
            return "deleted"
        metadata = _metadata(payload.get("metadata"))
        if _truthy(payload.get("replace_original")) and original is not None:
            original.text, original.blocks = text, blocks
            if isinstance(original, Message) and metadata is not None:
                original.metadata = metadata
            return "replaced"
        if payload.get("response_type") == "in_channel":
            message = Message(
                record.channel,
                self._next_ts(),
                text,
                blocks,
                metadata,
                thread_ts=payload.get("thread_ts"),
            )
            self._messages.setdefault(record.channel, []).append(message)
            return "in_channel"
        ephemeral = Ephemeral(
            record.channel, record.user, self._next_ts(), text, blocks, "response_url"
        )
        self._ephemerals.append(ephemeral)
        record.last_ephemeral = ephemeral
        return "ephemeral"

    def _original(self, record: _ResponseUrl) -> Message | Ephemeral | None:
        """The message replace/delete_original acts on: the source message, else the last
        ephemeral this response_url produced (what Slack does for slash command replies)."""
        if record.message_ts is not None:
            source = self.find_message(record.message_ts) or next(
                (e for e in self._ephemerals if e.ts == record.message_ts), None
            )
            if source is not None:
                return source
        if record.last_ephemeral in self._ephemerals:
            return record.last_ephemeral
        return None


async def _read_args(request: Request) -> dict[str, Any]:
    """Arguments from the query string and a form or JSON body, as slack_sdk sends them."""
    args: dict[str, Any] = dict(request.query_params)
    content_type = request.headers.get("content-type", "")
    raw = await request.body()
    if raw and content_type.startswith("application/json"):
        try:
            body = json.loads(raw)
        except ValueError as exc:
            raise _Refusal("invalid_json") from exc
        if not isinstance(body, dict):
            raise _Refusal("invalid_json")
        args.update(body)
    elif raw:
        args.update(parse_qsl(raw.decode(), keep_blank_values=True))
    for name, error in _JSON_ARGS.items():
        if isinstance(args.get(name), str):
            try:
                args[name] = json.loads(args[name])
            except ValueError as exc:
                raise _Refusal(error) from exc
    return args


def _metadata(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("event_type"), str)
        or not isinstance(value.get("event_payload"), dict)
    ):
        raise _Refusal("invalid_metadata_format")
    return {"event_type": value["event_type"], "event_payload": value["event_payload"]}


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str | int) and str(value).lower() in ("1", "true"))


def _number_arg(args: dict[str, Any], name: str, default: float) -> float:
    try:
        return float(args.get(name) or default)
    except (TypeError, ValueError) as exc:
        raise _Refusal("invalid_arguments") from exc


def _cursor_ts(cursor: str) -> float:
    """The ts a history cursor points below (the fake's cursors are base64 of a ts)."""
    try:
        return float(base64.b64decode(cursor, validate=True).decode())
    except ValueError as exc:
        raise _Refusal("invalid_cursor") from exc
