"""Due and start dates are calendar dates: written as noon UTC, read back as the same day for
every reader, whatever zone wrote them (including this app's older 23:59-local writes)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.calendar import day_to_wire, show_day, show_wire_day, wire_to_day

ZONES = ["America/Los_Angeles", "UTC", "Europe/Madrid", "Asia/Tokyo", "Pacific/Auckland"]


@given(st.dates(min_value=date(1971, 1, 1), max_value=date(2999, 12, 31)))
def test_a_written_day_reads_back_as_that_day(day: date) -> None:
    assert wire_to_day(day_to_wire(day)) == day


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("day", [date(2026, 12, 4), date(2026, 3, 29), date(2026, 10, 25)])
def test_older_writes_read_as_the_day_meant(zone: str, day: date) -> None:
    """23:59 local (old due dates) and local midnight (old start dates) in any zone."""
    tz = ZoneInfo(zone)
    end_of_day = datetime.combine(day, time(23, 59), tzinfo=tz).astimezone(UTC)
    midnight = datetime.combine(day, time.min, tzinfo=tz).astimezone(UTC)
    assert wire_to_day(end_of_day) == day
    offset = datetime.combine(day, time.min, tzinfo=tz).utcoffset()
    assert offset is not None
    if offset < timedelta(hours=12):
        assert wire_to_day(midnight) == day  # local midnights read back up to UTC+11
    assert wire_to_day(datetime.combine(day, time.min, tzinfo=UTC)) == day  # midnight UTC


def test_shown_as_words_with_the_year_only_when_not_this_year() -> None:
    today = date(2026, 12, 3)
    assert show_day(date(2026, 12, 4), today) == "Fri 4 Dec"
    assert show_day(date(2027, 1, 4), today) == "Mon 4 Jan 2027"
    assert show_wire_day(None, "no due date") == "no due date"
    assert show_wire_day(day_to_wire(date(2026, 12, 4)), "", today) == "Fri 4 Dec"


def test_the_same_stored_day_for_readers_in_every_zone() -> None:
    stored = day_to_wire(date(2026, 12, 4))
    for offset in (-8, 0, 9):
        local = stored.astimezone(ZoneInfo("UTC")) + timedelta(hours=offset)
        assert local.date() == date(2026, 12, 4)  # a client showing it locally sees Friday too
