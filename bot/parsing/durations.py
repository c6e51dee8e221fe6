"""Durations ("1h30", "90m", "1.5h") and times of day ("17:30", "9am-10.30am") typed in Slack.

A manual time entry covers at most one day, so durations are whole minutes in (0, 24h].
Errors carry a `message` ready for mrkdwn: the bad input quoted (escaped) and the forms that
would have worked.
"""

from __future__ import annotations

import re
from datetime import time, timedelta
from fractions import Fraction
from typing import Final

MAX_DURATION: Final = timedelta(hours=24)
DURATION_FORMS: Final = "`1h30`, `1h 30m`, `1:30`, `90m`, `1.5h` or `45` (minutes)"
CLOCK_TIME_FORMS: Final = "`17:30`, `5:30pm`, `5pm` or `17h30`"
TIME_RANGE_FORMS: Final = "`09:00-10:30`, `9-10:30`, `9am-10.30am` or `14:00-15:00`"

_MINUTES_PER_HOUR: Final = 60
_MAX_MINUTES: Final = int(MAX_DURATION.total_seconds()) // 60
_MAX_DECIMALS: Final = 2
_MAX_QUOTED_CHARS: Final = 40
# Every accepted form is short; longer input is rejected before any regex runs on it.
_MAX_INPUT_CHARS: Final = 40

_HOURS_MINUTES: Final = re.compile(r"(?P<hours>\d{1,6}):(?P<minutes>\d{2})", re.ASCII)
_WITH_UNITS: Final = re.compile(
    r"(?:(?P<hours>\d{1,6}(?:[.,](?P<decimals>\d{1,6}))?)\s*(?:h|hr|hrs|hours?))?"
    r"\s*(?:(?P<minutes>\d{1,6})\s*(?:m|min|mins|minutes?)?)?",
    re.ASCII,
)
_CLOCK: Final = re.compile(
    r"(?P<hour>\d{1,2})(?:(?P<sep>[:.h])(?P<minute>\d{2})?)?\s*(?P<meridiem>[ap])?(?:\.?m\.?)?",
    re.ASCII,
)
# Separators: hyphen, en dash, em dash or "to".
_RANGE: Final = re.compile(r"(?P<start>.+?)\s*(?:-|\u2013|\u2014|\bto\b)\s*(?P<end>.+)")


class ParseError(ValueError):
    """User input that could not be read; `message` is mrkdwn-safe and says what would work."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DurationError(ParseError):
    """Not a duration in (0, 24h]."""


class ClockTimeError(ParseError):
    """Not a time of day."""


class TimeRangeError(ParseError):
    """Not a same-day range of two times of day."""


def parse_duration(text: str) -> timedelta:
    """A positive whole-minute duration of at most 24 hours, or DurationError."""
    minutes = _duration_minutes(_clean(text), text)
    if minutes <= 0:
        raise _duration_error(text, "it must be more than zero")
    if minutes > _MAX_MINUTES:
        raise _duration_error(text, "one entry can be at most 24 hours")
    return timedelta(minutes=minutes)


def format_duration(duration: timedelta) -> str:
    """Whole minutes as "1h 30m", "2h" or "45m" (seconds are dropped); parse_duration reads it."""
    if duration < timedelta(0):
        raise ValueError("a duration to show cannot be negative")
    hours, minutes = divmod(int(duration.total_seconds()) // 60, _MINUTES_PER_HOUR)
    if hours and minutes:
        return f"{hours}h {minutes}m"
    return f"{hours}h" if hours else f"{minutes}m"


def duration_in_words(duration: timedelta) -> str:
    """ "1 minute", "45 minutes", "1 hour", "2 hours 30 minutes" (to the nearest minute,
    never "0.0166667 h"); bot.ui.words is where messages take it from."""
    total = max(0, round(duration.total_seconds() / 60))
    hours, minutes = divmod(total, _MINUTES_PER_HOUR)
    parts = [plural(hours, "hour")] if hours else []
    if minutes or not hours:
        parts.append(plural(minutes, "minute"))
    return " ".join(parts)


def plural(count: int, noun: str, many: str | None = None) -> str:
    """`count` and the noun in the right number ("1 task", "3 tasks", never "task(s)");
    `many` when adding "s" is wrong."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"


def parse_clock_time(text: str) -> time:
    """A time of day such as "17:30", "5:30pm", "5pm" or "17h30", or ClockTimeError."""
    parsed = _clock(_clean(text))
    if parsed is None:
        raise ClockTimeError(
            f"I couldn't read {_quote(text)} as a time of day. Try {CLOCK_TIME_FORMS}."
        )
    hour, minute, meridiem = parsed
    return time(_apply_meridiem(hour, meridiem), minute)


