"""The demo driver: one simulated Slack user typing into the real app over the sandbox.

Every input becomes what Slack would send (signed slash commands, block actions, view
submissions, suggestions, events) through `SlackClientSim`; what the app then shows the user
is read back from the Slack fake and drawn with `bot.demo.render`.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable

from rich.console import Console
from rich.text import Text

from bot.demo.channel import InChannel
from bot.demo.render import InputField, plain_text
from bot.demo.stack import NOTIFY_POLL_SECONDS
from bot.demo.surfaces import (
    COMMAND_CHANNEL,
    CONNECT_WORDS,
    INPUTS_HELP,
    DemoInputError,
    Form,
    Surface,
    has_value,
)
from bot.sandbox.stack import Stack


class DemoSession(InChannel):
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
        super().__init__(
            stack,
            console,
            user_id=user_id,
            seed=seed,
            tick_notifications=tick_notifications,
            ask=ask,
        )
        self._verbs: dict[str, Callable[[str], Awaitable[None]]] = {
            "click": self._click,
            "select": self._select,
            "fill": self._fill,
            "submit": self._submit,
            "close": self._close,
            "home": self._home,
            "teammate": self._teammate,
            "share": self._share,
            "complete": self._complete,
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
        word = text.strip().split(" ")[0].lower()
        if word == "feed":
            await self.settle()
            # A new feed's first read records what is there (and posts nothing).
            await self.stack.runtime.services.feed_poller.tick()
        if word in CONNECT_WORDS:
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
        if self._is_connect(element):
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

    async def _fill_one(self, form: Form, entry: InputField, typed: str) -> None:
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
            if not entry.optional and not has_value(state[entry.block_id]):
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
        if self.tick_notifications:
            await self._poll_notifications()
        else:
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
