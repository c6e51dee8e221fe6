"""Durations, clock times and time ranges: accepted forms, rejections and properties."""

from __future__ import annotations

from datetime import time, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.parsing.durations import (
    DURATION_FORMS,
    TIME_RANGE_FORMS,
    ClockTimeError,
    DurationError,
    TimeRangeError,
    format_duration,
    parse_clock_time,
    parse_duration,
    parse_time_range,
)

PROPERTY = settings(max_examples=500, deadline=None)
DAY_MINUTES = 24 * 60
DURATION_LIKE = r"-?\d{0,3}([.,:]\d{0,3})?\s?(h|m|min|hours?)?\s?\d{0,3}\s?m?"


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1h30", 90),
        ("1h30m", 90),
        ("1h 30m", 90),
        ("1 hour 30 minutes", 90),
        ("1hr30min", 90),
        ("1:30", 90),
        ("90m", 90),
        ("90min", 90),
        ("90 mins", 90),
        ("1.5h", 90),
        ("1,5h", 90),
        ("0.25h", 15),
        ("1.55h", 93),
        ("2h", 120),
        ("2 hours", 120),
        ("45", 45),
        ("0:45", 45),
        ("  1H30M  ", 90),
        ("24h", DAY_MINUTES),
        ("24:00", DAY_MINUTES),
        ("1440", DAY_MINUTES),
    ],
)
def test_parse_duration_accepts(text: str, minutes: int) -> None:
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1h70", "minutes must be under 60"),
        ("1:70", "minutes must be under 60"),
        ("-5m", "more than zero"),
        ("0m", "more than zero"),
        ("0:00", "more than zero"),
        ("0", "more than zero"),
        ("25:00", "at most 24 hours"),
        ("24h1m", "at most 24 hours"),
        ("1441m", "at most 24 hours"),
        ("", "not a duration"),
        ("   ", "not a duration"),
        ("soon", "not a duration"),
        ("1.5", "not a duration"),
        ("h", "not a duration"),
        ("1h30h", "not a duration"),
        ("1.333h", "whole minutes"),
        ("1.01h", "whole minutes"),
        ("1.5h 30m", "not both"),
    ],
)
def test_parse_duration_rejects_with_a_reason_and_the_accepted_forms(
    text: str, reason: str
) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    assert reason in caught.value.message
    assert DURATION_FORMS in caught.value.message
    if text.strip():
        assert f"`{text.strip()}`" in caught.value.message


def test_duration_error_escapes_and_shortens_the_quoted_input() -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration("<!channel> & `rm` " + "x" * 100)
    message = caught.value.message
    assert "&lt;!channel&gt; &amp; 'rm'" in message
    assert "<!channel>" not in message
    assert "x" * 50 not in message


@pytest.mark.parametrize(
    ("minutes", "shown"),
    [(90, "1h 30m"), (45, "45m"), (0, "0m"), (120, "2h"), (DAY_MINUTES, "24h"), (61, "1h 1m")],
)
def test_format_duration(minutes: int, shown: str) -> None:
    assert format_duration(timedelta(minutes=minutes)) == shown


def test_format_duration_drops_seconds_and_refuses_negative() -> None:
    assert format_duration(timedelta(minutes=5, seconds=59)) == "5m"
    with pytest.raises(ValueError, match="negative"):
        format_duration(timedelta(minutes=-1))


@PROPERTY
@given(st.integers(min_value=1, max_value=DAY_MINUTES))
def test_format_then_parse_round_trips(minutes: int) -> None:
    duration = timedelta(minutes=minutes)
    assert parse_duration(format_duration(duration)) == duration


def _written_forms(minutes: int) -> list[str]:
    hours, rest = divmod(minutes, 60)
    forms = [f"{minutes}m", f"{minutes}min", f"{minutes}", f"{hours}:{rest:02d}"]
    if hours and rest:
        forms += [f"{hours}h{rest}", f"{hours}h{rest}m", f"{hours}h {rest}m"]
    elif hours:
        forms.append(f"{hours}h")
    decimal_hours = Fraction(minutes, 60)
    if (decimal_hours * 100).denominator == 1:
        written = f"{float(decimal_hours):.2f}".rstrip("0").rstrip(".")
        forms += [f"{written}h", f"{written.replace('.', ',')}h"]
    return forms


