"""What the demo shows and reads back: surfaces, the open form, input words and errors."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from bot.demo.render import Element, plain_text

SETTLE_QUIET = 0.3  # the app is done when no lazy work runs and the fake saw nothing new
SETTLE_MAX = 15.0  # for this long, or after this long (a loaded machine is slow)
COMMAND_CHANNEL = "C0GENERAL"
# `/astravue connect` and its aliases (the app's grammar; tests/unit/test_demo_words.py keeps
# them in step): after one, the demo follows the sign-in as the user's browser would.
CONNECT_WORDS = frozenset({"connect", "login", "signin", "link"})
INPUTS_HELP = (
    "Inputs: /astravue <command> · click <n|label> · select <n> <option|value> · "
    "fill <field> <value> · submit · close · home · teammate · share <task title|link> · "
    "complete <task title> · wait <seconds> · "
    "Enter (show what is new) · quit"
)


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
class Form:
    """What the user typed into the open modal so far."""

    view_id: str
    state: dict[str, dict[str, Any]] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)
    elements: dict[str, str] = field(default_factory=dict)  # what each typed value was for


def pick(options: list[Element], typed: str) -> Element:
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


def has_value(state: dict[str, Any]) -> bool:
    return any(
        v not in (None, "", []) for entry in state.values() for k, v in entry.items() if k != "type"
    )
