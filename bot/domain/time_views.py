"""What the time views show: a period (a day, a week from Monday, a month) that Previous and
Next move through, and the names that stand for the ids in time entries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

PeriodKind = Literal["day", "week", "month"]
# The words typed after `time` and `timesheet`, and the period each names.
PERIOD_WORDS: dict[str, PeriodKind] = {"today": "day", "week": "week", "month": "month"}
_KINDS: dict[str, PeriodKind] = {"day": "day", "week": "week", "month": "month"}


def _month_start(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """A whole calendar period, the one containing `first`; `first` is its first day."""

    kind: PeriodKind
    first: date

    @classmethod
    def containing(cls, kind: PeriodKind, day: date) -> Period:
        if kind == "week":
            return cls(kind, day - timedelta(days=day.weekday()))
        if kind == "month":
            return cls(kind, day.replace(day=1))
        return cls(kind, day)

    @property
    def last(self) -> date:
        if self.kind == "week":
            return self.first + timedelta(days=6)
        if self.kind == "month":
            return _month_start(self.first, 1) - timedelta(days=1)
        return self.first

    def shifted(self, steps: int) -> Period:
        """The period `steps` periods later (earlier when negative)."""
        if self.kind == "month":
            return Period(self.kind, _month_start(self.first, steps))
        length = 7 if self.kind == "week" else 1
        return Period(self.kind, self.first + timedelta(days=length * steps))

    def encode(self) -> str:
        """ "week:2026-11-30", for a button value."""
        return f"{self.kind}:{self.first.isoformat()}"

    @classmethod
    def decode(cls, text: str) -> Period | None:
        """A period from `encode`, None for anything else (a button value is not trusted)."""
        word, _, first = text.partition(":")
        kind = _KINDS.get(word)
        try:
            day = date.fromisoformat(first)
        except ValueError:
            return None
        return cls.containing(kind, day) if kind else None


@dataclass(frozen=True)
class TaskName:
    title: str
    url: str


@dataclass(frozen=True)
class EntryNames:
    """Task titles (with their links) and member names by id; an id not here is shown as
    "task 12" or "Member 7" (a task deleted since, someone the bot never saw)."""

    tasks: dict[int, TaskName] = field(default_factory=dict)
    members: dict[int, str] = field(default_factory=dict)
