"""A small per-process cache whose entries expire: the one shape the Slack profiles and the
people directory share."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class TTLCache(Generic[K, V]):
    """Entries live `ttl` seconds. Past `max_entries` the cache starts over (cheaper than an
    eviction order, and a miss only costs one more lookup)."""

    def __init__(
        self,
        ttl: float,
        *,
        max_entries: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self.clock = clock
        self._entries: dict[K, tuple[float, V]] = {}

    def get(self, key: K) -> V | None:
        entry = self._entries.get(key)
        if entry is None or entry[0] <= self.clock():
            return None
        return entry[1]

    def put(self, key: K, value: V) -> None:
        if self.max_entries is not None and len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[key] = (self.clock() + self.ttl, value)

    def discard(self, key: K) -> None:
        self._entries.pop(key, None)

    def values(self) -> list[V]:
        """The live values, oldest first."""
        now = self.clock()
        return [value for expires, value in self._entries.values() if expires > now]