def parse_time_range(text: str) -> tuple[time, time]:
    """Start and end of a same-day range such as "9-10:30" or "9am-10.30am", or TimeRangeError.

    A start without am/pm takes the end's ("9-10am"), unless that would put it after the end,
    as in "11-1pm", where it is morning.
    """
    match = _RANGE.fullmatch(_clean(text))
    start = _clock(match["start"]) if match else None
    end = _clock(match["end"]) if match else None
    if start is None or end is None:
        raise _range_error(text, "that is not two times of day")
    end_time = time(_apply_meridiem(end[0], end[2]), end[1])
    for meridiem in _start_meridiems(start, end):
        start_time = time(_apply_meridiem(start[0], meridiem), start[1])
        if start_time < end_time:
            return start_time, end_time
    raise _range_error(text, "the end must be after the start, on the same day")


def _clean(text: str) -> str:
    """Lower-case and trimmed; too long to be a valid entry becomes "" (rejected as empty)."""
    cleaned = text.strip().lower()
    return cleaned if len(cleaned) <= _MAX_INPUT_CHARS else ""


def _duration_minutes(cleaned: str, text: str) -> int:
    if cleaned.startswith("-"):
        raise _duration_error(text, "it must be more than zero")
    clock = _HOURS_MINUTES.fullmatch(cleaned)
    if clock:
        return _hours_and_minutes(int(clock["hours"]), int(clock["minutes"]), text)
    match = _WITH_UNITS.fullmatch(cleaned)
    if not cleaned or match is None:
        raise _duration_error(text, "that is not a duration")
    minutes = int(match["minutes"]) if match["minutes"] else None
    if match["hours"] is None:
        return minutes if minutes is not None else 0
    if match["decimals"] is None:
        return _hours_and_minutes(int(match["hours"]), minutes or 0, text)
    if minutes is not None:
        raise _duration_error(text, "write either decimal hours or hours and minutes, not both")
    total = Fraction(match["hours"].replace(",", ".")) * _MINUTES_PER_HOUR
    if len(match["decimals"]) > _MAX_DECIMALS or total.denominator != 1:
        raise _duration_error(text, "decimal hours must come to whole minutes, like `1.25h`")
    return int(total)


def _hours_and_minutes(hours: int, minutes: int, text: str) -> int:
    if minutes >= _MINUTES_PER_HOUR:
        raise _duration_error(text, "minutes must be under 60 when hours are given")
    return hours * _MINUTES_PER_HOUR + minutes


def _clock(cleaned: str) -> tuple[int, int, str | None] | None:
    """(hour, minute, "a"|"p"|None) of a valid time of day, else None."""
    match = _CLOCK.fullmatch(cleaned)
    if match is None or (match["sep"] in {":", "."} and match["minute"] is None):
        return None
    hour, minute, meridiem = int(match["hour"]), int(match["minute"] or 0), match["meridiem"]
    if not cleaned[-1].isdigit() and cleaned[-1] != "h" and meridiem is None:
        return None  # a trailing "m" or "." with no a/p before it
    valid_hour = 1 <= hour <= 12 if meridiem else hour <= 23
    if not valid_hour or minute >= _MINUTES_PER_HOUR:
        return None
    return hour, minute, meridiem


def _apply_meridiem(hour: int, meridiem: str | None) -> int:
    if meridiem is None:
        return hour
    return hour % 12 + (12 if meridiem == "p" else 0)


def _start_meridiems(
    start: tuple[int, int, str | None], end: tuple[int, int, str | None]
) -> tuple[str | None, ...]:
    """The readings of the start's hour to try, most natural first."""
    hour, _, meridiem = start
    if meridiem is not None or end[2] is None or not 1 <= hour <= 12:
        return (meridiem,)
    return (end[2], "a" if end[2] == "p" else "p")


def _duration_error(text: str, reason: str) -> DurationError:
    return DurationError(
        f"I couldn't read {_quote(text)} as a duration: {reason}. Try {DURATION_FORMS}."
    )


def _range_error(text: str, reason: str) -> TimeRangeError:
    return TimeRangeError(
        f"I couldn't read {_quote(text)} as a time range: {reason}. Try {TIME_RANGE_FORMS}."
    )


def _quote(text: str) -> str:
    """The user's input as inline code: one line, shortened, with & < > escaped for mrkdwn."""
    flat = " ".join(text.split()).replace("`", "'")
    if len(flat) > _MAX_QUOTED_CHARS:
        flat = flat[: _MAX_QUOTED_CHARS - 1] + "…"
    escaped = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"`{escaped}`" if escaped else "(nothing)"
