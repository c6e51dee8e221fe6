"""A list names itself in its block ids and buttons, and reads back from them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.task_lists import KINDS, ListSource


@given(
    kind=st.sampled_from(KINDS),
    args=st.text(max_size=300),
    page=st.integers(0, 500),
    extra=st.lists(st.text(max_size=120), max_size=3),
)
def test_a_list_reads_back_with_its_extras_and_fits_a_block_id(
    kind: str, args: str, page: int, extra: list[str]
) -> None:
    source = ListSource(kind, args, page, "today")
    encoded = source.encode(*extra)
    back, parts = ListSource.decode(encoded, len(extra))
    assert parts == extra and back.kind == kind and back.page == page
    assert args.startswith(back.args) and back.focus == "today"
    assert len(source.encode("overdue12")) <= 255  # a row's block id


@pytest.mark.parametrize(
    "value",
    ["", "3|list|x", "[]", '["nope",0,"",""]', '["list",-1,"",""]', '["list",0,"",1]', "{}"],
)
def test_anything_else_is_refused(value: str) -> None:
    with pytest.raises(ValueError):
        ListSource.decode(value)


def test_the_wrong_number_of_extras_is_refused() -> None:
    with pytest.raises(ValueError):
        ListSource.decode(ListSource("list").encode("p:1"))
