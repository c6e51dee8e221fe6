"""Crash safety: a poller process is SIGKILLed at random moments of delivery, 50 times, and
restarted; in the end no notification is lost and none is delivered twice.

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
from tests.scenario.conftest import connect

KILLS = 50
USERS = {1: "U0MARIA", 2: "U0DEV"}

# A dead process's lease would block its users for minutes; the restarted poller clears
# leases first, which is only safe because the test knows the previous process is dead.
POLLER = """
import asyncio, sys
from sqlalchemy import update
from bot.config import load_settings
from bot.db.base import utcnow
from bot.db.models import PollState
from bot.wiring import build_runtime

async def main():
    runtime = build_runtime(load_settings(_env_file=None))
    messenger = runtime.services.notifications.messenger
    messenger.channel_interval, messenger.workspace_interval = 0.02, 0.01  # fast test pacing
    async with runtime.sessions() as session, session.begin():
        await session.execute(update(PollState).values(lease_owner=None, lease_expires_at=None))
    print("ready", flush=True)
    while True:
        async with runtime.sessions() as session, session.begin():
            await session.execute(update(PollState).values(next_poll_at=utcnow()))
        await runtime.services.notifications.tick()
        print("tick", flush=True)

asyncio.run(main())
"""



async def _start(env: dict[str, str]) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", POLLER, env=env, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL)
    assert process.stdout is not None
    assert (await asyncio.wait_for(process.stdout.readline(), 20)).strip() == b"ready"
    return process


async def test_sigkill_during_delivery_loses_nothing_and_duplicates_nothing(
        stack: Stack) -> None:
    for user in USERS.values():
        await connect(stack, user)
    await stack.runtime.services.notifications.tick()  # first polls, in the test process
    stack.sandbox.slack.channel_per_second = stack.sandbox.slack.channel_burst = 100
    stack.sandbox.slack.workspace_per_minute = stack.sandbox.slack.workspace_burst = 10_000
    env, rng, made = poller_env(stack, poll_seconds=5), random.Random(11), []
    for _ in range(KILLS):
        for user in USERS:
            made += [stack.sandbox.astravue.add_notification(
                user, "comment", f"note {len(made)}", actor_id=3).notification_id
                for _ in range(2)]
        process = await _start(env)
        await asyncio.sleep(rng.uniform(0.0, 0.4))
        process.send_signal(signal.SIGKILL)
        await process.wait()
    process = await _start(env)  # the last run finishes the work
    assert process.stdout is not None
    for _ in range(2):
        await asyncio.wait_for(process.stdout.readline(), 30)
    process.send_signal(signal.SIGKILL)
    await process.wait()

    delivered: Counter[int] = Counter()
    for slack_user in USERS.values():
        for message in stack.sandbox.slack.dm_messages(slack_user):
            if message.metadata:
                delivered[message.metadata["event_payload"]["notification_id"]] += 1
    assert sorted(delivered) == sorted(made), "lost notifications"
    assert max(delivered.values()) == 1, "duplicated notifications"
