"""`/astravue log` and `/astravue time` arguments (bot.parsing.log_args), without the stack."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.parsing import ParseError
from bot.parsing.log_args import LogArgs, MissingTask, read_amount, read_log_args

WEDNESDAY = date(2026, 6, 10)
MONDAY = date(2026, 6, 8)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1h30", timedelta(minutes=90)),
        ("90m", timedelta(minutes=90)),
        ("0:45", timedelta(minutes=45)),
        ("09:00-10:30", (time(9), time(10, 30))),
        ("9-10", (time(9), time(10))),
    ],
)
def test_an_amount_is_a_duration_or_a_same_day_range(
    text: str, amount: timedelta | tuple[time, time]
) -> None:
    assert read_amount(text) == amount


@pytest.mark.parametrize("text", ["", "soon", "1x", "-5m"])
def test_an_amount_that_is_neither_says_what_works(text: str) -> None:
    with pytest.raises(ParseError) as raised:
        read_amount(text)
    assert raised.value.message


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # an id or a URL: then a date, then a note
        ("1h30 42", LogArgs(timedelta(minutes=90), "42", None, None)),
        ("1h30 #42", LogArgs(timedelta(minutes=90), "#42", None, None)),
        (
            "1h30 42 yesterday fixed the login",
            LogArgs(timedelta(minutes=90), "42", date(2026, 6, 9), "fixed the login"),
        ),
        ("2h 42 code review", LogArgs(timedelta(hours=2), "42", None, "code review")),
        (
            "30m https://app.astravue.com/tasks/42 mon",
            LogArgs(timedelta(minutes=30), "https://app.astravue.com/tasks/42", MONDAY, None),
        ),
        # "1h 30m": the second word belongs to the amount
        ("1h 30m 42", LogArgs(timedelta(minutes=90), "42", None, None)),
        # a quoted title, then a date and a note
        (
            '45m "Fix login" yesterday pairing',
            LogArgs(timedelta(minutes=45), "Fix login", date(2026, 6, 9), "pairing"),
        ),
        # otherwise every remaining word but a date is the task
        ("1h Update pricing page", LogArgs(timedelta(hours=1), "Update pricing page", None, None)),
        (
            "1h Update pricing page yesterday",
            LogArgs(timedelta(hours=1), "Update pricing page", date(2026, 6, 9), None),
        ),
        (
            "09:00-10:30 42 mon",
            LogArgs((time(9), time(10, 30)), "42", MONDAY, None),
        ),
    ],
)
def test_log_arguments(args: str, expected: LogArgs) -> None:
    assert read_log_args(args, WEDNESDAY) == expected


def test_dates_are_read_as_past_days() -> None:
    """Logged time happened already: "mon" on a Wednesday is two days ago, not next week."""
    parsed = read_log_args("1h 42 mon", WEDNESDAY)
    assert parsed.day == MONDAY


def test_an_amount_without_a_task_is_a_missing_task() -> None:
    with pytest.raises(MissingTask):
        read_log_args("1h30", WEDNESDAY)


def test_a_bad_amount_is_a_parse_error_before_the_task_is_looked_at() -> None:
    with pytest.raises(ParseError):
        read_log_args("lots 42", WEDNESDAY)


@given(st.text(alphabet='0123456789hm:- #"abcxyz', max_size=30))
@settings(max_examples=300, deadline=None)
def test_log_arguments_never_fail_otherwise(args: str) -> None:
    """Whatever is typed: arguments, or one of the two errors the command words."""
    try:
        parsed = read_log_args(args, WEDNESDAY)
    except (ParseError, MissingTask):
        return
    assert parsed.day is None or parsed.day <= WEDNESDAY
