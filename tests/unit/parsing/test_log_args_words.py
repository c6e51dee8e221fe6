"""`/astravue log` arguments: durations in words, and failures that name the part at fault."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from bot.parsing.durations import DurationError
from bot.parsing.log_args import LogArgsError, read_amount, read_log_args

TODAY = date(2026, 12, 3)  # a Thursday


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("90 minutes 14", 90),
        ("2 hours 14", 120),
        ("1 hour 30 minutes 14", 90),
        ("1 hour and 30 minutes 14", 90),
        ("an hour 14", 60),
        ("1.5 hours 14", 90),
        ("1h 30 mins 14", 90),
        ("1h 30m 14", 90),
        ("90m 14", 90),
        ("1h30 14", 90),
        ("45 14", 45),
        ("2 hrs 14", 120),
    ],
)
def test_durations_in_words_and_short_forms(text: str, minutes: int) -> None:
    parsed = read_log_args(text, TODAY)
    assert parsed.amount == timedelta(minutes=minutes)
    assert parsed.task == "14" and parsed.day is None and parsed.note is None


def test_the_task_date_and_note_after_a_worded_duration() -> None:
    parsed = read_log_args("2 hours 14 on mon Copy edits", TODAY)
    assert parsed.amount == timedelta(hours=2) and parsed.task == "14"
    assert parsed.day == date(2026, 11, 30) and parsed.note == "Copy edits"
    words = read_log_args("30 minutes Fix login yesterday", TODAY)
    assert words.task == "Fix login" and words.day == date(2026, 12, 2)
    on = read_log_args("30 minutes Fix login on 1 dec", TODAY)
    assert on.task == "Fix login" and on.day == date(2026, 12, 1)


def test_ranges_still_work() -> None:
    assert read_log_args("09:00-10:30 14", TODAY).amount == (time(9), time(10, 30))
    assert read_log_args("9 to 10:30 14", TODAY).amount == (time(9), time(10, 30))


@pytest.mark.parametrize("text", ["90 minuets 14", "1h70 14", "soon 14", "-5m 14"])
def test_a_bad_duration_blames_the_duration(text: str) -> None:
    with pytest.raises(DurationError) as caught:
        read_log_args(text, TODAY)
    assert "as a duration" in caught.value.message
    assert text.split()[0] in caught.value.message


def test_no_task_blames_the_task() -> None:
    with pytest.raises(LogArgsError) as caught:
        read_log_args("2 hours", TODAY)
    assert caught.value.part == "task" and "Which task" in caught.value.message


@pytest.mark.parametrize(
    "text", ["1h 14 on 31/13", "1h 14 2026-13-01 note", "1h Fix login on 31/13"]
)
def test_a_bad_date_blames_the_date(text: str) -> None:
    with pytest.raises(LogArgsError) as caught:
        read_log_args(text, TODAY)
    assert caught.value.part == "date" and "as a date" in caught.value.message


def test_a_note_that_is_not_a_date_stays_a_note() -> None:
    assert read_log_args("1h 14 Pair review", TODAY).note == "Pair review"
    assert read_log_args("1h Work on pricing", TODAY).task == "Work on pricing"


def test_the_form_field_reads_words_too() -> None:
    assert read_amount("1 hour 15 minutes") == timedelta(minutes=75)
    with pytest.raises(DurationError):
        read_amount("1 hour please")
