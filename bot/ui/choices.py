"""Which one did you mean: candidates as buttons that run the user's own command aimed at
each one (`/astravue` text in the button, run as the clicker). Tasks and projects alike."""

from __future__ import annotations

from typing import Any

from bot.ui.components import Block, button, context, escape, message, section, truncate_escaped
from bot.ui.help import run_action

MAX_PROJECTS = 5


def choice_sections(
    lines: list[str], commands: list[str | None], label: str
) -> tuple[list[Block], bool]:
    """One section per line, with a `label` button running `commands[i]` where there is one;
    and whether any line got a button (a click or a form has no command text to rerun)."""
    blocks: list[Block] = []
    for index, (line, command) in enumerate(zip(lines, commands, strict=False)):
        accessory = button(label, run_action(index), command) if command else None
        blocks.append(section(line, accessory=accessory))
    return blocks, any(commands[: len(lines)])


def project_choices(
    words: str, candidates: list[tuple[int, str]], commands: list[str | None]
) -> dict[str, Any]:
    """The projects `words` matched (id, label), up to MAX_PROJECTS, each with a button
    running `commands[i]`: the original command with that project's id for the words."""
    said = truncate_escaped(words, 80)
    lines = [f"*{truncate_escaped(label, 150)}*" for _, label in candidates[:MAX_PROJECTS]]
    choices, runnable = choice_sections(lines, commands, "Choose")
    blocks: list[Block] = [section(f"“{said}” matches several projects. Which one?"), *choices]
    if len(candidates) > MAX_PROJECTS:
        more = len(candidates) - MAX_PROJECTS
        blocks.append(context(f"…and {more} more: type more of the name."))
    if not runnable:
        blocks.append(context("Run the command again with more of the project's name."))
    return message(f"Which project did you mean by “{escape(words[:80])}”?", blocks)
