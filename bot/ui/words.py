"""The one place that puts numbers, dates and durations into words for every message.

- counted nouns: "1 task", "3 tasks", never "task(s)" (`plural`);
- durations in sentences and settings: "1 minute", "7 hours 30 minutes" (`duration_in_words`);
  compact durations in lists and totals: "1h 30m", the form `log` reads back
  (`format_duration`); both live beside their parser, where services (the timer rescue's
  reason) reach them too;
- calendar dates (due, start): "Fri 4 Dec", the same day for every reader (`show_day`,
  `show_wire_day`, beside the calendar rules);
- moments in the reader's zone: "09:14" (`clock`), "Fri 4 Dec" (`local_day`),
  "Fri 4 Dec 09:14" (`day_and_clock`); `components.date_token` lets Slack show a moment in
  each reader's own zone, with `day_and_clock` in UTC as its fallback.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo

from bot.domain.calendar import show_day, show_wire_day
from bot.parsing.durations import duration_in_words, format_duration, plural

__all__ = [
    "clock",
    "day_and_clock",
    "duration_in_words",
    "format_duration",
    "local_day",
    "plural",
    "show_day",
    "show_wire_day",
]

UNKNOWN = "?"


def clock(moment: datetime | None, zone: tzinfo = UTC) -> str:
    """The time of day in `zone`: "09:14"."""
    return f"{_local(moment, zone):%H:%M}" if moment else UNKNOWN


def local_day(moment: datetime | None, zone: tzinfo = UTC, today: date | None = None) -> str:
    """The day a moment falls on in `zone`: "Fri 4 Dec" (with the year when not this one)."""
    return show_day(_local(moment, zone).date(), today) if moment else UNKNOWN


def day_and_clock(moment: datetime | None, zone: tzinfo = UTC, today: date | None = None) -> str:
    """ "Fri 4 Dec 09:14" in `zone`."""
    return f"{local_day(moment, zone, today)} {clock(moment, zone)}" if moment else UNKNOWN


def _local(moment: datetime, zone: tzinfo) -> datetime:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone)
