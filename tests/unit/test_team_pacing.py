"""Distributed mode's Messenger paces each team against its own workspace budget."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.slack.pacing import TeamPacedMessenger
from bot.slack.team_clients import acting_for


class _Client:
    async def chat_postMessage(self, **message: Any) -> dict[str, Any]:
        return {"ts": "1.0"}


async def _slots(messenger: TeamPacedMessenger, team: str, channels: list[str]) -> list[float]:
    acting_for(team)
    return [await messenger._reserve(channel) for channel in channels]


async def test_teams_do_not_share_a_workspace_budget() -> None:
    now = [100.0]
    messenger = TeamPacedMessenger(_Client(), workspace_per_second=1.0, clock=lambda: now[0])  # type: ignore[arg-type]
    a, b = await asyncio.gather(
        asyncio.create_task(_slots(messenger, "T1", ["D1", "D2", "D3"])),
        asyncio.create_task(_slots(messenger, "T2", ["D4", "D5", "D6"])),
    )
    assert a == [100.0, 101.0, 102.0]  # one team: one post a second across its channels
    assert b == [100.0, 101.0, 102.0]  # the other team is not held up by the first
