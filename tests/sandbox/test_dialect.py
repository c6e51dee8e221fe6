"""The sandbox's dialect switches shape answers as documented, and bad names are refused."""

from __future__ import annotations

import pytest

from bot.sandbox.dialect import SWITCHES, Dialect


def test_parse_all_and_single_switches() -> None:
    assert str(Dialect.parse("")) == "default"
    assert str(Dialect.parse("all")) == ",".join(SWITCHES)
    assert Dialect.parse(" Spring_Pages , string_ids ").spring_pages
    assert not Dialect.parse("all").ignores_paging  # a fault, never part of "all"


def test_an_unknown_switch_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown sandbox dialect switch spring_page; known: "):
        Dialect.parse("spring_page")


def test_switch_to_changes_a_shared_dialect_in_place() -> None:
    shared = Dialect()
    shared.switch_to("oldest_first")
    assert shared.oldest_first and not shared.spring_pages
    shared.switch_to("")
    assert str(shared) == "default"


def test_value_switches_reshape_nested_answers() -> None:
    task = {
        "taskId": 7,
        "owners": [],
        "tags": [],
        "createdBy": {"userId": 1},
        "descriptionMentionedUserIds": [2],
        "completion": 50,
    }
    shaped = Dialect.parse("null_collections,string_ids,extra_fields").data(task)
    assert shaped["owners"] is None and shaped["tags"] is None
    assert shaped["taskId"] == "7" and shaped["createdBy"]["userId"] == "1"
    assert shaped["descriptionMentionedUserIds"] == ["2"] and shaped["completion"] == 50
    assert shaped["version"] == 3 and shaped["createdBy"]["archived"] is False
    assert Dialect().data(task) is task


def test_spring_pages_and_the_paging_fault() -> None:
    page = Dialect.parse("spring_pages").page("tasks", [1, 2], page=1, size=2, total=5)
    assert page["content"] == [1, 2] and page["totalPages"] == 3 and page["last"] is False
    assert page["pageable"]["pageNumber"] == 1 and "tasks" not in page
    assert Dialect.parse("spring_pages").listing([1])["content"] == [1]
    assert Dialect.parse("ignores_paging").page("tasks", [1], page=3, size=1, total=9) == {
        "tasks": [1]
    }
    assert Dialect().listing([1]) == [1]
