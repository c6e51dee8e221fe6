"""What every resource shares: the transport it calls, query building and paging facts."""

from __future__ import annotations

from typing import Any, Literal, Protocol, TypeVar

from bot.astravue.envelopes import RawList
from bot.astravue.pagination import Page
from bot.astravue.transport import Transport

T = TypeVar("T")
SortDirection = Literal["ASC", "DESC"]
DEFAULT_PAGE_SIZE = 20


class Resource:
    def __init__(self, transport: Transport) -> None:
        self._transport = transport


class PagedResponse(Protocol):
    """A list answer with paging facts (`TaskListResponse`, `ProjectListResponse`)."""

    @property
    def size(self) -> int | None: ...

    @property
    def total_pages(self) -> int | None: ...

    @property
    def last(self) -> bool | None: ...


def query(**params: Any) -> dict[str, Any]:
    return {key: value for key, value in params.items() if value is not None}


def paging_facts(raw: RawList) -> dict[str, Any]:
    return {
        "page": raw.number,
        "size": raw.size,
        "total_elements": raw.total_elements,
        "total_pages": raw.total_pages,
        "last": raw.last,
    }


def page_of(number: int, items: list[T], requested_size: int, response: PagedResponse) -> Page[T]:
    return Page.of(
        number,
        items,
        size=response.size or requested_size,
        total_pages=response.total_pages,
        last=response.last,
    )
