"""The fake Slack workspace T0ACME: users, channels, views, issued ids, and what was recorded.

Web API method handlers (`methods/`) act on a `SlackWorkspace`; the helpers here are the
checks several methods share, each raising the refusal Slack answers.
"""

from __future__ import annotations

import asyncio
import copy
import random
import secrets
import time
from collections.abc import Callable
from typing import Any, Literal, TypeVar, cast

from bot.sandbox.blockkit import validate_message, validate_view
from bot.sandbox.faults import Faults
from bot.sandbox.slack.pacing import Bucket
from bot.sandbox.slack.records import (
    APP_ID,
    BOT_ID,
    BOT_TOKEN,
    SEED_USERS,
    TEAM_ID,
    Ephemeral,
    Message,
    ResponsePost,
    ResponseUrl,
    SlackCall,
    SlackRefusal,
    SlackUser,
    Trigger,
)

TRIGGER_TTL = 3.0
MODAL_STACK_MAX = 3
T = TypeVar("T")
# Fields Slack fills in on a stored view when the app leaves them out.
_VIEW_DEFAULTS: dict[str, Any] = {
    "private_metadata": "",
    "callback_id": "",
    "external_id": "",
    "clear_on_close": False,
    "notify_on_close": False,
}
_VIEW_FIXED = (
    "id",
    "team_id",
    "app_id",
    "bot_id",
    "app_installed_team_id",
    "root_view_id",
    "previous_view_id",
)


