"""Help: the commands grouped by area, and the answer to a word that matched nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from bot.ui.components import (
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


def _lines(specs: Sequence[CommandLike]) -> str:
    rows = []
    for spec in specs:
        top_level = " " not in spec.path
        alias = f" _(also {', '.join(spec.aliases)})_" if spec.aliases and top_level else ""
        # `<id|url>` in a usage line would be a link or a mention to Slack: escape it.
        rows.append(f"`/astravue {escape(spec.usage)}`: {spec.summary}{alias}")
    return "\n".join(rows)


def help_message(
    specs: Sequence[CommandLike], areas: tuple[str, ...], *, topic: str | None = None
) -> dict[str, Any]:
    blocks = [header("Astravue for Slack" if topic is None else f"Astravue: {topic}")]
    if topic is None:
        blocks.append(
            section(
                ":wave: New here? `/astravue connect` links your Astravue "
                "account once; every action then runs as you."
            )
        )
    for area in areas:
        if topic is not None and area != topic:
            continue
        in_area = [s for s in specs if s.area == area]
        if in_area:
            blocks.append(section(f"*{area}*\n{_lines(in_area)}"))
    blocks += [
        divider(),
        context(
            "Replies are visible only to you; add `--share` to post one "
            "to the channel. Task ids and Astravue links work alike. "
            "`/astravue help tasks` shows one area."
        ),
    ]
    return message("Astravue commands", blocks)


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
