"""Issue 19 point 16: quick capture reports the field-like words it left in the title."""

from __future__ import annotations

from datetime import date

from bot.parsing import parse_capture

WEDNESDAY = date(2026, 6, 10)


def test_an_earlier_priority_and_a_second_date_are_reported_unused() -> None:
    parsed = parse_capture("Fix login p2 today p1 fri", today=WEDNESDAY)
    assert parsed.priority == "Critical" and parsed.due == date(2026, 6, 12)
    assert parsed.title == "Fix login p2 today"
    assert parsed.unused == [("p2", "priority"), ("today", "due date")]


def test_nothing_unused_when_each_field_is_given_once() -> None:
    assert parse_capture("Fix login p1 fri #Web @dev", today=WEDNESDAY).unused == []


def test_a_long_line_reports_at_most_ten_unused_words() -> None:
    parsed = parse_capture(" ".join(["p2"] * 30 + ["mon"] * 30), today=WEDNESDAY)
    assert len(parsed.unused) == 10
