"""Where timer cards are kept: sealed response_urls, per timer, a few at most."""

from __future__ import annotations

import json

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import UserSettings
from bot.security.crypto import Keyring, generate_key_spec
from bot.services.timer_cards import MAX_PLACES, CardPlace, TimerCards

URL = "https://hooks.slack.com/actions/T0ACME/1/secret-part"


def cards(sessions: async_sessionmaker[AsyncSession], spec: str | None = None) -> TimerCards:
    return TimerCards(sessions, Keyring.from_spec(spec or generate_key_spec("k1")))


async def stored(sessions: async_sessionmaker[AsyncSession]) -> str:
    async with sessions() as session:
        row = (await session.execute(UserSettings.__table__.select())).one()
    return json.dumps(row.extra)


async def test_places_come_back_once_for_their_timer(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    kept = cards(sessions)
    dm = CardPlace(channel="D0MARIA", ts="1.2")
    await kept.remember("T0ACME", "U0MARIA", 7, [CardPlace(response_url=URL)])
    await kept.remember("T0ACME", "U0MARIA", 7, [dm])
    assert "secret-part" not in await stored(sessions)  # a bearer capability, sealed

    assert await kept.take("T0ACME", "U0MARIA", 8) == []  # another timer: nothing, kept
    assert await kept.take("T0ACME", "U0MARIA", 7) == [CardPlace(response_url=URL), dm]
    assert await kept.take("T0ACME", "U0MARIA", 7) == []  # rewritten once


async def test_a_new_timer_starts_a_new_list_of_a_few_places(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    kept = cards(sessions)
    await kept.remember("T0ACME", "U0MARIA", 7, [CardPlace(channel="D0MARIA", ts="1.0")])
    places = [CardPlace(channel="D0MARIA", ts=f"2.{i}") for i in range(MAX_PLACES + 2)]
    for place in places:
        await kept.remember("T0ACME", "U0MARIA", 8, [place])
    assert await kept.take("T0ACME", "U0MARIA", 8) == places[-MAX_PLACES:]


async def test_a_url_sealed_under_a_retired_key_is_skipped(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    dm = CardPlace(channel="D0MARIA", ts="1.2")
    await cards(sessions).remember("T0ACME", "U0MARIA", 7, [CardPlace(response_url=URL), dm])
    assert await cards(sessions, generate_key_spec("k2")).take("T0ACME", "U0MARIA", 7) == [dm]
