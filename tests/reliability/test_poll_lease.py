"""A poll and its lease (issue 12): at most `dms_per_poll` DMs per poll, the rest on the next
one, and a poller whose lease was taken over posts nothing more. In-process, against the
sandbox, on SQLite and PostgreSQL alike (the renewal is one conditional UPDATE)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy import select, update

from bot.db.base import utcnow
from bot.db.models import DeliveryStatus, NotificationDelivery, PollState
from bot.sandbox.stack import Stack
from tests.scenario.conftest import connect

MARIA = 1


def delivered(stack: Stack) -> list[int]:
    """Notification ids of Maria's DMs, in the order they were posted."""
    return [
        message.metadata["event_payload"]["notification_id"]
        for message in stack.sandbox.slack.dm_messages("U0MARIA")
        if message.metadata
    ]


async def new_notifications(stack: Stack, count: int) -> list[int]:
    await connect(stack, "U0MARIA")
    await stack.runtime.services.poller.tick()  # the first poll: summary only
    stack.sandbox.slack.channel_per_second = stack.sandbox.slack.channel_burst = 100
    return [
        stack.sandbox.astravue.add_notification(
            MARIA, "comment", f"note {n}", actor_id=3
        ).notification_id
        for n in range(count)
    ]


async def poll_again(stack: Stack) -> None:
    async with stack.runtime.sessions() as session, session.begin():
        await session.execute(update(PollState).values(next_poll_at=utcnow()))
    assert await stack.runtime.services.poller.tick() == 1


async def pending(stack: Stack) -> list[int]:
    async with stack.runtime.sessions() as session:
        return list(
            (
                await session.scalars(
                    select(NotificationDelivery.notification_id).where(
                        NotificationDelivery.status == DeliveryStatus.PENDING
                    )
                )
            ).all()
        )


async def test_a_poll_sends_at_most_its_cap_and_the_rest_on_the_next_polls(stack: Stack) -> None:
    made = await new_notifications(stack, 7)
    service = stack.runtime.services.poller
    service.dms_per_poll = 3
    service.outbox.messenger.channel_interval = 0.01
    sent_after = []
    for _ in range(3):
        await poll_again(stack)
        sent_after.append(len(delivered(stack)))
    assert sent_after == [3, 6, 7]
    assert delivered(stack) == made  # oldest first, each once
    assert await pending(stack) == []


async def test_a_poller_whose_lease_was_taken_over_posts_nothing_more(stack: Stack) -> None:
    made = await new_notifications(stack, 4)
    service = stack.runtime.services.poller
    real_sleep = service.outbox.messenger.sleep

    async def taken_over_while_waiting(delay: float) -> None:
        """The pacing wait before the second DM outlasts the lease: another poller claims
        the link meanwhile."""
        if not delivered(stack):  # the wait before the first one, after the summary DM
            await real_sleep(delay)
            return
        async with stack.runtime.sessions() as session, session.begin():
            await session.execute(
                update(PollState).values(
                    lease_owner="another-poller", lease_expires_at=utcnow() + timedelta(minutes=5)
                )
            )
        service.outbox.messenger.sleep = real_sleep

    service.outbox.messenger.sleep = taken_over_while_waiting
    await poll_again(stack)
    assert delivered(stack) == made[:1]
    assert await pending(stack) == made[1:]  # left for the poller that holds the lease
    async with stack.runtime.sessions() as session:
        poll = (await session.scalars(select(PollState))).one()
    assert poll.lease_owner == "another-poller" and poll.last_error is None

    async with stack.runtime.sessions() as session, session.begin():  # its lease lapses
        await session.execute(update(PollState).values(lease_expires_at=utcnow()))
    await poll_again(stack)
    assert delivered(stack) == made


async def test_a_live_poller_renews_its_polls_in_flight_and_lets_a_forgotten_lease_lapse(
    stack: Stack,
) -> None:
    """Renewal covers what a tick holds, not every row the poller's name is on: a lease whose
    release failed would otherwise be renewed for as long as the process lives, and its user
    never polled again."""
    await connect(stack, "U0MARIA")
    await connect(stack, "U0DEV")
    leases = stack.runtime.services.poller.leases
    leases.lease = timedelta(seconds=0.6)
    async with stack.runtime.sessions() as session, session.begin():
        await session.execute(update(PollState).values(next_poll_at=utcnow()))
    in_flight, forgotten = sorted(await leases.claim(10))
    leases.let_lapse([forgotten])

    async def expiries() -> dict[int, datetime | None]:
        async with stack.runtime.sessions() as session:
            rows = await session.execute(select(PollState.link_id, PollState.lease_expires_at))
            return {link_id: expires for link_id, expires in rows}

    before = await expiries()
    async with leases.kept_alive():
        await asyncio.sleep(0.5)  # past one renewal (every 0.2 s), short of the 0.6 s lease
        after = await expiries()
    renewed, kept = after[in_flight], before[in_flight]
    assert renewed is not None and kept is not None and renewed > kept, "a poll in flight lapsed"
    assert after[forgotten] == before[forgotten], "a forgotten lease was renewed"
