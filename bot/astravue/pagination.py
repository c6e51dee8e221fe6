"""Lazy iteration over Astravue's page-numbered lists (0-based `page`, `size`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    number: int
    items: list[T]
    has_next: bool

    @classmethod
    def of(
        cls, number: int, items: list[T], *, size: int, total_pages: int | None = None
    ) -> Page[T]:
        """A page of `size` requested items; whether more follow is judged from the answer."""
        return cls(
            number,
            items,
            has_next_page(page=number, size=size, count=len(items), total_pages=total_pages),
        )


def has_next_page(*, page: int, size: int, count: int, total_pages: int | None) -> bool:
    """Trust `totalPages` when the server sends it; otherwise a full page may have a successor."""
    if total_pages is not None:
        return page + 1 < total_pages
    return count >= size


async def iterate_pages(
    fetch: Callable[[int], Awaitable[Page[T]]], *, first: int = 0
) -> AsyncIterator[Page[T]]:
    """Fetch pages one at a time, only when the caller asks for the next one."""
    number = first
    while True:
        page = await fetch(number)
        yield page
        # An empty page ends the walk even if the server claims more, so it cannot loop.
        if not page.has_next or not page.items:
            return
        number += 1


async def iterate_items(
    fetch: Callable[[int], Awaitable[Page[T]]], *, first: int = 0
) -> AsyncIterator[T]:
    async for page in iterate_pages(fetch, first=first):
        for item in page.items:
            yield item