@PROPERTY
@given(st.integers(min_value=1, max_value=DAY_MINUTES), st.data())
def test_every_accepted_form_reads_back_the_same_minutes(minutes: int, data: st.DataObject) -> None:
    form = data.draw(st.sampled_from(_written_forms(minutes)))
    assert parse_duration(form) == timedelta(minutes=minutes)


@PROPERTY
@given(st.text())
def test_parse_duration_returns_a_day_at_most_or_raises_duration_error(text: str) -> None:
    try:
        duration = parse_duration(text)
    except DurationError as error:
        assert "<" not in error.message
        return
    assert timedelta(0) < duration <= timedelta(hours=24)
    assert duration.total_seconds() % 60 == 0


@PROPERTY
@given(st.from_regex(DURATION_LIKE, fullmatch=True))
def test_duration_like_text_never_escapes_as_another_error(text: str) -> None:
    try:
        duration = parse_duration(text)
    except DurationError:
        return
    assert timedelta(0) < duration <= timedelta(hours=24)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17:30", time(17, 30)),
        ("5:30pm", time(17, 30)),
        ("5:30 PM", time(17, 30)),
        ("5pm", time(17)),
        ("5 p.m.", time(17)),
        ("17h30", time(17, 30)),
        ("17h", time(17)),
        ("9.15am", time(9, 15)),
        ("12am", time(0)),
        ("12pm", time(12)),
        ("0:05", time(0, 5)),
        ("9", time(9)),
    ],
)
def test_parse_clock_time(text: str, expected: time) -> None:
    assert parse_clock_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "13pm", "0am", "9:60", "9:", "5m", "noonish", "", "9:3"])
def test_parse_clock_time_rejects(text: str) -> None:
    with pytest.raises(ClockTimeError, match="time of day"):
        parse_clock_time(text)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("09:00-10:30", time(9), time(10, 30)),
        ("9-10:30", time(9), time(10, 30)),
        ("9:00\u201310:30", time(9), time(10, 30)),
        ("9:00 \u2014 10:30", time(9), time(10, 30)),
        ("9am-10.30am", time(9), time(10, 30)),
        ("14:00-15:00", time(14), time(15)),
        ("9 to 5pm", time(9), time(17)),
        ("9-10am", time(9), time(10)),
        ("11-1pm", time(11), time(13)),
        ("1-3pm", time(13), time(15)),
        ("11pm-11:30pm", time(23), time(23, 30)),
    ],
)
def test_parse_time_range(text: str, start: time, end: time) -> None:
    assert parse_time_range(text) == (start, end)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("25:00-26:00", "not two times of day"),
        ("10:00-09:00", "end must be after the start"),
        ("10:00-10:00", "end must be after the start"),
        ("9pm-1am", "end must be after the start"),
        ("9:00", "not two times of day"),
        ("morning-evening", "not two times of day"),
        ("", "not two times of day"),
    ],
)
def test_parse_time_range_rejects(text: str, reason: str) -> None:
    with pytest.raises(TimeRangeError) as caught:
        parse_time_range(text)
    assert reason in caught.value.message
    assert TIME_RANGE_FORMS in caught.value.message


@PROPERTY
@given(st.text())
def test_time_parsers_raise_only_their_own_errors(text: str) -> None:
    try:
        start, end = parse_time_range(text)
    except TimeRangeError:
        pass
    else:
        assert start < end
    try:
        parse_clock_time(text)
    except ClockTimeError:
        pass


@PROPERTY
@given(
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
)
def test_any_ordered_pair_of_24h_times_reads_back(first: time, second: time) -> None:
    start, end = sorted((first, second))
    text = f"{start:%H:%M}-{end:%H:%M}"
    if start == end:
        with pytest.raises(TimeRangeError):
            parse_time_range(text)
    else:
        assert parse_time_range(text) == (start, end)
