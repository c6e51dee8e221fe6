"""Due and start dates are calendar dates, the same day for every reader.

Astravue stores them as UTC instants. A day typed in Slack is written as noon UTC on that day
(`day_to_wire`): every zone from UTC-11 to UTC+11 sees the same date in that instant, so
even a client that shows it in local time shows the right day. Reading (`wire_to_day`) takes
the date of the nearest UTC midnight, so noon UTC, midnight UTC and the local midnights this
app once wrote for start dates (UTC-11 to UTC+11) all read as their day; an instant at hh:59
is the end of a local day (this app once wrote due dates as 23:59 local, UTC-10 to UTC+13)
and reads as the day it ends.

Dates are compared as dates (`is_overdue`, the agenda), and shown as words ("Fri 4 Dec"),
never as a `<!date>` token, which Slack would render in each reader's zone and so move the
day. `<!date>` stays for moments: when a timer started, when a notification came.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

WIRE_TIME = time(12, 0)
_NEAREST_MIDNIGHT = timedelta(hours=11, minutes=59)
_END_OF_LOCAL_DAY = timedelta(hours=10, minutes=59)


def day_to_wire(day: date) -> datetime:
    """The instant a calendar day is stored as: noon UTC that day."""
    return datetime.combine(day, WIRE_TIME, tzinfo=UTC)


def wire_to_day(moment: datetime | None) -> date | None:
    """The calendar day a stored due or start instant means (None stays None)."""
    if moment is None:
        return None
    utc = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    if utc.minute == 59:  # 23:59 in the writer's zone: the day it ends (UTC-10 to UTC+13)
        return (utc - _END_OF_LOCAL_DAY).date()
    return (utc + _NEAREST_MIDNIGHT).date()


def show_day(day: date, today: date | None = None) -> str:
    """ "Fri 4 Dec"; with the year when it is not this year ("Mon 4 Jan 2027")."""
    this_year = (today or date.today()).year
    shown = f"{day:%a} {day.day} {day:%b}"
    return shown if day.year == this_year else f"{shown} {day.year}"


def show_wire_day(moment: datetime | None, empty: str, today: date | None = None) -> str:
    day = wire_to_day(moment)
    return show_day(day, today) if day else empty


def show_span(first: date, last: date, today: date | None = None) -> str:
    """ "30 Nov - 6 Dec" (an en dash), a period's days; a year only where it is not this one."""
    this_year = (today or date.today()).year

    def short(day: date, year: bool) -> str:
        return f"{day.day} {day:%b}" + (f" {day.year}" if year else "")

    end_year = last.year != this_year
    return f"{short(first, first.year != last.year or end_year)} \u2013 {short(last, end_year)}"
