"""The shapes a list answer may take, read into one `RawList` (items and paging facts).

Whether Astravue lists come as a bare array, under the documented wrapper key
(`{"tasks": [...], "totalPages": 3}`) or as a Spring `Page` (`{"content": [...], "number": 0,
"size": 20, "totalPages": 3, "last": false, "pageable": {...}}`) is inferred, so every
common shape is accepted. A shape none of these explains raises `UnexpectedResponse`: an
answer we cannot read must never look like an empty account.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.astravue.errors import UnexpectedResponse

# Keys that hold the items of a paged answer, after the operation's own wrapper key.
ITEM_KEYS = ("content", "items", "data")
# Spring Data REST (HAL): {"_embedded": {"tasks": [...]}, "page": {"number": 0, ...}}
HAL_ITEMS = "_embedded"


@dataclass(frozen=True)
class RawList:
    """A list answer before its items are validated."""

    items: list[Any]
    shape: str  # how the items were found, for logs and the api-probe table
    number: int | None = None  # the 0-based page number the server says it sent
    size: int | None = None  # the page size the server used (it may cap ours)
    total_pages: int | None = None
    total_elements: int | None = None
    last: bool | None = None


def read_list(data: Any, *, operation: str, wrapper: str | None = None) -> RawList:
    """The items and paging facts of a list answer (`data` of the success envelope)."""
    if data is None:
        return RawList([], "null")
    if isinstance(data, list):
        return RawList(data, "array")
    if not isinstance(data, Mapping):
        raise UnexpectedResponse(operation, f"a list was expected, got {_kind(data)}")
    for key in (*((wrapper,) if wrapper else ()), *ITEM_KEYS, HAL_ITEMS):
        if key not in data:
            continue
        inner = data[key]
        if key == HAL_ITEMS and isinstance(inner, Mapping):
            inner = _single_list(inner, wrapper)
            if inner is None:
                continue
        if isinstance(inner, Mapping):  # e.g. {"tasks": {"content": [...], ...}}
            nested = read_list(inner, operation=operation)
            return RawList(
                nested.items,
                f"{key}.{nested.shape}",
                nested.number,
                nested.size,
                nested.total_pages,
                nested.total_elements,
                nested.last,
            )
        if inner is None or isinstance(inner, list):
            return _paged(inner or [], key, data)
        raise UnexpectedResponse(
            operation, f"`{key}` holds {_kind(inner)}, not a list", keys=list(data)
        )
    raise UnexpectedResponse(operation, "no list in the answer", keys=list(data))


def _single_list(embedded: Mapping[str, Any], wrapper: str | None) -> list[Any] | None:
    if wrapper and isinstance(embedded.get(wrapper), list):
        return embedded[wrapper]  # type: ignore[no-any-return]
    lists = [value for value in embedded.values() if isinstance(value, list)]
    return lists[0] if len(lists) == 1 else None


def _paged(items: list[Any], key: str, data: Mapping[str, Any]) -> RawList:
    facts: Mapping[str, Any] = data
    if isinstance(data.get("page"), Mapping):  # HAL keeps the paging facts apart
        facts = data["page"]
    pageable: Mapping[str, Any] = (
        data["pageable"] if isinstance(data.get("pageable"), Mapping) else {}
    )
    number = _int(
        facts.get("number"), facts.get("page"), facts.get("pageNumber"), pageable.get("pageNumber")
    )
    size = _int(facts.get("size"), facts.get("pageSize"), pageable.get("pageSize"))
    last = facts.get("last")
    return RawList(
        items,
        key,
        number,
        size,
        _int(facts.get("totalPages")),
        _int(facts.get("totalElements"), facts.get("total")),
        last if isinstance(last, bool) else None,
    )


def _int(*candidates: Any) -> int | None:
    """The first candidate that is an integer (or a numeric string)."""
    for value in candidates:
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value.isdecimal():
            return int(value)
    return None


def _kind(value: Any) -> str:
    return "an object" if isinstance(value, Mapping) else f"a {type(value).__name__}"