class SlackWorkspace:
    """State of the fake workspace, its knobs, and the inspection helpers tests use."""

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
        # Channels the bot is a member of: None is every channel (the default); a set limits
        # chat.postMessage and chat.postEphemeral to those (`not_in_channel` elsewhere). The
        # bot's own DMs are always open to it.
        self.bot_channels: set[str] | None = None
        # Which team a bot token belongs to (None: Slack answers invalid_auth). A fake of
        # Slack's OAuth replaces it to accept the tokens it issues to several workspaces.
        self.token_team: Callable[[str], str | None] = self._own_token_team

        self.users: dict[str, SlackUser] = {u.id: copy.copy(u) for u in SEED_USERS}
        self.calls: list[SlackCall] = []
        self.violations: list[str] = []
        self.responses: list[ResponsePost] = []
        self.rate_limited = 0
        self.early_posts = 0
        self.retry_after_ends: dict[str, float] = {}

        self.messages: dict[str, list[Message]] = {}
        self.ephemerals: list[Ephemeral] = []
        self.triggers: dict[str, Trigger] = {}
        self.response_urls: dict[str, ResponseUrl] = {}
        self.views: dict[str, dict[str, Any]] = {}
        self.stacks: dict[str | None, list[str]] = {}
        self.homes: dict[str, str] = {}
        self.channel_buckets: dict[str, Bucket] = {}
        self.workspace_bucket: Bucket | None = None
        self._last_ts = 0.0
        self._extensions: dict[Callable[[SlackWorkspace], Any], Any] = {}

    # ---- issuing and directory ----------------------------------------------------------

    def new_trigger_id(self, user_id: str | None = None) -> str:
        """A trigger_id as Slack puts in an interaction payload: 3 s, single use.

        `user_id` is whose modal stack `views.open` fills (None: an anonymous stack).
        """
        trigger_id = f"{int(self.wall_clock())}.{len(self.triggers) + 1}.{secrets.token_hex(16)}"
        self.triggers[trigger_id] = Trigger(user_id, self.clock())
        return trigger_id

    def new_response_url(self, channel: str, user: str, message_ts: str | None = None) -> str:
        """An absolute response_url for an interaction by `user` in `channel`.

        `message_ts` names the message the interaction came from (for replace/delete_original).
        """
        opaque = secrets.token_urlsafe(24)
        self.response_urls[opaque] = ResponseUrl(channel, user, message_ts, self.clock())
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

    def _own_token_team(self, token: str) -> str | None:
        return TEAM_ID if secrets.compare_digest(token.encode(), self.bot_token.encode()) else None

    @staticmethod
    def dm_channel(user_id: str) -> str:
        """The stable DM channel id between the bot and a user (U0MARIA -> D0MARIA)."""
        return "D" + user_id[1:]

    def extension(self, kind: Callable[[SlackWorkspace], T]) -> T:
        """The state a feature's fake methods keep on this workspace: one `kind(self)`, made on
        first use (e.g. `UnfurlLedger.of(workspace)`, the links shared for chat.unfurl)."""
        if kind not in self._extensions:
            self._extensions[kind] = kind(self)
        return cast(T, self._extensions[kind])

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
        return list(self.messages.get(channel, []))

    def dm_messages(self, user_id: str) -> list[Message]:
        return self.messages_in(self.dm_channel(user_id))

    def find_message(self, ts: str) -> Message | None:
        """The channel message with this ts (ts values are unique across channels here)."""
        for messages in self.messages.values():
            for message in messages:
                if message.ts == ts:
                    return message
        return None

    def ephemerals_for(self, user_id: str) -> list[Ephemeral]:
        return [e for e in self.ephemerals if e.user == user_id]

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        view_id = self.homes.get(user_id)
        return copy.deepcopy(self.views[view_id]) if view_id else None

    def open_views(self, user_id: str | None) -> list[dict[str, Any]]:
        """The user's modal stack, bottom first."""
        return [copy.deepcopy(self.views[v]) for v in self.stacks.get(user_id, [])]

    def close_views(self, user_id: str | None) -> None:
        """The user closed the modal (the X)."""
        self.stacks.pop(user_id, None)

    # ---- shared checks and ids ----------------------------------------------------------

    def next_ts(self) -> str:
        """A message ts: wall-clock seconds with 6 decimals, strictly increasing."""
        value = max(self.wall_clock(), self._last_ts + 0.000001)
        self._last_ts = value
        return f"{value:.6f}"

    def check_blocks(self, method: str, violations: list[str]) -> None:
        if not violations:
            return
        self.violations.extend(f"{method}: {v}" for v in violations)
        if self.strict:
            raise SlackRefusal("invalid_blocks", violations=violations)

    def resolve_channel(self, channel: Any) -> str:
        if not isinstance(channel, str) or not channel:
            raise SlackRefusal("channel_not_found")
        if channel[0] in "UW":
            if channel not in self.users:
                raise SlackRefusal("channel_not_found")
            return self.dm_channel(channel)
        return channel

    def require_member(self, channel: str) -> None:
        if (
            self.bot_channels is not None
            and not channel.startswith("D")
            and channel not in self.bot_channels
        ):
            raise SlackRefusal("not_in_channel")

    def user(self, user_id: Any) -> SlackUser:
        user = self.users.get(user_id) if isinstance(user_id, str) else None
        if user is None:
            raise SlackRefusal("user_not_found")
        return user

    def message_content(
        self, method: str, args: dict[str, Any], *, require: bool = True
    ) -> tuple[str, list[dict[str, Any]] | None]:
        text = args.get("text")
        blocks = args.get("blocks")
        if require and not text and not blocks and not args.get("attachments"):
            raise SlackRefusal("no_text")
        self.check_blocks(method, validate_message({"text": text, "blocks": blocks}))
        return (str(text) if text is not None else ""), blocks

    def find(self, channel: str, ts: Any) -> Message:
        for message in self.messages.get(channel, []):
            if message.ts == ts:
                return message
        raise SlackRefusal("message_not_found")

    # ---- stored views -------------------------------------------------------------------

    def store_view(
        self, view: dict[str, Any], *, root: str | None = None, previous: str | None = None
    ) -> str:
        view_id = "V" + secrets.token_hex(5).upper()
        self.views[view_id] = {
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
        return view_id

    def replace_view(self, view_id: str, view: dict[str, Any]) -> dict[str, Any]:
        old = self.views[view_id]
        stored = {
            **_VIEW_DEFAULTS,
            **copy.deepcopy(view),
            **{k: old[k] for k in _VIEW_FIXED},
            "state": {"values": {}},
            "hash": self._new_hash(),
        }
        self.views[view_id] = stored
        return stored

    def after_view_submission(
        self, user_id: str | None, view_id: str, ack: dict[str, Any] | None
    ) -> None:
        """Apply the app's answer to a view_submission, as Slack does to the modal stack."""
        stack = self.stacks.get(user_id, [])
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
            self.replace_view(view_id, new_view)
        else:
            stack.append(self.store_view(new_view, root=stack[0], previous=stack[-1]))

    def _new_hash(self) -> str:
        return f"{int(self.wall_clock())}.{secrets.token_hex(4)}"
