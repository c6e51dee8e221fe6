"""What the user sees: settling after an input, new surfaces drawn once, lookups by number."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Awaitable, Callable
from typing import Any

from rich.console import Console
from rich.text import Text

from bot.demo.render import Control, InputField, Style, render_surface
from bot.demo.surfaces import (
    COMMAND_CHANNEL,
    SETTLE_MAX,
    SETTLE_QUIET,
    DemoInputError,
    Form,
    Surface,
)
from bot.sandbox.slack_requests import channel_name
from bot.sandbox.slack_requests.view_state import initial_state
from bot.sandbox.stack import Stack


class Screen:
    """The demo user's screen: surfaces, controls and the open modal's form."""

    def __init__(
        self,
        stack: Stack,
        console: Console,
        *,
        user_id: str = "U0MARIA",
        seed: int = 7,
        tick_notifications: bool = True,
        ask: Callable[[str], Awaitable[str]] | None = None,
    ) -> None:
        self.stack = stack
        self.console = console
        self.user_id = user_id
        self.fake = stack.sandbox.slack
        self.sim = stack.user(user_id)
        self.rng = random.Random(seed)
        self.tick_notifications = tick_notifications  # scripted: poll right after `teammate`
        self.ask = ask  # interactive: prompts for `fill` without arguments
        self.style = Style(
            emoji=True,
            names={u.id: u.name for u in self.fake.users.values()},
            channels={COMMAND_CHANNEL: channel_name(COMMAND_CHANNEL)},
        )
        self.problems = 0
        self.lock = asyncio.Lock()
        self._seen: dict[tuple[str, ...], str] = {}
        self._pending: list[Surface] = []
        self._controls: dict[int, tuple[Surface, Control]] = {}
        self._fields: list[InputField] = []
        self._form: Form | None = None
        self._responses_seen = len(self.fake.responses)
        self._violations_seen = len(self.fake.violations)

    # ---- what the user sees -------------------------------------------------------------

    async def settle(self) -> None:
        """Wait for the app's lazy work: until none is running and the fake is quiet for a
        moment (or a cap). Quiet alone is not enough: on a busy machine a lazy listener can
        take longer than the quiet moment before its first call to Slack."""
        loop = asyncio.get_running_loop()
        start = changed = loop.time()
        last = self._activity()
        while loop.time() - start < SETTLE_MAX:
            await asyncio.sleep(0.05)
            now = self._activity()
            if now != last:
                last, changed = now, loop.time()
            elif loop.time() - changed >= SETTLE_QUIET and not self._lazy_work_running():
                return

    def _lazy_work_running(self) -> bool:
        return any(not task.done() for task in self.stack.runtime.lazy_work)

    def _activity(self) -> tuple[int, int]:
        return len(self.fake.calls), len(self.fake.responses)

    def _surfaces(self) -> list[Surface]:
        found = [
            Surface(
                ("eph", e.ts),
                "Astravue · only visible to you",
                e.as_slack(),
                e.channel,
                ephemeral=True,
            )
            for e in self.fake.ephemerals_for(self.user_id)
        ]
        found += [
            Surface(
                ("msg", m.ts), f"#{channel_name(m.channel)} · Astravue", m.as_slack(), m.channel
            )
            for m in self.fake.messages_in(COMMAND_CHANNEL)
        ]
        found += [
            Surface(("msg", m.ts), "Direct message from Astravue", m.as_slack(), m.channel)
            for m in self.fake.dm_messages(self.user_id)
        ]
        views = self.fake.open_views(self.user_id)
        if views:
            found.append(Surface(("modal", str(views[-1]["id"])), "Modal", views[-1], is_view=True))
        home = self.fake.home_view(self.user_id)
        if home is not None:
            found.append(Surface(("home",), "App Home", home, is_view=True))
        return found

    def show_new(self, *, include_home: bool = False) -> None:
        """Draw every surface that appeared or changed since the last look, numbering controls
        from 1; the numbers then refer to these."""
        current = self._surfaces()
        batch = list(self._pending)
        self._pending.clear()
        for surface in current:
            if surface.key == ("home",) and not include_home:
                continue
            fingerprint = surface.fingerprint()
            before = self._seen.get(surface.key)
            if before != fingerprint:
                if before is not None:
                    surface.title += " (updated)"
                batch.append(surface)
                self._seen[surface.key] = fingerprint
        self._note_gone({s.key for s in current})
        self._report_refusals()
        self._draw(batch)

    def _note_gone(self, present: set[tuple[str, ...]]) -> None:
        for key in [k for k in self._seen if k not in present]:
            del self._seen[key]
            what = "The modal closed." if key[0] == "modal" else "A message was removed."
            self.console.print(Text(f"({what})", style="dim"))
        if self._form is not None and ("modal", self._form.view_id) not in present:
            self._form = None
            self._fields = []

    def _report_refusals(self) -> None:
        for post in self.fake.responses[self._responses_seen :]:
            if post.status != 200 and post.user == self.user_id:
                self.problems += 1
                self.console.print(Text(f"! Slack refused a reply: {post.outcome}", style="red"))
        self._responses_seen = len(self.fake.responses)
        for violation in self.fake.violations[self._violations_seen :]:
            self.problems += 1
            self.console.print(Text(f"! Slack would reject: {violation}", style="red"))
        self._violations_seen = len(self.fake.violations)

    def _draw(self, batch: list[Surface]) -> None:
        number = 1
        controls: dict[int, tuple[Surface, Control]] = {}
        for surface in batch:
            form = self._form_for(surface)
            rendered = render_surface(
                surface.title,
                surface.payload,
                first_number=number,
                style=self.style,
                values=form.shown if form else None,
                border="magenta" if surface.is_view else "blue",
            )
            self.console.print(rendered.renderable)
            controls.update({c.number: (surface, c) for c in rendered.controls})
            number += len(rendered.controls)
            if form is not None:
                self._fields = rendered.fields
        if controls:
            self._controls = controls

    def _form_for(self, surface: Surface) -> Form | None:
        """The modal's form (kept across views.update; a new modal starts empty)."""
        if surface.key[0] != "modal":
            return None
        if self._form is None or self._form.view_id != surface.key[1]:
            self._form = Form(surface.key[1])
        # Like Slack, a value survives views.update only while its input is unchanged.
        present = {
            str(b.get("block_id")): json.dumps(b.get("element"), sort_keys=True)
            for b in surface.payload.get("blocks", [])
            if b.get("type") == "input"
        }
        form = self._form
        for block_id in [b for b in form.state if present.get(b) != form.elements.get(b)]:
            del form.state[block_id]
            form.shown.pop(block_id, None)
        return form

    # ---- lookups ------------------------------------------------------------------------

    def _is_connect(self, element: dict[str, Any]) -> bool:
        """A Connect (or Reconnect) button: a link to the web app's sign-in start."""
        return str(element.get("url") or "").startswith(
            f"{self.stack.app_url}/oauth/astravue/start?"
        )

    def _control(self, arg: str) -> tuple[Surface, Control]:
        if arg.isdecimal():
            if int(arg) not in self._controls:
                raise DemoInputError(f"there is no [{arg}] on screen")
            return self._controls[int(arg)]
        wanted = arg.lower().strip("()[] ")
        for surface, control in self._controls.values():
            if wanted and control.label.lower() == wanted:
                return surface, control
        raise DemoInputError(f"no button labelled {arg!r} on screen")

    def _modal(self) -> Surface:
        views = self.fake.open_views(self.user_id)
        if not views:
            raise DemoInputError("no modal is open")
        return Surface(("modal", str(views[-1]["id"])), "Modal", views[-1], is_view=True)

    def _open_form(self) -> tuple[Form, list[InputField]]:
        modal = self._modal()
        if self._form is None or self._form.view_id != modal.key[1]:
            raise DemoInputError("the open modal has not been shown yet: press Enter")
        return self._form, self._fields

    def _field(self, fields: list[InputField], arg: str) -> tuple[InputField, str]:
        """The field an argument starts with (number, block id or label) and the rest."""
        lowered = arg.lower()
        matches = [
            (name, f)
            for f in fields
            for name in (str(f.number), f.block_id.lower(), f.label.lower())
            if name and (lowered == name or lowered.startswith(name + " "))
        ]
        if not matches:
            names = ", ".join(f.block_id for f in fields) or "none"
            raise DemoInputError(f"no field {arg.split(' ')[0]!r} in this modal (fields: {names})")
        name, entry = max(matches, key=lambda m: len(m[0]))
        value = arg[len(name) :].strip()
        if not value:
            raise DemoInputError(f"what should {entry.label} be? `fill {entry.block_id} <value>`")
        return entry, value

    def _state(self, fields: list[InputField], form: Form) -> dict[str, dict[str, Any]]:
        """`view.state.values` as Slack sends it: initial values, then what the user typed."""
        state = {
            f.block_id: {str(f.element.get("action_id", "")): initial_state(f.element)}
            for f in fields
        }
        state.update(form.state)
        return state

    def _view_state(self, surface: Surface) -> dict[str, dict[str, Any]]:
        if self._form is None or self._form.view_id != surface.key[-1]:
            return {}
        return self._state(self._fields, self._form)
