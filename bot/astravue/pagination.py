"""Lazy iteration over Astravue's page-numbered lists (0-based `page`, `size`).

A walk is bounded whatever the server does: it stops at an empty page, at a page that
repeats the previous one (a server that ignores `page`), and after `MAX_PAGES` pages. When it
stops for one of the last two reasons the list was cut short: the walk logs a warning naming
the operation, sets `PageWalk.cut_short`, and tells any `noting_cut_short()` block around it,
so whoever renders the result can say "showing the first N".
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)

MAX_PAGES = 50  # per walk; at the usual 100 per page that is 5,000 items


@dataclass(frozen=True)
class Page(Generic[T]):
    number: int
    items: list[T]
    has_next: bool
    total_pages: int | None = None

    @classmethod
    def of(
        cls,
        number: int,
        items: list[T],
        *,
        size: int,
        total_pages: int | None = None,
        last: bool | None = None,
    ) -> Page[T]:
        """A page of `size` requested items; whether more follow is judged from the answer."""
        return cls(
            number,
            items,
            has_next_page(
                page=number, size=size, count=len(items), total_pages=total_pages, last=last
            ),
            total_pages,
        )


def has_next_page(
    *, page: int, size: int, count: int, total_pages: int | None, last: bool | None = None
) -> bool:
    """Trust `last`, then `totalPages`, when the server sends them; else a full page may
    have a successor (`size` is the server's page size when it says, as it may cap ours)."""
    if last is not None:
        return not last
    if total_pages is not None:
        return page + 1 < total_pages
    return count >= size


_cut_short_notes: ContextVar[list[str] | None] = ContextVar("cut_short_notes", default=None)


@contextmanager
def noting_cut_short() -> Iterator[list[str]]:
    """Collect the operations whose walks were cut short inside this block (in this task and
    the tasks it starts), however deep in the services they ran."""
    notes: list[str] = []
    token = _cut_short_notes.set(notes)
    try:
        yield notes
    finally:
        _cut_short_notes.reset(token)


class PageWalk(Generic[T]):
    """The items of every page, fetched one page at a time as the caller iterates."""

    def __init__(
        self,
        fetch: Callable[[int], Awaitable[Page[T]]],
        *,
        operation: str,
        identity: Callable[[T], Hashable],
        first: int = 0,
        max_pages: int = MAX_PAGES,
    ) -> None:
        self._fetch = fetch
        self._operation = operation
        self._identity = identity
        self._first = first
        self._max_pages = max_pages
        self.cut_short = False

    async def pages(self) -> AsyncIterator[Page[T]]:
        previous: list[Hashable] | None = None
        for number in range(self._first, self._first + self._max_pages):
            page = await self._fetch(number)
            ids = [self._identity(item) for item in page.items]
            if not ids:
                return
            if ids == previous:
                self._stop(f"page {number} repeated page {number - 1}")
                return
            yield page
            if not page.has_next:
                return
            previous = ids
        self._stop(f"still more after {self._max_pages} pages")

    def _stop(self, why: str) -> None:
        self.cut_short = True
        log.warning(
            "%s: stopped reading pages (%s); the list shown is cut short", self._operation, why
        )
        notes = _cut_short_notes.get()
        if notes is not None:
            notes.append(self._operation)

    async def _items(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for item in page.items:
                yield item

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()
