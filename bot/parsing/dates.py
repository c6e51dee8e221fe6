"""Natural dates typed in Slack ("fri", "in 3 days", "5 dec") and the user's local day.

Parsing returns None for anything that is not a date, so callers can leave those words in a
title. Relative words are resolved against `today`, which callers compute in the user's Slack
time zone with `user_today`.

Weekdays depend on `direction`:
- "future" (due and start dates): a bare weekday is its next occurrence strictly after today;
- "past" (time logs): a bare weekday is its most recent occurrence, today included.
"next fri" is the Friday of next calendar week (weeks start on Monday), "last fri" the most
recent Friday strictly before today. A day and month without a year is the nearest such date
on or after today ("future") or on or before today ("past").

Numeric dates ("31/12", "12/31/2026", "31.12.") are read in the order of the user's Slack
locale (`day_first_in`): day first in most of the world, month first in en-US. An ambiguous
one ("04/05") follows the locale; one that only reads one way ("31/12" for an en-US user)
is read that way.

Due and start dates are calendar dates, stored as bot.domain.calendar says (not in the
user's zone). `to_utc_due` (the last minute of a local day) and `local_day_bounds`
(half-open local-midnight bounds) are for instants, such as time-entry ranges.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Final, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Direction = Literal["future", "past"]

MAX_DATE_WORDS: Final = 3
DUE_TIME: Final = time(23, 59)

_WEEKDAYS: Final = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
_MONTHS: Final = {
    name: number
    for number in range(1, 13)
    for name in (calendar.month_name[number].lower(), calendar.month_abbr[number].lower())
} | {"sept": 9}
_DAY_OFFSETS: Final = {
    "today": 0,
    "tod": 0,
    "tomorrow": 1,
    "tmr": 1,
    "tmrw": 1,
    "yesterday": -1,
}
_FRIDAY: Final = 4
# The longest phrase accepted is "september 30th, 2026" (20 characters): skip longer text fast.
_MAX_PHRASE_CHARS: Final = 24
# How far to look for a day-month that exists (29 Feb): the next leap year is at most 8 away.
_YEAR_SEARCH: Final = 8

_WEEKDAY_WORDS: Final = "|".join(_WEEKDAYS)
_MONTH_WORDS: Final = "|".join(_MONTHS)
_DAY: Final = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR: Final = r"(?:,? (?P<year>\d{4}))?"

_ISO: Final = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})", re.ASCII)
_DAY_MONTH: Final = re.compile(rf"{_DAY} (?P<month>{_MONTH_WORDS}){_YEAR}", re.ASCII)
_MONTH_DAY: Final = re.compile(rf"(?P<month>{_MONTH_WORDS}) {_DAY}{_YEAR}", re.ASCII)
_WEEKDAY: Final = re.compile(rf"(?:(?P<which>next|last) )?(?P<weekday>{_WEEKDAY_WORDS})")
_WEEK: Final = re.compile(r"(?P<which>next|last) week")
_IN_UNITS: Final = re.compile(r"in (?P<count>\d{1,3}) (?P<unit>days?|weeks?)", re.ASCII)
_UNITS_AGO: Final = re.compile(r"(?P<count>\d{1,3}) (?P<unit>days?|weeks?) ago", re.ASCII)
# "31/12", "31/12/26", "31/12/2026", and with dots only when a year or a final dot says it is a
# date ("31.12.", "31.12.2026"), not a version number ("2.1").
_NUMERIC: Final = re.compile(
    r"(?P<first>\d{1,2})(?:/(?P<second>\d{1,2})(?:/(?P<year>\d{4}|\d{2}))?"
    r"|\.(?P<second_dot>\d{1,2})(?:\.(?P<year_dot>\d{4})|\.))",
    re.ASCII,
)
# Slack locales that write the month before the day (users.info `locale`).
_MONTH_FIRST_LOCALES: Final = frozenset({"en-us", "ja-jp", "ko-kr", "zh-cn", "zh-tw"})
SLACK_DEFAULT_LOCALE: Final = "en-US"
_END_OF_WEEK: Final = frozenset({"eow", "end of week"})
_END_OF_MONTH: Final = frozenset({"eom", "end of month"})


def day_first_in(locale: str | None) -> bool:
    """Whether numeric dates put the day first for a Slack `locale` ("en-GB": yes, "en-US":
    no); Slack's default locale when it gives none."""
    tag = (locale or SLACK_DEFAULT_LOCALE).replace("_", "-").lower()
    return tag not in _MONTH_FIRST_LOCALES


def parse_date(
    text: str, *, today: date, direction: Direction = "future", day_first: bool = False
) -> date | None:
    """The date `text` names, or None when it is not a date expression. `day_first` orders
    numeric dates (`day_first_in` the user's locale)."""
    phrase = " ".join(text.lower().split())
    if not phrase or len(phrase) > _MAX_PHRASE_CHARS:
        return None
    try:
        return _resolve(phrase, today, direction, day_first)
    except OverflowError:  # relative dates next to date.min or date.max
        return None


def take_date(
    words: list[str], *, today: date, direction: Direction = "future", day_first: bool = False
) -> tuple[date | None, list[str]]:
    """Find a date of 1-3 consecutive words; return it and the other words, untouched, in order.

    The longest match wins; among equally long ones, the last in the list.
    """
    found = find_date(words, today=today, direction=direction, day_first=day_first)
    if found is None:
        return None, list(words)
    when, start, length = found
    return when, words[:start] + words[start + length :]


