"""Talking to the app as Slack would: block actions, the sign-in, option picks and searches."""

from __future__ import annotations

import re
import time
from datetime import date, datetime
from datetime import time as clock_time
from typing import Any

from rich.text import Text

from bot.demo.render import SEARCH_ELEMENTS, Control, Element, options_of, plain_text
from bot.demo.screen import Screen
from bot.demo.surfaces import COMMAND_CHANNEL, DemoInputError, Surface, pick
from bot.sandbox.slack_requests import block_action
from bot.sandbox.slack_requests.view_state import STATE_KEYS
from bot.sandbox.stack import SLACK_USERNAMES


class Conversation(Screen):
    """Block actions, the connect flow and choosing values."""

    # ---- talking to the app -------------------------------------------------------------

    async def _act(self, surface: Surface, control: Control, fields: dict[str, Any]) -> None:
        """A block action on `control`, with `fields` (value, selected_option...) as Slack
        sends them."""
        action = {
            "action_id": control.element.get("action_id"),
            "block_id": control.block_id,
            "type": control.kind,
            "action_ts": f"{time.time():.6f}",
            **fields,
        }
        trigger_id = self.fake.new_trigger_id(self.user_id)
        if surface.is_view:
            view = {**surface.payload, "state": {"values": self._view_state(surface)}}
            signed = block_action(
                [action],
                user_id=self.user_id,
                trigger_id=trigger_id,
                container={"type": "view", "view_id": view.get("id")},
                view=view,
                signing_secret=self.sim.signing_secret,
            )
        else:
            channel = surface.channel or COMMAND_CHANNEL
            ts = surface.payload.get("ts")
            signed = block_action(
                [action],
                user_id=self.user_id,
                trigger_id=trigger_id,
                container={
                    "type": "message",
                    "message_ts": ts,
                    "channel_id": channel,
                    "is_ephemeral": surface.ephemeral,
                },
                message=surface.payload,
                channel_id=channel,
                response_url=self.fake.new_response_url(channel, self.user_id, ts),
                signing_secret=self.sim.signing_secret,
            )
        response = await self.sim.post(signed)
        if response.status_code != 200:
            raise DemoInputError(f"the app answered HTTP {response.status_code}")

    async def _follow_connect(self, url: str | None = None) -> None:
        """Do what the user's browser does with the Connect button: sign in at Keycloak."""
        url = url or next(
            (
                c.element.get("url")
                for _, c in self._controls.values()
                if self._is_connect(c.element)
            ),
            None,
        )
        if not url:
            return
        login = SLACK_USERNAMES.get(self.user_id, self.fake.users[self.user_id].name)
        self.console.print(
            Text(
                f"→ Browser: opening the Connect link, signing in to the "
                f"sandbox Keycloak as {login}...",
                style="cyan",
            )
        )
        page = await self.stack.follow_connect(str(url), login)
        title = re.search(r"<title>(.*?)</title>", page.text)
        self.console.print(
            Text(
                f"→ Browser shows: {title.group(1) if title else page.status_code}"
                f" (HTTP {page.status_code})",
                style="cyan",
            )
        )

    async def _choose(
        self, element: Element, typed: str, surface: Surface
    ) -> tuple[dict[str, Any], str]:
        """The action or state fields for `typed` in this element, and what to show for it."""
        kind = str(element.get("type", ""))
        key = STATE_KEYS.get(kind)
        if key is None:
            raise DemoInputError(f"a {kind or 'button'} takes no value: click it")
        parts = [p.strip() for p in typed.split(",")] if key.endswith("s") else [typed]
        if kind in SEARCH_ELEMENTS:
            picked = [await self._search(element, part, surface) for part in parts]
        elif "option" in key:
            picked = [pick(options_of(element), part) for part in parts]
        else:
            picked = [self._scalar(kind, part) for part in parts]
        shown = ", ".join(
            plain_text(p.get("text")) if isinstance(p, dict) else str(p) for p in picked
        )
        value = picked if key.endswith("s") else picked[0]
        return {"type": kind, key: value}, shown

    async def _search(self, element: Element, text: str, surface: Surface) -> dict[str, Any]:
        """Type into an external select: the app's options for `text`, the best one picked."""
        action_id = str(element.get("action_id", ""))
        response = await self.sim.suggest(
            action_id, text, view=surface.payload if surface.is_view else None
        )
        found = options_of(response.json()) if response.content else []
        if not found:
            raise DemoInputError(f"no match for {text!r}")
        choice = next(
            (o for o in found if plain_text(o.get("text")).lower() == text.lower()), found[0]
        )
        self.console.print(Text(f"(searched {text!r}: {len(found)} option(s))", style="dim"))
        return choice

    def _scalar(self, kind: str, typed: str) -> Any:
        try:
            if kind == "datepicker":
                return date.fromisoformat(typed).isoformat()
            if kind == "timepicker":
                return clock_time.fromisoformat(typed).strftime("%H:%M")
            if kind == "datetimepicker":
                return int(datetime.fromisoformat(typed).timestamp())
        except ValueError:
            raise DemoInputError(f"{typed!r} is not a valid {kind} value") from None
        if kind.endswith(("users_select",)):
            return self._user(typed)
        if "conversations" in kind or "channels" in kind:
            return (
                typed
                if typed[:1] in "CD" and typed.isupper()
                else ("C0" + typed.lstrip("#").upper())
            )
        return typed

    def _user(self, typed: str) -> str:
        wanted = typed.lstrip("@").lower()
        for user in self.fake.users.values():
            if wanted in (user.id.lower(), user.name, user.real_name.lower(), user.email):
                return user.id
        raise DemoInputError(f"no Slack user {typed!r} (try @maria, @dev, @sam, @gina)")
