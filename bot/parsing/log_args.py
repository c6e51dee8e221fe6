"""`/astravue log` and `/astravue time` arguments: an amount, a task, a day, a note, a period.

Pure: no I/O, no user-facing sentences beyond what `ParseError` carries; the caller words
`MissingTask` and an unknown period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from bot.parsing.dates import take_date
from bot.parsing.durations import parse_duration, parse_time_range

Amount = timedelta | tuple[time, time]
PERIODS = ("today", "week", "month")


class MissingTask(ValueError):
    """An amount was given, but no task to log it on."""


@dataclass(frozen=True)
class LogArgs:
    amount: Amount
    task: str
    day: date | None
    note: str | None


def read_amount(text: str) -> Amount:
    """A duration ("1h30") or a same-day range ("09:00-10:30"); ParseError says what works."""
    if "-" in text[1:] or " to " in text:
        return parse_time_range(text)
    return parse_duration(text)


def read_log_args(args: str, today: date) -> LogArgs:
    """`<duration|range> <task> [date] [note]`: the task is an id or URL (then a date and a
    note may follow), a "quoted title", or else all the remaining words but a date."""
    words = args.split(" ")
    if len(words) > 1 and words[1].rstrip("ms").isdecimal() and words[1][-1:] in ("m", "s"):
        words = [f"{words[0]} {words[1]}", *words[2:]]  # "1h 30m"
    amount = read_amount(words[0])
    rest = words[1:]
    if not rest:
        raise MissingTask(args)
    if rest[0].startswith('"') and '"' in " ".join(rest)[1:]:
        joined = " ".join(rest)
        end = joined.index('"', 1)
        task, rest = joined[1:end], joined[end + 1 :].split()
    elif rest[0].lstrip("#").isdecimal() or rest[0].startswith(("<http", "http")):
        task, rest = rest[0], rest[1:]
    else:
        day, others = take_date(rest, today=today, direction="past")
        return LogArgs(amount, " ".join(others), day, None)
    day, note_words = _leading_date(rest, today)
    return LogArgs(amount, task, day, " ".join(note_words) or None)


def _leading_date(words: list[str], today: date) -> tuple[date | None, list[str]]:
    for length in (3, 2, 1):
        if len(words) >= length:
            day, others = take_date(words[:length], today=today, direction="past")
            if day is not None and not others:
                return day, words[length:]
    return None, words


def period(word: str, today: date, default: str) -> tuple[date, date, str] | None:
    """today, week (since Monday) or month (since the 1st), up to today, with its label;
    None for any other word."""
    word = word or default
    if word == "today":
        return today, today, "today"
    if word == "week":
        return today - timedelta(days=today.weekday()), today, "this week"
    if word == "month":
        return today.replace(day=1), today, "this month"
    return None
