"""Scale-out on PostgreSQL (issue 7): three poller processes polling the same 300 users for
several intervals deliver every notification exactly once and poll each user once per interval.

Three real OS processes (tests/reliability/fleet.py) run ticks back to back against one
PostgreSQL database. How "once per interval" is measured: an interval ends when every link was
claimed since it began and its lease released, and every process has printed a "tick" since.
Within it each link must have been polled exactly once across the three processes.
Cross-check from the server side: the sandbox saw exactly 300 `GET /v1/notifications` in that
interval (one page per poll, as every user has < 50). Delivery is counted per (link,
notification), in the Slack DMs' metadata and in the `notification_deliveries` ledger.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select, update

from bot.db.base import utcnow
from bot.db.models import DeliveryStatus, NotificationDelivery, PollState
from bot.sandbox.stack import Stack
from tests.conftest import requires_postgres
from tests.reliability.fleet import (
    ASTRAVUE_USERS,
    PROCESSES,
    ROUND_TIMEOUT,
    Pollers,
    delivered_dms,
    finish_round,
    link_everyone,
    relax_commit_durability,
    start_round,
    wait_for,
)
from tests.reliability.pollers import poller_env

LINKS = 300
ROUNDS = 4  # the first is every link's first poll; each later one brings new notifications
NEW_PER_USER = 2


@requires_postgres
@pytest.mark.timeout(ROUNDS * ROUND_TIMEOUT + 60)  # the per-round safety net decides, not this
async def test_three_pollers_deliver_exactly_once_and_poll_once_per_interval(stack: Stack) -> None:
    slack, astravue = stack.sandbox.slack, stack.sandbox.astravue
    slack.channel_per_second = slack.channel_burst = 1_000
    slack.workspace_per_minute = slack.workspace_burst = 1_000_000
    await relax_commit_durability(stack)
    links = await link_everyone(stack, LINKS)
    made: dict[int, list[int]] = {user_id: [] for user_id in ASTRAVUE_USERS}
    pollers = Pollers()
    await pollers.start(poller_env(stack, poll_seconds=3600))
    try:
        for round_number in range(ROUNDS):
            if round_number:
                for user_id in ASTRAVUE_USERS:
                    actor = 2 if user_id == 1 else 1  # own actions are skipped by default
                    made[user_id] += [
                        astravue.add_notification(
                            user_id, "comment", f"round {round_number} note {n}", actor_id=actor
                        ).notification_id
                        for n in range(NEW_PER_USER)
                    ]
            loop = asyncio.get_running_loop()
            began = loop.time()
            polls, listings = await finish_round(
                stack, pollers, await start_round(stack, pollers), LINKS
            )
            print(
                f"interval {round_number}: {sum(polls.values())} polls, {listings} "
                f"listings in {loop.time() - began:.1f} s"
            )
            assert polls == Counter(dict.fromkeys(links, 1)), (
                f"interval {round_number}: not every link polled exactly once"
            )
            assert listings == LINKS
    finally:
        await pollers.stop()

    by_process = Counter(index for index, kind, _ in pollers.lines if kind == "polled")
    print(f"polls per process: {dict(by_process)}")
    assert len(by_process) == PROCESSES, "a poller never won a claim: no scale-out shown"

    expected = {(link_id, n) for link_id, (_, user_id) in links.items() for n in made[user_id]}
    assert len(expected) == LINKS * NEW_PER_USER * (ROUNDS - 1)
    delivered = delivered_dms(stack, links)
    assert set(delivered) == expected, "lost notifications"
    assert max(delivered.values()) == 1, "duplicated notifications"

    async with stack.runtime.sessions() as session:
        ledger = (
            await session.execute(
                select(
                    NotificationDelivery.link_id,
                    NotificationDelivery.notification_id,
                    NotificationDelivery.status,
                    NotificationDelivery.message_ts,
                )
            )
        ).all()
    sent = {
        (row.link_id, row.notification_id)
        for row in ledger
        if row.status == DeliveryStatus.SENT and row.message_ts
    }
    assert sent == expected
    assert all(
        row.status == DeliveryStatus.SKIPPED
        for row in ledger
        if (row.link_id, row.notification_id) not in expected
    ), "only the notifications that existed before the first poll may be skipped"


# The short-lease case (issue 12): 12 new notifications per link, DMs paced 0.5 s apart and at
# most 5 per poll, so one poll posts for 2.5 s and a whole backlog takes 6 s, both longer than
# the 2-second lease. Links are made due again and again while anything is undelivered, so a
# poller whose lease lapsed finds its links claimed by another at once.
SHORT_LEASE = ("2", "0.5", "5")
BACKLOG_LINKS, BACKLOG = 8, 12


@requires_postgres
async def test_polls_outlasting_their_lease_deliver_exactly_once(stack: Stack) -> None:
    slack, astravue = stack.sandbox.slack, stack.sandbox.astravue
    slack.channel_per_second = slack.channel_burst = 1_000
    slack.workspace_per_minute = slack.workspace_burst = 1_000_000
    links = await link_everyone(stack, BACKLOG_LINKS)
    pollers = Pollers()
    await pollers.start(poller_env(stack, poll_seconds=3600), *SHORT_LEASE)
    try:
        await _run_interval_until(stack, lambda polls: polls.initialized.is_(True))
        made = {
            user_id: [
                astravue.add_notification(
                    user_id, "comment", f"backlog note {n}", actor_id=2 if user_id == 1 else 1
                ).notification_id
                for n in range(BACKLOG)
            ]
            for user_id in ASTRAVUE_USERS
        }
        expected = {(link_id, n) for link_id, (_, user_id) in links.items() for n in made[user_id]}
        await _run_interval_until(
            stack,
            lambda polls: polls.link_id.not_in(
                select(NotificationDelivery.link_id).where(
                    NotificationDelivery.status == DeliveryStatus.PENDING
                )
            ),
            check=lambda: set(delivered_dms(stack, links)) >= expected,
        )
        await asyncio.sleep(3)  # a lapsed poller still posting would do so by now
    finally:
        await pollers.stop()
    delivered = delivered_dms(stack, links)
    assert set(delivered) == expected, "lost notifications"
    duplicated = {key: count for key, count in delivered.items() if count > 1}
    assert not duplicated, (
        f"{sum(duplicated.values()) - len(duplicated)} duplicated DMs "
        f"for {len(expected)} notifications"
    )


async def _run_interval_until(
    stack: Stack, done: Callable[[Any], Any], check: Callable[[], bool] = lambda: True
) -> None:
    """Make every link due every 0.2 s until each one meets `done` (a condition on its poll
    state) with no lease held, and `check()` holds."""

    async def finished() -> bool:
        async with stack.runtime.sessions() as session, session.begin():
            await session.execute(update(PollState).values(next_poll_at=utcnow()))
            left = await session.scalar(
                select(func.count()).where(~(done(PollState) & PollState.lease_owner.is_(None)))
            )
        return not left and check()

    await wait_for(finished, "the backlog to be delivered")
