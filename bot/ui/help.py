"""Help: the commands grouped by area, and the answer to a word that matched nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from bot.ui.components import context, divider, escape, header, message, section


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
        context(
            "*In channels:* paste an Astravue link for a preview with buttons; "
            ":zap: *Create Astravue task* works from the shortcuts menu and the search bar; "
            "or message me these commands without the slash (`task new Fix login fri`)."
        ),
    ]
    return message("Astravue commands", blocks)


def unknown_command(
    word: str, suggestions: list[str], specs: Sequence[CommandLike], areas: tuple[str, ...]
) -> dict[str, Any]:
    guess = ""
    if suggestions:
        guess = " Did you mean " + " or ".join(f"`/astravue {s}`" for s in suggestions) + "?"
    intro = section(f"I don't know `{escape(word[:80])}`.{guess}")
    full = help_message(specs, areas)
    return message(f"Unknown command: {word[:80]}", [intro, divider(), *full["blocks"]])
