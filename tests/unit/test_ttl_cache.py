"""The expiring cache shared by Slack profiles and the people directory."""

from __future__ import annotations

from bot.ttl_cache import TTLCache


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_an_entry_lives_its_ttl_then_is_gone() -> None:
    clock = Clock()
    cache: TTLCache[str, int] = TTLCache(10, clock=clock)
    cache.put("a", 1)
    clock.now += 9.9
    assert cache.get("a") == 1 and cache.values() == [1]
    clock.now += 0.1
    assert cache.get("a") is None and cache.values() == []


def test_putting_again_renews_an_entry() -> None:
    clock = Clock()
    cache: TTLCache[str, int] = TTLCache(10, clock=clock)
    cache.put("a", 1)
    clock.now += 8
    cache.put("a", 2)
    clock.now += 8
    assert cache.get("a") == 2


def test_past_its_size_the_cache_starts_over() -> None:
    cache: TTLCache[int, int] = TTLCache(10, max_entries=2, clock=Clock())
    cache.put(1, 1)
    cache.put(2, 2)
    cache.put(3, 3)
    assert (cache.get(1), cache.get(2), cache.get(3)) == (None, None, 3)
