"""Scale-out with a death (issue 18): three poller processes on PostgreSQL share 3,000 users;
one is SIGKILLed in the middle of an interval. The two left still poll every user in that
interval, then exactly once per interval, and no DM is lost or posted twice.

The pollers (tests/reliability/fleet.py) run with a 3-second lease, renewed while they live:
the killed one's claims lapse still owned, and the others' next tick takes them over: a claim
does not move `next_poll_at`, so those links are still due.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from sqlalchemy import select

from bot.db.models import DeliveryStatus, NotificationDelivery
from bot.sandbox.stack import Stack
from tests.conftest import requires_postgres
from tests.reliability.fleet import (
    ASTRAVUE_USERS,
    Pollers,
    delivered_dms,
    finish_round,
    link_everyone,
    relax_commit_durability,
    start_round,
    wait_for,
)
from tests.reliability.pollers import poller_env

LINKS = 3_000
LEASE_SECONDS = "3"
VICTIM = 0
ROUND_TIMEOUT = 600.0  # 3,000 polls and DMs a round on 2 shared cores: 1-4 minutes


@requires_postgres
@pytest.mark.slow
@pytest.mark.timeout(4 * ROUND_TIMEOUT)
async def test_a_poller_killed_mid_interval_loses_no_user_and_no_dm(stack: Stack) -> None:
    slack, astravue = stack.sandbox.slack, stack.sandbox.astravue
    slack.channel_per_second = slack.channel_burst = 1_000
    slack.workspace_per_minute = slack.workspace_burst = 1_000_000
    await relax_commit_durability(stack)
    links = await link_everyone(stack, LINKS)
    pollers = Pollers()
    await pollers.start(poller_env(stack, poll_seconds=3600), LEASE_SECONDS)
    loop = asyncio.get_running_loop()
    made: dict[int, list[int]] = {}
    try:
        began = loop.time()
        await finish_round(stack, pollers, await start_round(stack, pollers), LINKS, ROUND_TIMEOUT)
        print(f"first polls: {loop.time() - began:.1f} s")

        made = {  # one new notification for every link, to be delivered in the next interval
            user_id: [
                astravue.add_notification(
                    user_id, "comment", "note", actor_id=2 if user_id == 1 else 1
                ).notification_id
            ]
            for user_id in ASTRAVUE_USERS
        }
        began = loop.time()
        killed_round = await start_round(stack, pollers)

        async def a_third_polled() -> bool:
            return sum(pollers.polled_since(killed_round.lines_mark).values()) >= LINKS // 3

        await wait_for(a_third_polled, "a third of the links to be polled", ROUND_TIMEOUT)
        await pollers.kill(VICTIM)
        polls, listings = await finish_round(stack, pollers, killed_round, LINKS, ROUND_TIMEOUT)
        print(f"interval with the kill: {listings} listings in {loop.time() - began:.1f} s")
        victim_polled = {
            number
            for index, kind, number in pollers.lines[killed_round.lines_mark :]
            if index == VICTIM and kind == "polled"
        }
        assert set(polls) == set(links), "a user was not polled in the interval of the kill"
        twice = {link_id for link_id, count in polls.items() if count > 1}
        print(f"users polled twice in it: {len(twice)}, all the killed poller's")
        # Polled twice only where the victim finished a poll but died before handing its
        # lease back (unchanged polls return leases in batches of 50).
        assert twice <= victim_polled, "a live poller's user was polled twice"
        assert len(twice) <= 50 + 20, f"{len(twice)} users polled twice"

        began = loop.time()
        polls, listings = await finish_round(
            stack, pollers, await start_round(stack, pollers), LINKS, ROUND_TIMEOUT
        )
        print(f"interval after: {listings} listings in {loop.time() - began:.1f} s")
        assert polls == Counter(dict.fromkeys(links, 1)), "not every user polled exactly once"
        assert listings == LINKS
    finally:
        await pollers.stop()

    expected = {(link_id, n) for link_id, (_, user_id) in links.items() for n in made[user_id]}
    dms = delivered_dms(stack, links)
    assert set(dms) == expected, f"{len(expected - set(dms))} notifications lost"
    assert max(dms.values()) == 1, "duplicated notifications"
    async with stack.runtime.sessions() as session:
        rows = await session.execute(
            select(NotificationDelivery.link_id, NotificationDelivery.notification_id)
            .where(NotificationDelivery.status == DeliveryStatus.SENT)
            .where(NotificationDelivery.message_ts.is_not(None))
        )
        sent = {(link_id, notification_id) for link_id, notification_id in rows}
    assert sent == expected
