"""Natural dates, word extraction and the user's local day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.parsing.dates import (
    Direction,
    local_day_bounds,
    parse_date,
    resolve_zone,
    take_date,
    to_utc_due,
    user_today,
)

PROPERTY = settings(max_examples=500, deadline=None)
DIRECTIONS: tuple[Direction, ...] = ("future", "past")
WEDNESDAY = date(2026, 6, 10)
SATURDAY = date(2026, 6, 13)
ZONES = ["UTC", "Europe/Madrid", "America/New_York", "Asia/Tokyo", "America/Santiago"]
DATE_WORDS = [
    "today",
    "tmr",
    "fri",
    "next",
    "week",
    "in",
    "3",
    "days",
    "dec",
    "5",
    "2026",
    "2026-12-05",
    "eom",
    "last",
    "mon",
    "ago",
    "may",
]


@pytest.mark.parametrize(
    ("text", "future", "past"),
    [
        ("today", date(2026, 6, 10), date(2026, 6, 10)),
        ("tod", date(2026, 6, 10), date(2026, 6, 10)),
        ("Tomorrow", date(2026, 6, 11), date(2026, 6, 11)),
        ("tmr", date(2026, 6, 11), date(2026, 6, 11)),
        ("tmrw", date(2026, 6, 11), date(2026, 6, 11)),
        ("yesterday", date(2026, 6, 9), date(2026, 6, 9)),
        ("fri", date(2026, 6, 12), date(2026, 6, 5)),
        ("friday", date(2026, 6, 12), date(2026, 6, 5)),
        ("wed", date(2026, 6, 17), date(2026, 6, 10)),
        ("mon", date(2026, 6, 15), date(2026, 6, 8)),
        ("thurs", date(2026, 6, 11), date(2026, 6, 4)),
        ("next week", date(2026, 6, 15), date(2026, 6, 15)),
        ("next fri", date(2026, 6, 19), date(2026, 6, 19)),
        ("next  MON", date(2026, 6, 15), date(2026, 6, 15)),
        ("last wed", date(2026, 6, 3), date(2026, 6, 3)),
        ("last fri", date(2026, 6, 5), date(2026, 6, 5)),
        ("last week", date(2026, 6, 1), date(2026, 6, 1)),
        ("in 3 days", date(2026, 6, 13), date(2026, 6, 13)),
        ("in 1 day", date(2026, 6, 11), date(2026, 6, 11)),
        ("in 2 weeks", date(2026, 6, 24), date(2026, 6, 24)),
        ("3 days ago", date(2026, 6, 7), date(2026, 6, 7)),
        ("2026-12-05", date(2026, 12, 5), date(2026, 12, 5)),
        ("5 dec", date(2026, 12, 5), date(2025, 12, 5)),
        ("dec 5", date(2026, 12, 5), date(2025, 12, 5)),
        ("december 5", date(2026, 12, 5), date(2025, 12, 5)),
        ("5th december", date(2026, 12, 5), date(2025, 12, 5)),
        ("5 december 2026", date(2026, 12, 5), date(2026, 12, 5)),
        ("dec 5, 2027", date(2027, 12, 5), date(2027, 12, 5)),
        ("june 10", date(2026, 6, 10), date(2026, 6, 10)),
        ("sept 1", date(2026, 9, 1), date(2025, 9, 1)),
        ("feb 29", date(2028, 2, 29), date(2024, 2, 29)),
        ("eow", date(2026, 6, 12), date(2026, 6, 12)),
        ("end of week", date(2026, 6, 12), date(2026, 6, 12)),
        ("eom", date(2026, 6, 30), date(2026, 6, 30)),
        ("end of month", date(2026, 6, 30), date(2026, 6, 30)),
    ],
)
def test_parse_date_forms(text: str, future: date, past: date) -> None:
    assert parse_date(text, today=WEDNESDAY) == future
    assert parse_date(text, today=WEDNESDAY, direction="past") == past


@pytest.mark.parametrize(
    "text",
    [
        "",
        "soon",
        "may",
        "dec",
        "5",
        "2026-02-30",
        "0000-01-01",
        "31 feb",
        "feb 30 2026",
        "in 3 months",
        "in -3 days",
        "next",
        "fri fri",
        "0 dec",
        "in 1234 days",
        "monday please",
    ],
)
def test_parse_date_returns_none_for_non_dates(text: str) -> None:
    assert parse_date(text, today=WEDNESDAY) is None


def test_eow_after_friday_is_next_friday() -> None:
    assert parse_date("eow", today=SATURDAY) == date(2026, 6, 19)
    assert parse_date("next fri", today=SATURDAY) == date(2026, 6, 19)
    assert parse_date("fri", today=SATURDAY) == date(2026, 6, 19)


def test_eom_in_february_of_a_leap_year() -> None:
    assert parse_date("eom", today=date(2028, 2, 3)) == date(2028, 2, 29)


@PROPERTY
@given(st.dates(), st.sampled_from(["mon", "tuesday", "wed", "thu", "fri", "sat", "sunday"]))
def test_bare_weekday_is_within_a_week_in_its_direction(today: date, word: str) -> None:
    future = parse_date(word, today=today)
    past = parse_date(word, today=today, direction="past")
    if future is not None:  # None only at the edge of the calendar
        assert timedelta(days=1) <= future - today <= timedelta(days=7)
        assert future.strftime("%a").lower() == word[:3]
    if past is not None:
        assert timedelta(0) <= today - past <= timedelta(days=6)
        assert past.strftime("%a").lower() == word[:3]


@PROPERTY
@given(st.text(max_size=60), st.dates(), st.sampled_from(DIRECTIONS))
def test_parse_date_never_raises(text: str, today: date, direction: Direction) -> None:
    result = parse_date(text, today=today, direction=direction)
    assert result is None or isinstance(result, date)


@pytest.mark.parametrize(
    ("words", "expected", "rest"),
    [
        (["Ship", "release", "fri"], date(2026, 6, 12), ["Ship", "release"]),
        (
            ["Call", "on", "5", "dec", "2026", "re", "invoice"],
            date(2026, 12, 5),
            ["Call", "on", "re", "invoice"],
        ),
        (["Sun", "icon", "next", "week"], date(2026, 6, 15), ["Sun", "icon"]),
        (["mon", "or", "tue"], date(2026, 6, 16), ["mon", "or"]),
        (["Plain", "words"], None, ["Plain", "words"]),
        ([], None, []),
    ],
)
def test_take_date(words: list[str], expected: date | None, rest: list[str]) -> None:
    assert take_date(words, today=WEDNESDAY) == (expected, rest)


@PROPERTY
@given(
    st.lists(st.one_of(st.sampled_from(DATE_WORDS), st.text(min_size=1, max_size=8)), max_size=12),
    st.sampled_from(DIRECTIONS),
)
def test_take_date_never_loses_words(words: list[str], direction: Direction) -> None:
    original = list(words)
    when, rest = take_date(words, today=WEDNESDAY, direction=direction)
    assert words == original
    if when is None:
        assert rest == words
        return
    removed = len(words) - len(rest)
    assert 1 <= removed <= 3
    starts = [
        start
        for start in range(len(words) - removed + 1)
        if words[:start] + words[start + removed :] == rest
        and parse_date(
            " ".join(words[start : start + removed]), today=WEDNESDAY, direction=direction
        )
        == when
    ]
    assert starts


@pytest.mark.parametrize(
    ("tz_name", "expected"),
    [
        ("Asia/Tokyo", date(2026, 6, 11)),
        ("America/New_York", date(2026, 6, 10)),
        ("Europe/Madrid", date(2026, 6, 11)),
        (None, date(2026, 6, 10)),
        ("Not/AZone", date(2026, 6, 10)),
        ("", date(2026, 6, 10)),
        ("../etc/passwd", date(2026, 6, 10)),
    ],
)
def test_user_today(tz_name: str | None, expected: date) -> None:
    now = datetime(2026, 6, 10, 22, 30, tzinfo=UTC)
    assert user_today(tz_name, now) == expected
    assert user_today(tz_name, now.replace(tzinfo=None)) == expected


def test_resolve_zone_falls_back_to_utc() -> None:
    assert resolve_zone("Europe/Madrid") == ZoneInfo("Europe/Madrid")
    assert resolve_zone("Mars/Olympus") is UTC


def test_to_utc_due_is_23_59_local() -> None:
    assert to_utc_due(date(2026, 6, 10), "Europe/Madrid") == datetime(
        2026, 6, 10, 21, 59, tzinfo=UTC
    )
    assert to_utc_due(date(2026, 6, 10), "America/New_York") == datetime(
        2026, 6, 11, 3, 59, tzinfo=UTC
    )
    assert to_utc_due(date(2026, 6, 10), None) == datetime(2026, 6, 10, 23, 59, tzinfo=UTC)


def test_local_day_bounds_in_tokyo() -> None:
    assert local_day_bounds(date(2026, 6, 10), "Asia/Tokyo") == (
        datetime(2026, 6, 9, 15, tzinfo=UTC),
        datetime(2026, 6, 10, 15, tzinfo=UTC),
    )


def test_local_day_bounds_across_a_dst_change() -> None:
    start, end = local_day_bounds(date(2026, 3, 29), "Europe/Madrid")
    assert end - start == timedelta(hours=23)


@PROPERTY
@given(st.dates(min_value=date(1971, 1, 1), max_value=date(2099, 12, 31)), st.sampled_from(ZONES))
def test_due_and_bounds_land_on_the_same_local_day(day: date, tz_name: str) -> None:
    zone = ZoneInfo(tz_name)
    due = to_utc_due(day, tz_name)
    assert due.tzinfo is UTC
    assert due.astimezone(zone).date() == day
    start, end = local_day_bounds(day, tz_name)
    # 23:59 local, or the day's last minute where a DST jump skips 23:59 (Madrid 1975-04-12)
    assert due.astimezone(zone).time() == time(23, 59) or due == end - timedelta(minutes=1)
    assert start.astimezone(zone).date() == day
    assert timedelta(hours=22) <= end - start <= timedelta(hours=26)
    assert start <= due < end


def test_due_date_on_a_day_whose_2359_does_not_exist() -> None:
    # Madrid jumped from 23:00 to 00:00 on 1975-04-12: the due time is that day's last minute.
    due = to_utc_due(date(1975, 4, 12), "Europe/Madrid")
    assert due.astimezone(ZoneInfo("Europe/Madrid")).date() == date(1975, 4, 12)
    assert due == datetime(1975, 4, 12, 21, 59, tzinfo=UTC)


def test_first_local_time_after_a_start_is_that_day_or_the_next() -> None:
    from datetime import UTC, datetime, time
    from zoneinfo import ZoneInfo

    from bot.parsing import first_local_time_after

    madrid = ZoneInfo("Europe/Madrid")
    morning = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # 09:00 in Madrid
    assert first_local_time_after(morning, time(18, 0), madrid) == datetime(
        2026, 3, 2, 18, 0, tzinfo=madrid
    )
    evening = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)  # 20:00 in Madrid: past 18:00
    assert first_local_time_after(evening, time(18, 0), madrid) == datetime(
        2026, 3, 3, 18, 0, tzinfo=madrid
    )
    exactly = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)  # 18:00 in Madrid: the next one
    assert first_local_time_after(exactly, time(18, 0), madrid).day == 3
