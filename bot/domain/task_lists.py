"""Which task list a message or the App Home shows, so a click can redraw that same list.

An ephemeral reply's click payload does not carry the message's blocks, so a list names
itself in its block ids and button values: the command that made it (its kind and words),
the page, and for the agenda the one group shown alone. A value may carry a few more parts
before the list (a task reference, its title); `encode`/`decode` keep them apart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import timedelta

from bot.astravue.models import TaskDto

KINDS = ("list", "my", "search")
ARGS_KEPT = 100  # block ids hold 255 characters: the command's words are cut to this


@dataclass(frozen=True)
class ListSource:
    """`kind`: `list` (`/astravue task list <args>`), `my` (the agenda; `args` its window),
    `search` (`args` the query). `focus`: the agenda group shown alone, paged ("" for the
    whole agenda)."""

    kind: str
    args: str = ""
    page: int = 0
    focus: str = ""

    def at_page(self, page: int) -> ListSource:
        return replace(self, page=max(page, 0))

    def focused(self, focus: str) -> ListSource:
        return replace(self, focus=focus, page=0)

    def encode(self, *extra: str) -> str:
        """`extra` parts first, then the list: compact JSON, so any words survive."""
        args = self.args[:ARGS_KEPT]
        while len(_dumped(args)) > ARGS_KEPT + 20:  # quotes and control characters escaped
            args = args[:-1]
        return _dumped([*extra, self.kind, self.page, self.focus, args])

    @classmethod
    def decode(cls, value: str, extras: int = 0) -> tuple[ListSource, list[str]]:
        """The list and the `extras` parts before it; ValueError on anything else."""
        try:
            parts = json.loads(value)
        except ValueError:
            raise ValueError("not a task list") from None
        if not isinstance(parts, list) or len(parts) != extras + 4:
            raise ValueError("not a task list")
        *extra, kind, page, focus, args = parts
        if kind not in KINDS or not isinstance(page, int) or page < 0:
            raise ValueError("not a task list")
        if not all(isinstance(p, str) for p in (*extra, focus, args)):
            raise ValueError("not a task list")
        return cls(kind, args, page, focus), extra


def _dumped(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class Completed:
    """A task completed from a list, with what Undo puts back (its status and completion
    before; no status known, no Undo) and the time logged if its running timer was stopped."""

    task: TaskDto
    logged: timedelta | None
    was_status: str | None
    was_completion: int | None
