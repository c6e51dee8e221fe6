"""Which task did you mean: candidates as buttons that finish the original command."""

from __future__ import annotations

from typing import Any

from bot.ui.choices import choice_sections
from bot.ui.components import Block, context, escape, message, section, truncate_escaped

MAX_CHOICES = 10


def task_choices(
    words: str,
    candidates: list[tuple[int, str]],
    commands: list[str | None],
    *,
    by_words: bool = False,
) -> dict[str, Any]:
    """One section per candidate with a button running `commands[i]` (the original command
    aimed at that task). `by_words`: one task matched words of its title, not its id or whole
    title, so nothing was written before the user says it is the one."""
    said = truncate_escaped(words, 100)
    if by_words:
        intro = f"Nothing done yet: “{said}” is not a task's id or whole title. Is it this task?"
    else:
        intro = f"Several tasks match “{said}”. Which one did you mean?"
    label = "Yes, this one" if by_words else "Choose"
    lines = [f"*#{i}* {truncate_escaped(title, 200)}" for i, title in candidates[:MAX_CHOICES]]
    choices, runnable = choice_sections(lines, commands, label)
    blocks: list[Block] = [section(intro), *choices]
    if len(candidates) > MAX_CHOICES:
        more = len(candidates) - MAX_CHOICES
        blocks.append(context(f"…and {more} more: type more of the title to narrow it down."))
    if not runnable:
        blocks.append(context("Run the command again with the task's number from this list."))
    fallback = f"Which task did you mean by “{escape(words[:100])}”?"
    return message(fallback, blocks)
