"""HomeService's refresh policy: drawn fresh on open; after a write, redrawn only while
likely on screen, re-reading only the changed sections; overlapping redraws folded into one."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.domain.links import LinkInfo
from bot.outbound.home import OPEN_WINDOW, SECTION_TTL, HomeService
from tests.unit.services.fakes import LINK
from tests.unit.test_ttl_cache import Clock

TEAM, USER = LINK.team_id, LINK.slack_user_id


class OneLink:
    async def link(self, team_id: str, user_id: str) -> LinkInfo | None:
        return LINK if (team_id, user_id) == (TEAM, USER) else None


class Publishes:
    def __init__(self) -> None:
        self.views: list[dict[str, Any]] = []

    async def views_publish(self, *, user_id: str, view: dict[str, Any]) -> None:
        self.views.append(view)


class Home:
    """A HomeService with two sections that count their reads."""

    def __init__(self) -> None:
        self.clock = Clock()
        self.service = HomeService(OneLink(), None, clock=self.clock)  # type: ignore[arg-type]
        self.client = Publishes()
        self.reads = {"timer": 0, "tasks": 0}
        self.failing: set[str] = set()
        for name in self.reads:
            self.service.add_section(name, self._reader(name))

    def _reader(self, name: str) -> Any:
        async def read(link: LinkInfo) -> list[dict[str, Any]]:
            self.reads[name] += 1
            if name in self.failing:
                raise RuntimeError("Astravue down")
            return [{"type": "section", "text": {"type": "mrkdwn", "text": f"{name}"}}]

        return read

    async def open(self) -> None:
        await self.service.opened(self.client, TEAM, USER)  # type: ignore[arg-type]

    async def wrote(self, *changed: str, from_home: bool = False) -> None:
        await self.service.refresh(
            self.client,  # type: ignore[arg-type]
            TEAM,
            USER,
            changed,
            from_home=from_home,
        )


async def test_a_write_before_any_open_reads_and_publishes_nothing() -> None:
    home = Home()
    await home.wrote("timer")
    assert home.client.views == [] and home.reads == {"timer": 0, "tasks": 0}


async def test_open_reads_everything_then_a_write_rereads_only_its_section() -> None:
    home = Home()
    await home.open()
    assert home.reads == {"timer": 1, "tasks": 1}
    await home.wrote("timer")
    assert home.reads == {"timer": 2, "tasks": 1}
    assert len(home.client.views) == 2
    await home.open()  # an open never trusts the cache
    assert home.reads == {"timer": 3, "tasks": 2}


async def test_after_the_open_window_writes_wait_for_the_next_open() -> None:
    home = Home()
    await home.open()
    home.clock.now += OPEN_WINDOW
    await home.wrote("timer")
    assert len(home.client.views) == 1


async def test_a_click_in_the_home_redraws_it_and_keeps_it_current() -> None:
    home = Home()
    await home.wrote("timer", from_home=True)
    assert len(home.client.views) == 1
    await home.wrote("timer")  # the click counted as an open
    assert len(home.client.views) == 2


async def test_unchanged_sections_are_reread_once_their_draw_is_old() -> None:
    home = Home()
    await home.open()
    home.clock.now += SECTION_TTL
    await home.wrote("timer")
    assert home.reads == {"timer": 2, "tasks": 2}


async def test_a_failed_section_is_not_cached() -> None:
    home = Home()
    home.failing.add("tasks")
    await home.open()
    assert "Couldn't load tasks" in str(home.client.views[-1])
    home.failing.clear()
    await home.wrote("timer")
    assert home.reads["tasks"] == 2
    assert "Couldn't load" not in str(home.client.views[-1])


async def test_writes_during_a_redraw_join_one_more_redraw() -> None:
    home = Home()
    await home.open()
    release = asyncio.Event()
    slow_publish = home.client.views_publish

    async def publish(*, user_id: str, view: dict[str, Any]) -> None:
        await release.wait()
        await slow_publish(user_id=user_id, view=view)

    home.client.views_publish = publish  # type: ignore[method-assign]
    first = asyncio.create_task(home.wrote("timer"))
    await asyncio.sleep(0)
    await asyncio.gather(*(home.wrote("timer", "tasks") for _ in range(5)))  # return at once
    release.set()
    await first
    assert len(home.client.views) == 1 + 2  # the open, the first redraw, one for the rest
    assert home.reads == {"timer": 3, "tasks": 2}


async def test_a_write_elsewhere_makes_the_next_redraw_read_every_section() -> None:
    home = Home()
    await home.open()
    home.service.forget(LINK)  # e.g. a task completed by command
    await home.wrote("timer")
    assert home.reads == {"timer": 2, "tasks": 2}
