"""Counted nouns in sentences: "1 task", "3 tasks", never "task(s)"."""

from __future__ import annotations


def plural(count: int, noun: str, many: str | None = None) -> str:
    """`count` and the noun in the right number; `many` when adding "s" is wrong."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"
