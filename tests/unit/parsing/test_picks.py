"""Quick capture's picks (bot.parsing.picks): answers read back from untrusted values."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.parsing.picks import PickAnswer, project_ids, read_pick


@pytest.mark.parametrize(
    ("value", "answer"),
    [
        ("tok123|0|7:12", PickAnswer("tok123", 0, "7:12")),
        ("tok123|2|31", PickAnswer("tok123", 2, "31")),
        # the choice keeps any further bars
        ("tok|1|a|b", PickAnswer("tok", 1, "a|b")),
        # malformed: no index, or not a number
        ("tok", PickAnswer("tok", None, "")),
        ("tok||5", PickAnswer("tok", None, "5")),
        ("tok|-1|5", PickAnswer("tok", None, "5")),
        ("tok|x|5", PickAnswer("tok", None, "5")),
        ("", PickAnswer("", None, "")),
    ],
)
def test_read_pick(value: str, answer: PickAnswer) -> None:
    assert read_pick(value) == answer


@given(st.text(max_size=40))
def test_read_pick_never_raises_and_keeps_the_token(value: str) -> None:
    answer = read_pick(value)
    assert answer.token == value.split("|", 1)[0]
    assert answer.index is None or answer.index >= 0


@pytest.mark.parametrize(
    ("value", "ids"),
    [
        ("7:12", (7, 12)),
        ("0:0", (0, 0)),
        ("7", (None, None)),
        ("7:", (None, None)),
        (":12", (None, None)),
        ("7:12:1", (None, None)),
        ("a:b", (None, None)),
        (None, (None, None)),
        ("", (None, None)),
    ],
)
def test_project_ids(value: object, ids: tuple[int | None, int | None]) -> None:
    assert project_ids(value) == ids