def find_date(
    words: list[str], *, today: date, direction: Direction = "future", day_first: bool = False
) -> tuple[date, int, int] | None:
    """The date `take_date` would take, with its start index and word count."""
    for length in range(MAX_DATE_WORDS, 0, -1):
        for start in range(len(words) - length, -1, -1):
            when = parse_date(
                " ".join(words[start : start + length]),
                today=today,
                direction=direction,
                day_first=day_first,
            )
            if when is not None:
                return when, start, length
    return None


def resolve_zone(tz_name: str | None) -> tzinfo:
    """The user's zone from Slack's `tz` name; UTC when it is missing or unknown."""
    if not tz_name:
        return UTC
    try:
        return ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return UTC


def user_today(tz_name: str | None, now: datetime) -> date:
    """The user's local date at `now` (a naive `now` is taken as UTC)."""
    aware = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    return aware.astimezone(resolve_zone(tz_name)).date()


def to_utc_due(day: date, tz_name: str | None) -> datetime:
    """The last minute of that day in the user's zone, in UTC (not how due dates are stored:
    bot.domain.calendar). Where a DST jump
    skips 23:59 (Madrid, 1975-04-12), the last minute that day does have."""
    due = datetime.combine(day, DUE_TIME, tzinfo=resolve_zone(tz_name)).astimezone(UTC)
    _, end = local_day_bounds(day, tz_name)
    return min(due, end - timedelta(minutes=1))


def local_day_bounds(day: date, tz_name: str | None) -> tuple[datetime, datetime]:
    """[start, end) of that day in the user's zone, as UTC instants (local midnights)."""
    zone = resolve_zone(tz_name)
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def _resolve(phrase: str, today: date, direction: Direction, day_first: bool) -> date | None:
    numeric = _NUMERIC.fullmatch(phrase)
    if numeric:
        return _numeric(numeric, today, direction, day_first)
    if phrase in _DAY_OFFSETS:
        return today + timedelta(days=_DAY_OFFSETS[phrase])
    if phrase in _END_OF_WEEK:
        return today + timedelta(days=(_FRIDAY - today.weekday()) % 7)
    if phrase in _END_OF_MONTH:
        return today.replace(day=calendar.monthrange(today.year, today.month)[1])
    for pattern, reader in _READERS:
        match = pattern.fullmatch(phrase)
        if match:
            return reader(match, today, direction)
    return None


def _iso(match: re.Match[str], _today: date, _direction: Direction) -> date | None:
    return _valid_date(int(match["year"]), int(match["month"]), int(match["day"]))


def _numeric(
    match: re.Match[str], today: date, direction: Direction, day_first: bool
) -> date | None:
    first, second = int(match["first"]), int(match["second"] or match["second_dot"])
    written = match["year"] or match["year_dot"]
    year = None if written is None else int(written) + (2000 if len(written) == 2 else 0)
    day, month = (first, second) if day_first else (second, first)
    if not 1 <= month <= 12:  # only the other order is a date ("31/12" for en-US)
        day, month = month, day
    return _on_day(month, day, year, today, direction)


def _day_and_month(match: re.Match[str], today: date, direction: Direction) -> date | None:
    year = int(match["year"]) if match["year"] else None
    return _on_day(_MONTHS[match["month"]], int(match["day"]), year, today, direction)


def _on_day(
    month: int, day: int, year: int | None, today: date, direction: Direction
) -> date | None:
    """That day and month in `year`, or without one the nearest in `direction`."""
    if not 1 <= month <= 12:
        return None
    if year is not None:
        return _valid_date(year, month, day)
    step = 1 if direction == "future" else -1
    for offset in range(_YEAR_SEARCH + 1):
        candidate = _valid_date(today.year + step * offset, month, day)
        if candidate is not None and (candidate - today).days * step >= 0:
            return candidate
    return None


def _weekday(match: re.Match[str], today: date, direction: Direction) -> date:
    weekday = _WEEKDAYS[match["weekday"]]
    if match["which"] == "next":
        next_monday = _next_monday(today)
        return next_monday + timedelta(days=weekday)
    if match["which"] == "last" or direction == "past":
        back = (today.weekday() - weekday) % 7
        if match["which"] == "last" and back == 0:
            back = 7
        return today - timedelta(days=back)
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _week(match: re.Match[str], today: date, _direction: Direction) -> date:
    next_monday = _next_monday(today)
    return next_monday if match["which"] == "next" else next_monday - timedelta(weeks=2)


def _in_units(match: re.Match[str], today: date, _direction: Direction) -> date:
    return today + _span(match)


def _units_ago(match: re.Match[str], today: date, _direction: Direction) -> date:
    return today - _span(match)


def _span(match: re.Match[str]) -> timedelta:
    count = int(match["count"])
    return timedelta(weeks=count) if match["unit"].startswith("week") else timedelta(days=count)


def _next_monday(today: date) -> date:
    return today + timedelta(days=7 - today.weekday())


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


_Reader = Callable[[re.Match[str], date, Direction], date | None]
_READERS: Final[tuple[tuple[re.Pattern[str], _Reader], ...]] = (
    (_ISO, _iso),
    (_DAY_MONTH, _day_and_month),
    (_MONTH_DAY, _day_and_month),
    (_WEEKDAY, _weekday),
    (_WEEK, _week),
    (_IN_UNITS, _in_units),
    (_UNITS_AGO, _units_ago),
)


def first_local_time_after(start: datetime, clock: time, zone: tzinfo) -> datetime:
    """The first moment after `start` when the clock in `zone` reads `clock` (that day's, or
    the next day's when it has passed), in `zone`."""
    local = start.astimezone(zone)
    moment = datetime.combine(local.date(), clock, tzinfo=zone)
    if moment <= local:
        moment = datetime.combine(local.date() + timedelta(days=1), clock, tzinfo=zone)
    return moment
