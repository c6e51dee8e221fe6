"""Pure parsers for what users type: quick capture, dates, durations and times of day."""

from bot.parsing.capture import CaptureDraft, PersonRef, normalise, parse_capture
from bot.parsing.dates import (
    day_first_in,
    find_date,
    first_local_time_after,
    local_day_bounds,
    parse_date,
    resolve_zone,
    take_date,
    to_utc_due,
    user_today,
)
from bot.parsing.durations import (
    ClockTimeError,
    DurationError,
    ParseError,
    TimeRangeError,
    format_duration,
    parse_clock_time,
    parse_duration,
    parse_time_range,
)

__all__ = [
    "CaptureDraft",
    "ClockTimeError",
    "DurationError",
    "ParseError",
    "PersonRef",
    "TimeRangeError",
    "day_first_in",
    "find_date",
    "first_local_time_after",
    "format_duration",
    "local_day_bounds",
    "normalise",
    "parse_capture",
    "parse_clock_time",
    "parse_date",
    "parse_duration",
    "parse_time_range",
    "resolve_zone",
    "take_date",
    "to_utc_due",
    "user_today",
]
