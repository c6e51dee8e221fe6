"""Where a running timer is shown, so that stopping it from anywhere turns every card that
showed it into the stopped state.

A card is reachable later in one of two ways: a message the app posted (channel and ts, e.g.
a DM), or the response_url that wrote it (an ephemeral reply lives only there, 30 minutes
and 5 uses). A response_url is a bearer capability, so it is sealed like a token. The places
of the user's current timer are kept in their settings row; a new timer starts a new list.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.db.repositories import settings_for
from bot.db.session import session_scope
from bot.security.crypto import DecryptionError, TokenContext

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from bot.security.crypto import Keyring

log = logging.getLogger(__name__)

CARDS_KEY = "timer_cards"
MAX_PLACES = 5  # a few status checks at most; the oldest response_urls expire first anyway


@dataclass(frozen=True)
class CardPlace:
    """A message showing a timer: posted (`channel`, `ts`) or behind a `response_url`."""

    channel: str | None = None
    ts: str | None = None
    response_url: str | None = None


class TimerCards:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], keyring: Keyring) -> None:
        self.sessions = sessions
        self.keyring = keyring

    @staticmethod
    def _aad(team_id: str, user_id: str, tracker_id: int) -> TokenContext:
        return TokenContext(
            team_id=team_id,
            slack_user_id=user_id,
            link_id=0,
            purpose=f"timer_card:{tracker_id}",
        )

    async def remember(
        self, team_id: str, user_id: str, tracker_id: int, places: list[CardPlace]
    ) -> None:
        """These places show timer (or entry) `tracker_id` now, with those already kept for
        it; the most recent `MAX_PLACES` are kept."""
        aad = self._aad(team_id, user_id, tracker_id)
        new = [
            {"u": self.keyring.encrypt(p.response_url, aad=aad)}
            if p.response_url
            else {"c": p.channel, "ts": p.ts}
            for p in places
        ]
        async with session_scope(self.sessions) as session:
            row = await settings_for(session, team_id, user_id)
            cards = dict((row.extra or {}).get(CARDS_KEY) or {})
            known = list(cards.get("places") or []) if cards.get("tracker") == tracker_id else []
            row.extra = {
                **(row.extra or {}),
                CARDS_KEY: {"tracker": tracker_id, "places": [*known, *new][-MAX_PLACES:]},
            }

    async def take(self, team_id: str, user_id: str, tracker_id: int) -> list[CardPlace]:
        """The places that showed this timer, forgotten as they are returned (a stopped
        timer's cards are rewritten once)."""
        async with session_scope(self.sessions) as session:
            row = await settings_for(session, team_id, user_id)
            cards = dict((row.extra or {}).get(CARDS_KEY) or {})
            if cards.get("tracker") != tracker_id:
                return []
            row.extra = {k: v for k, v in (row.extra or {}).items() if k != CARDS_KEY}
        aad = self._aad(team_id, user_id, tracker_id)
        found = []
        for stored in cards.get("places") or []:
            if "u" not in stored:
                found.append(CardPlace(channel=stored.get("c"), ts=stored.get("ts")))
                continue
            try:
                found.append(CardPlace(response_url=self.keyring.decrypt(stored["u"], aad=aad)))
            except DecryptionError:  # sealed under a key since retired: that card stays as is
                log.info("a timer card's response_url no longer opens; skipping it")
        return found
