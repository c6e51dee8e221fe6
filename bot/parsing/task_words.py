"""A command retargeted at one task: the words that named it replaced by its id."""

from __future__ import annotations

import re


def with_task_id(command: str, words: str, task_id: int) -> str | None:
    """`command` with the last occurrence of `words` (any case) replaced by `task_id`, or None
    when the words are not in it. `log 30m task` and "task" give `log 30m 14`."""
    words = words.strip()
    if not words:
        return None
    found = list(re.finditer(re.escape(words), command, re.IGNORECASE))
    if not found:
        return None
    last = found[-1]
    return f"{command[: last.start()]}{task_id}{command[last.end() :]}"
