"""The demo driver: one simulated Slack user typing into the real app over the sandbox.

Every input becomes what Slack would send (signed slash commands, block actions, view
submissions, suggestions, events) through `SlackClientSim`; what the app then shows the user
is read back from the Slack fake and drawn with `bot.demo.render`.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import json
import random
import re
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from bot.db.session import upgrade
from bot.demo.render import (
    SEARCH_ELEMENTS,
    Control,
    Element,
    InputField,
    Style,
    options_of,
    plain_text,
    render_surface,
)
from bot.listeners.router import GRAMMAR
from bot.sandbox.slack_requests import block_action, channel_name
from bot.sandbox.stack import SLACK_USERNAMES, Stack, start_stack
from bot.ui.ids import Action

SETTLE_QUIET = 0.3  # the app is done when no lazy work runs and the fake saw nothing new
SETTLE_MAX = 15.0  # for this long, or after this long (a loaded machine is slow)
COMMAND_CHANNEL = "C0GENERAL"
NOTIFY_POLL_SECONDS = 5
CONNECT_WORDS = frozenset(w for s in GRAMMAR if s.path == "connect" for w in (s.path, *s.aliases))
INPUTS_HELP = (
    "Inputs: /astravue <command> · click <n|label> · select <n> <option|value> · "
    "fill <field> <value> · submit · close · home · teammate · wait <seconds> · "
    "Enter (show what is new) · quit"
)
# Where each element keeps its value in `view.state.values` (and in a block action).
STATE_KEYS = {
    "plain_text_input": "value",
    "number_input": "value",
    "email_text_input": "value",
    "url_text_input": "value",
    "datepicker": "selected_date",
    "timepicker": "selected_time",
    "datetimepicker": "selected_date_time",
    "static_select": "selected_option",
    "external_select": "selected_option",
    "radio_buttons": "selected_option",
    "overflow": "selected_option",
    "multi_static_select": "selected_options",
    "multi_external_select": "selected_options",
    "checkboxes": "selected_options",
    "users_select": "selected_user",
    "multi_users_select": "selected_users",
    "conversations_select": "selected_conversation",
    "multi_conversations_select": "selected_conversations",
    "channels_select": "selected_channel",
    "multi_channels_select": "selected_channels",
}


class DemoInputError(Exception):
    """The demo input cannot be done (no such button, a bad value): told, then the demo goes on."""


@dataclass
class Surface:
    """Something Slack shows the user: a message, the top modal or the App Home."""

    key: tuple[str, ...]
    title: str
    payload: dict[str, Any]
    channel: str | None = None
    is_view: bool = False
    ephemeral: bool = False

    def fingerprint(self) -> str:
        return json.dumps(self.payload, sort_keys=True, default=str)


@dataclass
class _Form:
    """What the user typed into the open modal so far."""

    view_id: str
    state: dict[str, dict[str, Any]] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)
    elements: dict[str, str] = field(default_factory=dict)  # what each typed value was for


def scheduler_available() -> bool:
    return importlib.util.find_spec("bot.scheduler") is not None


def notifications_available() -> bool:
    return importlib.util.find_spec("bot.services.notifications") is not None


@asynccontextmanager
async def running_stack(*, poll_notifications: bool) -> AsyncIterator[Stack]:
    """Sandbox + app on free loopback ports over a fresh, migrated temporary SQLite database.

    With `poll_notifications` (interactive mode) the notification scheduler runs when built.
    """
    with tempfile.TemporaryDirectory(prefix="astravue-demo-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'demo.db'}"
        await asyncio.to_thread(upgrade, url)
        polling = poll_notifications and scheduler_available()
        stack = await start_stack(
            url, scheduler_enabled=polling, notify_poll_seconds=NOTIFY_POLL_SECONDS
        )
        scheduler = None
        try:
            if polling:
                scheduler = importlib.import_module("bot.scheduler").start_scheduler(stack.runtime)
            yield stack
        finally:
            if scheduler is not None:
                scheduler.shutdown(wait=False)
            await stack.stop()


class DemoSession:
    """Plays one Slack user; `handle(line)` runs one input and prints what the user now sees."""

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
        self.style = Style(emoji=True, names={u.id: u.name for u in self.fake.users.values()})
        self.problems = 0
        self.lock = asyncio.Lock()
        self._seen: dict[tuple[str, ...], str] = {}
        self._pending: list[Surface] = []
        self._controls: dict[int, tuple[Surface, Control]] = {}
        self._fields: list[InputField] = []
        self._form: _Form | None = None
        self._responses_seen = len(self.fake.responses)
        self._violations_seen = len(self.fake.violations)
        self._verbs: dict[str, Callable[[str], Awaitable[None]]] = {
            "click": self._click,
            "select": self._select,
            "fill": self._fill,
            "submit": self._submit,
            "close": self._close,
            "home": self._home,
            "teammate": self._teammate,
            "wait": self._wait,
            "help": self._help,
        }

    # ---- inputs -------------------------------------------------------------------------

    async def handle(self, line: str) -> None:
        line = line.strip()
        verb, _, rest = line.partition(" ")
        try:
            if line.startswith("/"):
                await self._command(line)
            elif line:
                handler = self._verbs.get(verb.lower())
                if handler is None:
                    raise DemoInputError(f"I don't understand {verb!r}. {INPUTS_HELP}")
                await handler(rest.strip())
        except DemoInputError as exc:
            self.problems += 1
            self.console.print(Text(f"! {exc}", style="bold red"))
            return
        await self.settle()
        self.show_new(include_home=verb.lower() == "home")

    async def _command(self, line: str) -> None:
        command, _, text = line.partition(" ")
        response = await self.sim.command(text.strip(), command=command, channel_id=COMMAND_CHANNEL)
        if response.status_code != 200:
            raise DemoInputError(f"the app answered HTTP {response.status_code}")
        if response.content and response.headers.get("content-type", "").startswith(
            "application/json"
        ):
            self._pending.append(
                Surface(
                    ("ack", str(time.time())),
                    "Astravue · only visible to you",
                    response.json(),
                    COMMAND_CHANNEL,
                    ephemeral=True,
                )
            )
        elif response.text.strip():
            self._pending.append(
                Surface(
                    ("ack", str(time.time())),
                    "Astravue · only visible to you",
                    {"text": response.text},
                    COMMAND_CHANNEL,
                    ephemeral=True,
                )
            )
        if text.strip().split(" ")[0].lower() in CONNECT_WORDS:
            await self.settle()
            self.show_new()
            await self._follow_connect()

    async def _click(self, arg: str) -> None:
        surface, control = self._control(arg)
        element = control.element
        if control.kind != "button":
            raise DemoInputError(
                f"[{control.number}] is a {control.kind}: select {control.number} <choice>"
            )
        dialog = element.get("confirm")
        if isinstance(dialog, dict):
            self.console.print(
                Text(
                    f"(Slack asks: {plain_text(dialog.get('title'))} "
                    f"{plain_text(dialog.get('text'))} → "
                    f"{plain_text(dialog.get('confirm')) or 'Yes'})",
                    style="dim",
                )
            )
        if element.get("url") and element.get("action_id") == Action.CONNECT:
            await self._act(surface, control, {})
            await self._follow_connect(str(element["url"]))
            return
        if element.get("url"):
            self.console.print(Text(f"→ (your browser opens {element['url']})", style="dim"))
        fields = {"value": element["value"]} if "value" in element else {}
        await self._act(surface, control, fields)

    async def _select(self, arg: str) -> None:
        number, _, choice = arg.partition(" ")
        if not choice.strip():
            raise DemoInputError("select needs a number and a choice, e.g. `select 2 1`")
        surface, control = self._control(number)
        value, _ = await self._choose(control.element, choice.strip(), surface)
        await self._act(surface, control, value)

    async def _fill(self, arg: str) -> None:
        form, fields = self._open_form()
        if not arg:
            if self.ask is None:
                raise DemoInputError("fill needs a field and a value, e.g. `fill title Buy milk`")
            for entry in fields:
                typed = (await self.ask(f"{entry.label} [{entry.block_id}]")).strip()
                if typed:
                    await self._fill_one(form, entry, typed)
            return
        entry, value = self._field(fields, arg)
        await self._fill_one(form, entry, value)

    async def _fill_one(self, form: _Form, entry: InputField, typed: str) -> None:
        modal = self._modal()
        value, shown = await self._choose(entry.element, typed, modal)
        form.state[entry.block_id] = {str(entry.element.get("action_id", "")): value}
        form.shown[entry.block_id] = shown
        form.elements[entry.block_id] = json.dumps(entry.element, sort_keys=True)
        self.console.print(Text(f"✎ {entry.label}: {shown}", style="green"))

    async def _submit(self, _arg: str) -> None:
        form, fields = self._open_form()
        modal = self._modal()
        if not modal.payload.get("submit"):
            raise DemoInputError("this modal has no submit button; `close` closes it")
        state = self._state(fields, form)
        for entry in fields:
            if not entry.optional and not _has_value(state[entry.block_id]):
                raise DemoInputError(f"{entry.label} is required: fill {entry.block_id} <value>")
        response = await self.sim.submit(modal.payload, state)
        ack = response.json() if response.content else {}
        if response.status_code != 200:
            raise DemoInputError(f"the app answered HTTP {response.status_code}")
        if ack.get("response_action") == "errors":
            labels = {f.block_id: f.label for f in fields}
            for block_id, problem in ack.get("errors", {}).items():
                self.console.print(
                    Text(f"! {labels.get(block_id, block_id)}: {problem}", style="bold red")
                )

    async def _close(self, _arg: str) -> None:
        modal = self._modal()
        await self.sim.dismiss(modal.payload)

    async def _home(self, _arg: str) -> None:
        await self.sim.event(
            {
                "type": "app_home_opened",
                "user": self.user_id,
                "tab": "home",
                "channel": self.fake.dm_channel(self.user_id),
                "event_ts": f"{time.time():.6f}",
            }
        )
        self._seen.pop(("home",), None)  # asked for: shown even when unchanged

    async def _teammate(self, _arg: str) -> None:
        email = self.fake.users[self.user_id].email
        state = self.stack.sandbox.astravue
        target = next((u for u in state.users.values() if u.email == email), None)
        if target is None:
            raise DemoInputError(f"{email} has no Astravue account, so no teammate can ping you")
        happened = state.simulate_teammate_activity(target.user_id, self.rng)
        self.console.print(Text(f"↯ Meanwhile in Astravue: {happened}", style="magenta"))
        if not notifications_available():
            self.console.print(
                Text(
                    "(notifications are not available in this build yet: the "
                    "notification poller is missing)",
                    style="dim",
                )
            )
        elif self.tick_notifications:
            await self._poll_notifications()
        elif scheduler_available():
            self.console.print(
                Text(
                    f"(the poller checks every {NOTIFY_POLL_SECONDS} s; press "
                    "Enter to see new DMs)",
                    style="dim",
                )
            )

    async def _poll_notifications(self) -> None:
        """One poll of the user's notifications, as the scheduler would run it: a link polled
        less than the poll interval ago is not due yet, so wait until it is."""
        service = self.stack.runtime.services.poller
        for _ in range(2 * NOTIFY_POLL_SECONDS + 2):
            if await service.tick():
                return
            await asyncio.sleep(0.5)

    async def _wait(self, arg: str) -> None:
        try:
            seconds = float(arg or "1")
        except ValueError:
            raise DemoInputError("wait takes seconds, e.g. `wait 2`") from None
        await asyncio.sleep(min(max(seconds, 0.0), 120.0))

    async def _help(self, _arg: str) -> None:
        self.console.print(INPUTS_HELP)

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
                if c.element.get("action_id") == Action.CONNECT
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
            picked = [_pick(options_of(element), part) for part in parts]
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

    def _form_for(self, surface: Surface) -> _Form | None:
        """The modal's form (kept across views.update; a new modal starts empty)."""
        if surface.key[0] != "modal":
            return None
        if self._form is None or self._form.view_id != surface.key[1]:
            self._form = _Form(surface.key[1])
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

    def _open_form(self) -> tuple[_Form, list[InputField]]:
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

    def _state(self, fields: list[InputField], form: _Form) -> dict[str, dict[str, Any]]:
        """`view.state.values` as Slack sends it: initial values, then what the user typed."""
        state = {
            f.block_id: {str(f.element.get("action_id", "")): _initial_state(f.element)}
            for f in fields
        }
        state.update(form.state)
        return state

    def _view_state(self, surface: Surface) -> dict[str, dict[str, Any]]:
        if self._form is None or self._form.view_id != surface.key[-1]:
            return {}
        return self._state(self._fields, self._form)


def _pick(options: list[Element], typed: str) -> Element:
    """An option by its number, its exact label, or the one label containing the text."""
    if typed.isdecimal() and 1 <= int(typed) <= len(options):
        return options[int(typed) - 1]
    labels = [(plain_text(o.get("text")).lower(), o) for o in options]
    wanted = typed.lower()
    exact = [o for label, o in labels if label == wanted or o.get("value") == typed]
    partial = [o for label, o in labels if wanted in label]
    if exact or len(partial) == 1:
        return (exact or partial)[0]
    listed = ", ".join(f"{i}) {label}" for i, (label, _) in enumerate(labels, start=1))
    raise DemoInputError(f"pick one of: {listed}")


def _initial_state(element: Element) -> dict[str, Any]:
    kind = str(element.get("type", ""))
    key = STATE_KEYS.get(kind, "value")
    initial = "initial_" + key.removeprefix("selected_")
    empty: Any = [] if key.endswith("s") else None
    return {"type": kind, key: element.get(initial, empty)}


def _has_value(state: dict[str, Any]) -> bool:
    return any(
        v not in (None, "", []) for entry in state.values() for k, v in entry.items() if k != "type"
    )
