"""Crash safety: a poller process is SIGKILLed at random moments of delivery, 50 times, and
restarted; in the end no notification is lost and none is delivered twice. Then the same with
two pollers at once whose polls outlast their lease, one of them killed now and then.

The poller runs as a real subprocess (`python -c` running ticks against the shared SQLite
database); the sandbox (Astravue, Keycloak, Slack) is served from this test process.
"""

from __future__ import annotations

import asyncio
import random
import signal
import sys
from collections import Counter

from bot.sandbox.stack import Stack
from tests.reliability.pollers import poller_env
from tests.scenario.conftest import connect, eventually

KILLS = 50
USERS = {1: "U0MARIA", 2: "U0DEV"}

# A dead process's lease would block its users for a lease (30 s); the restarted poller clears
# leases first, which is only safe because the test knows the previous process is dead.
# Given arguments (lease seconds, seconds between DMs to a channel, DMs per poll), it uses
# them and clears nothing: another poller is running, and a short lease lapses by itself.
POLLER = """
import asyncio, sys
from datetime import timedelta
from sqlalchemy import update
from bot.config import load_settings
from bot.db.base import utcnow
from bot.db.models import PollState
from bot.wiring import build_runtime

async def main():
    runtime = build_runtime(load_settings(_env_file=None))
    service = runtime.services.poller
    messenger = service.outbox.messenger
    messenger.channel_interval, messenger.workspace_interval = 0.02, 0.01  # fast test pacing
    if len(sys.argv) > 1:
        service.leases.lease = timedelta(seconds=float(sys.argv[1]))
        service.leases.keep_alive = False  # a stalled poller: its polls outlast their lease
        messenger.channel_interval, service.dms_per_poll = float(sys.argv[2]), int(sys.argv[3])
    else:
        async with runtime.sessions() as session, session.begin():
            await session.execute(update(PollState).values(lease_owner=None,
                                                           lease_expires_at=None))
    print("ready", flush=True)
    while True:
        async with runtime.sessions() as session, session.begin():
            await session.execute(update(PollState).values(next_poll_at=utcnow()))
        await runtime.services.poller.tick()
        print("tick", flush=True)

asyncio.run(main())
"""


async def _start(env: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        POLLER,
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    assert process.stdout is not None
    assert (await asyncio.wait_for(process.stdout.readline(), 20)).strip() == b"ready"
    return process


async def _linked_with_fast_slack(stack: Stack) -> None:
    """Both users linked and past their first poll; Slack rate limits out of the way."""
    for user in USERS.values():
        await connect(stack, user)
    await stack.runtime.services.poller.tick()  # first polls, in the test process
    stack.sandbox.slack.channel_per_second = stack.sandbox.slack.channel_burst = 100
    stack.sandbox.slack.workspace_per_minute = stack.sandbox.slack.workspace_burst = 10_000


async def test_sigkill_during_delivery_loses_nothing_and_duplicates_nothing(stack: Stack) -> None:
    await _linked_with_fast_slack(stack)
    env, rng, made = poller_env(stack, poll_seconds=5), random.Random(11), []
    for _ in range(KILLS):
        for user in USERS:
            made += [
                stack.sandbox.astravue.add_notification(
                    user, "comment", f"note {len(made)}", actor_id=3
                ).notification_id
                for _ in range(2)
            ]
        process = await _start(env)
        await asyncio.sleep(rng.uniform(0.0, 0.4))
        process.send_signal(signal.SIGKILL)
        await process.wait()
    process = await _start(env)  # the last run finishes the work, over several polls if
    try:  # the backlog is more than one poll sends
        await eventually(lambda: set(_delivered(stack)) >= set(made), within=60)
        await asyncio.sleep(1)  # a duplicate would be posted by now
    finally:
        process.send_signal(signal.SIGKILL)
        await process.wait()

    delivered = _delivered(stack)
    assert sorted(delivered) == sorted(made), "lost notifications"
    assert max(delivered.values()) == 1, "duplicated notifications"


def _delivered(stack: Stack) -> Counter[int]:
    """DMs posted per notification, from the Slack DMs' metadata."""
    delivered: Counter[int] = Counter()
    for slack_user in USERS.values():
        for message in stack.sandbox.slack.dm_messages(slack_user):
            if message.metadata:
                delivered[message.metadata["event_payload"]["notification_id"]] += 1
    return delivered


# Issue 12: a 1-second lease, DMs 0.5 s apart and at most 3 per poll (1.5 s): every poll with
# a backlog outlasts its lease, while another poller claims whatever is due.
SHORT_LEASE = ("1", "0.5", "3")
OVERLAPPING_KILLS = 8


async def test_two_pollers_outlasting_their_lease_lose_nothing_and_duplicate_nothing(
    stack: Stack,
) -> None:
    await _linked_with_fast_slack(stack)
    env, rng = poller_env(stack, poll_seconds=5), random.Random(12)
    made: list[int] = []
    running = [await _start(env, *SHORT_LEASE)]
    try:
        for _ in range(OVERLAPPING_KILLS):
            running.append(await _start(env, *SHORT_LEASE))
            for astravue_user in USERS:
                made += [
                    stack.sandbox.astravue.add_notification(
                        astravue_user, "comment", f"note {len(made)}", actor_id=3
                    ).notification_id
                    for _ in range(4)
                ]
            await asyncio.sleep(rng.uniform(0.5, 2.0))
            victim = running.pop(0)
            victim.send_signal(signal.SIGKILL)
            await victim.wait()
        await eventually(lambda: set(_delivered(stack)) >= set(made), within=60)
        await asyncio.sleep(2)  # a poller that lost its lease and still posted would by now
    finally:
        for process in running:
            process.send_signal(signal.SIGKILL)
            await process.wait()
    delivered = _delivered(stack)
    assert sorted(delivered) == sorted(made), "lost notifications"
    duplicated = {key: count for key, count in delivered.items() if count > 1}
    assert not duplicated, (
        f"{sum(duplicated.values()) - len(duplicated)} duplicated DMs for {len(made)} notifications"
    )
