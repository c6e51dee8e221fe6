"""What went wrong, as data: services raise these, `bot.ui.errors` words them for the user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


class DomainError(Exception):
    """A failure the user can fix (bad input, a stale button, a missing piece of setup)."""


@dataclass(eq=False)
class TaskNotGiven(DomainError):
    """The user named no task at all."""


@dataclass(eq=False)
class TaskNotFound(DomainError):
    task_id: int


@dataclass(eq=False)
class NoTaskMatches(DomainError):
    words: str


@dataclass(eq=False)
class AmbiguousTask(DomainError):
    words: str
    candidates: list[tuple[int, str]]  # (task id, title)


@dataclass(eq=False)
class TaskMatchedByWords(AmbiguousTask):
    """A write found one task by words of its title, not by its id, link or exact title:
    it is asked about before anything is written (issue 19 point 5)."""


@dataclass(eq=False)
class NoProjectMatches(DomainError):
    words: str


@dataclass(eq=False)
class AmbiguousProject(DomainError):
    words: str
    candidates: list[tuple[int, str]]  # (project id, label)


@dataclass(eq=False)
class UnknownProject(DomainError):
    """A timesheet asked for a project the user can't see."""

    name: str


@dataclass(eq=False)
class TitleMissing(DomainError):
    """Quick capture understood everything but a title."""


@dataclass(eq=False)
class DraftExpired(DomainError):
    """A quick-capture preview expired or was already used."""


@dataclass(eq=False)
class NoTimerRunning(DomainError):
    pass


@dataclass(eq=False)
class TimerAlreadyStopped(DomainError):
    tracker_id: int | None
    logging_range: bool = False  # the user was stopping it at an earlier time


@dataclass(eq=False)
class StopTimeOutOfRange(DomainError):
    """A stop time before the timer started or in the future."""


@dataclass(eq=False)
class TimeEntryNotFound(DomainError):
    entry_id: int


@dataclass(eq=False)
class DateInFuture(DomainError):
    day: date
