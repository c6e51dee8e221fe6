"""A command retargeted at one task or project: the words that named it replaced by its id."""

from __future__ import annotations

import re


def with_id(command: str, words: str, target_id: int) -> str | None:
    """`command` with the last occurrence of `words` (any case, any spacing) replaced by
    `target_id`, or None when the words are not in it. `log 30m task` and "task" give
    `log 30m 14`; `task list web  site` and "web site" give `task list 7`."""
    if not words.split():
        return None
    pattern = r"\s+".join(re.escape(word) for word in words.split())
    found = list(re.finditer(pattern, command, re.IGNORECASE))
    if not found:
        return None
    last = found[-1]
    return f"{command[: last.start()]}{target_id}{command[last.end() :]}"
