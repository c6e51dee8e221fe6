"""Help: the commands grouped by area, and the answer to a word that matched nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from bot.ui.components import (
    Block,
    actions,
    button,
    context,
    divider,
    escape,
    header,
    message,
    section,
    truncate,
)
from bot.ui.ids import Action


class CommandLike(Protocol):
    """What help reads of a command (read-only, so frozen specs match)."""

    @property
    def path(self) -> str: ...
    @property
    def usage(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def area(self) -> str: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...


# The commands of the short help, most used first (about ten); the areas hold the rest.
TOP_LINKED = (
    "task new",
    "my",
    "task list",
    "task done",
    "timer start",
    "timer stop",
    "log",
    "time",
    "notifications",
    "settings",
)
TOP_UNLINKED = ("connect", *TOP_LINKED[:8])
# Area -> the word `/astravue help <word>` takes for it (the area buttons' commands).
AREA_WORDS = {
    "Tasks": "tasks",
    "Timers and time": "timers",
    "Notifications": "notifications",
    "Spaces and projects": "spaces",
    "Account": "account",
}


def _lines(specs: Sequence[CommandLike], *, aliases: bool) -> str:
    rows = []
    for spec in specs:
        also = ""
        if aliases and spec.aliases:
            words = ", ".join(f"`{escape(a)}`" for a in spec.aliases)
            also = f" _(also {words})_"
        # `<id|url>` in a usage line would be a link or a mention to Slack: escape it.
        rows.append(f"`/astravue {escape(spec.usage)}`: {spec.summary}{also}")
    return "\n".join(rows)


def _area_buttons(areas: Sequence[str], *, besides: str | None = None) -> Block:
    shown = [a for a in areas if a != besides and a in AREA_WORDS]
    return actions(
        *(button(area, run_action(i), f"help {AREA_WORDS[area]}") for i, area in enumerate(shown))
    )


def help_message(
    specs: Sequence[CommandLike],
    areas: tuple[str, ...],
    *,
    topic: str | None = None,
    linked: bool = True,
) -> dict[str, Any]:
    """The short help (about ten commands, no aliases, a button per area), or one area's
    full list with aliases. "New here?" only for someone not connected yet."""
    by_path = {s.path: s for s in specs}
    if topic is not None:
        in_area = [s for s in specs if s.area == topic]
        blocks: list[Block] = [
            header(f"Astravue: {topic}"),
            section(_lines(in_area, aliases=True) or "Nothing here yet."),
            divider(),
            context("Other areas:"),
            _area_buttons(areas, besides=topic),
        ]
        return message(f"Astravue commands: {topic}", blocks)
    blocks = [header("Astravue for Slack")]
    if not linked:
        blocks.append(
            section(
                ":wave: New here? `/astravue connect` links your Astravue "
                "account once; every action then runs as you."
            )
        )
    top = [by_path[p] for p in (TOP_LINKED if linked else TOP_UNLINKED) if p in by_path]
    blocks += [
        section(_lines(top, aliases=False)),
        context("Every command, by area:"),
        _area_buttons(areas),
        divider(),
        context(
            "Replies are visible only to you; add `--share` to post one "
            "to the channel. Task ids and Astravue links work alike."
        ),
        context(
            "*In channels:* paste an Astravue link for a preview with buttons; "
            ":zap: *Create Astravue task* works from the shortcuts menu and the search bar; "
            "or message me these commands without the slash (`task new Fix login fri`)."
        ),
    ]
    return message("Astravue commands", blocks)


def unknown_topic(word: str, guesses: list[str], areas: tuple[str, ...]) -> dict[str, Any]:
    """`help <word>` for a word that is no area: say so, offer the areas."""
    guess = f" Did you mean `/astravue help {escape(guesses[0])}`?" if guesses else ""
    text = f"I have no help on `{escape(word[:60])}`.{guess} The areas:"
    return message(f"No help on {word[:60]}", [section(text), _area_buttons(areas)])


def run_action(index: int) -> str:
    """The action id of the `index`th "run this command" button of one block (ids must be
    unique within a block; the listener matches them all)."""
    return Action.RUN_COMMAND if index == 0 else f"{Action.RUN_COMMAND}:{index}"


def unknown_command(word: str, suggestions: list[str], *, args: str = "") -> dict[str, Any]:
    """One line for a word that matched nothing: the closest commands, each with a [Run it]
    button that runs the corrected command (with the rest of what was typed) as the clicker;
    else where to look. Not the whole help."""
    said = f"`{escape(word[:80])}`"
    if not suggestions:
        return message(
            f"Unknown command: {word[:80]}",
            [
                section(
                    f"I don't know {said}. `/astravue help` lists what I can do.",
                    accessory=button("Help", Action.RUN_COMMAND, "help"),
                )
            ],
        )
    commands = [" ".join(filter(None, (s, args.strip()))) for s in suggestions[:3]]
    named = " or ".join(f"`/astravue {escape(c[:120])}`" for c in commands)
    if len(commands) == 1:
        blocks = [
            section(
                f"I don't know {said}. Did you mean {named}?",
                accessory=button("Run it", Action.RUN_COMMAND, commands[0]),
            )
        ]
    else:
        blocks = [
            section(f"I don't know {said}. Did you mean {named}?"),
            actions(
                *(
                    button(f"Run /astravue {truncate(c, 40)}", run_action(i), c)
                    for i, c in enumerate(commands)
                )
            ),
        ]
    return message(f"Did you mean /astravue {commands[0][:120]}?", blocks)
