"""Distributed mode: the poller's Messenger with one workspace budget per team.

Slack's chat.postMessage limits are per workspace, so many installed teams must not share
one budget (four DMs a second for the whole app). Each post books its slot in the budget of
the team the current task acts for (`acting_for`); the per-channel pacing and Retry-After
stay as the Messenger keeps them (channel ids do not repeat across teams).
"""

from __future__ import annotations

from typing import Any

from bot.services.messenger import Messenger
from bot.slack.team_clients import acting_team

MAX_TEAMS = 10_000  # budgets kept; past that, the ones already free again are dropped


class TeamPacedMessenger(Messenger):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._team_next: dict[str, float] = {}

    async def _reserve(self, channel: str) -> float:
        team = acting_team() or ""
        async with self._lock:
            now = self.clock()
            at = max(
                now,
                self._channel_next.get(channel, 0.0),
                self._team_next.get(team, 0.0),
                self._blocked_until.get(channel, 0.0),
            )
            self._channel_next[channel] = at + self.channel_interval
            self._team_next[team] = at + self.workspace_interval
            if len(self._team_next) > MAX_TEAMS:
                self._team_next = {t: n for t, n in self._team_next.items() if n > now}
            return at
