"""`/astravue log` arguments: an amount, a task, a day, a note.

`/astravue log <duration|range> <task> [on <date>] [note]`.

Durations may be written in words ("90 minutes", "2 hours", "1 hour 30 minutes", "an hour
and 15 minutes") as well as in the short forms `parse_duration` reads. A failure says which
part it is about (`LogArgsError.part`: the duration, the task or the date), so the reply
blames that part and not another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Final, Literal

from bot.parsing.dates import find_date, parse_date
from bot.parsing.durations import ParseError, parse_duration, parse_time_range

Amount = timedelta | tuple[time, time]
Part = Literal["duration", "task", "date"]
DATE_FORMS: Final = "`yesterday`, `mon`, `2 days ago`, `1 dec` or `2026-12-01`"
_HOUR_WORDS: Final = frozenset({"h", "hr", "hrs", "hour", "hours"})
_MINUTE_WORDS: Final = frozenset({"m", "min", "mins", "minute", "minutes"})
_NUMBER: Final = re.compile(r"\d{1,4}(?:[.,]\d{1,2})?", re.ASCII)
_WITH_UNIT: Final = re.compile(
    r"(?P<number>\d{1,4}(?:[.,]\d{1,2})?)(?P<unit>[a-z]+)", re.ASCII | re.IGNORECASE
)
# Something typed as a date (digits with separators) that may not be a valid one.
_DATE_LIKE: Final = re.compile(r"\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{1,4})?", re.ASCII)
_MAX_DURATION_WORDS: Final = 6
_UNIT_STARTS: Final = ("min", "hou", "hr")  # a misspelt unit after a bare number


class LogArgsError(ParseError):
    """What was typed after `log` could not be read; `part` is the part at fault."""

    def __init__(self, message: str, part: Part) -> None:
        super().__init__(message)
        self.part = part


class MissingTask(LogArgsError):
    """An amount was given, but no task to log it on."""

    def __init__(self, args: str) -> None:
        super().__init__(
            "Which task? Usage: `/astravue log 1h30 <task id or url> [date] [note]`, "
            "or run `/astravue log` for a form.",
            "task",
        )
        self.args_given = args


@dataclass(frozen=True)
class LogArgs:
    amount: Amount
    task: str
    day: date | None
    note: str | None


def read_log_args(args: str, today: date, *, day_first: bool = False) -> LogArgs:
    """`<duration|range> <task> [on <date>] [note]`: the task is an id or URL (then a date and
    a note may follow), a "quoted title", or else all the remaining words but a date.
    Raises `LogArgsError` (or the duration parser's errors, which blame the duration).
    `day_first` orders numeric dates ("31/12"), from the user's locale."""
    words = args.split()
    amount, rest = take_amount(words)
    if not rest:
        raise MissingTask(args)
    if rest[0].startswith('"') and '"' in " ".join(rest)[1:]:
        joined = " ".join(rest)
        end = joined.index('"', 1)
        task, rest = joined[1:end], joined[end + 1 :].split()
    elif rest[0].lstrip("#").isdecimal() or rest[0].startswith(("<http", "http")):
        task, rest = rest[0], rest[1:]
    else:
        day, others = _date_among(rest, today, day_first)
        return LogArgs(amount, " ".join(others), day, None)
    day, note_words = _leading_date(rest, today, day_first)
    return LogArgs(amount, task, day, " ".join(note_words) or None)


def take_amount(words: list[str]) -> tuple[Amount, list[str]]:
    """The duration or time range the words start with, and the words after it."""
    if not words:
        raise LogArgsError("How long? e.g. `/astravue log 1h30 <task>`.", "duration")
    first = words[0]
    if len(words) >= 3 and words[1].lower() == "to":
        return parse_time_range(" ".join(words[:3])), words[3:]
    if "-" in first[1:]:
        return parse_time_range(first), words[1:]
    parts, used = _duration_words(words[:_MAX_DURATION_WORDS])
    if not parts:
        return parse_duration(first), words[1:]  # raises, quoting the first word
    after = words[used].lower() if used < len(words) else ""
    if not parts[-1][-1:].isalpha() and after.startswith(_UNIT_STARTS):
        parse_duration(f"{first} {words[used]}")  # "90 minuets": blame the duration
    return parse_duration(" ".join(parts)), words[used:]


def read_amount(text: str) -> Amount:
    """A whole field holding a duration or a range (the log form): nothing may follow."""
    amount, rest = take_amount(text.split())
    if rest:
        parse_duration(text)  # raises DurationError quoting the whole field
    return amount


def _duration_words(words: list[str]) -> tuple[list[str], int]:
    """The leading words that make a duration, as short forms ("1h", "30m"), and how many
    words they were. Hours come before minutes; after the first part, only parts with a unit
    are taken, so `log 45 14` is 45 minutes on task 14."""
    parts: list[str] = []
    index = 0
    seen: set[str] = set()
    while index < len(words):
        start = index
        if parts and words[index].lower() == "and":
            index += 1
        part, width = _one_part(words[index:])
        if part is None or (parts and (part[-1] not in "hm" or part[-1] in seen)):
            return parts, start
        if part[-1] == "h" and "m" in seen:
            return parts, start
        parts.append(part)
        index += width
        if part[-1] not in "hm":
            break  # a bare number or a complete form ("1h30", "1:30") ends the duration
        seen.add(part[-1])
    return parts, index


def _one_part(words: list[str]) -> tuple[str | None, int]:
    if not words:
        return None, 0
    word = words[0].lower()
    unit = _unit(words[1]) if len(words) > 1 else None
    if unit and (_NUMBER.fullmatch(word) or word in ("a", "an")):
        number = "1" if word in ("a", "an") else word
        return f"{number}{unit}", 2
    attached = _WITH_UNIT.fullmatch(word)
    if attached and _unit(attached["unit"]):
        return f"{attached['number']}{_unit(attached['unit'])}", 1
    try:
        parse_duration(word)
    except ParseError:
        return None, 0
    return word, 1


def _unit(word: str) -> str | None:
    word = word.lower().rstrip(",.")
    if word in _HOUR_WORDS:
        return "h"
    if word in _MINUTE_WORDS:
        return "m"
    return None


def _leading_date(words: list[str], today: date, day_first: bool) -> tuple[date | None, list[str]]:
    """A date right after the task (`on` optional), and the words after it (the note)."""
    dated = words[1:] if words and words[0].lower() == "on" else words
    for length in (3, 2, 1):
        if len(dated) >= length:
            day = parse_date(
                " ".join(dated[:length]), today=today, direction="past", day_first=day_first
            )
            if day is not None:
                return day, dated[length:]
    if dated and (dated is not words or _DATE_LIKE.fullmatch(dated[0])):
        raise _date_error(dated[0])
    return None, words


def _date_among(words: list[str], today: date, day_first: bool) -> tuple[date | None, list[str]]:
    """A date anywhere in a title's words (`on` before it dropped); an `on <x>` at the end
    where x was typed as a date but is not one blames the date."""
    found = find_date(words, today=today, direction="past", day_first=day_first)
    if found is None:
        if len(words) >= 2 and words[-2].lower() == "on" and _DATE_LIKE.fullmatch(words[-1]):
            raise _date_error(words[-1])
        return None, list(words)
    day, start, length = found
    if start > 0 and words[start - 1].lower() == "on":
        start, length = start - 1, length + 1
    return day, words[:start] + words[start + length :]


def _date_error(word: str) -> LogArgsError:
    shown = word[:30].replace("`", "'").replace("&", "&amp;").replace("<", "&lt;")
    return LogArgsError(
        f"I couldn't read `{shown.replace('>', '&gt;')}` as a date. Try {DATE_FORMS}.", "date"
    )
