"""Project feeds exactly once: a feed job process SIGKILLed at random moments while it posts,
then restarted, loses no change and posts none twice; three feed job processes at once on
PostgreSQL (leases with FOR UPDATE SKIP LOCKED) whose polls outlast their lease, one of them
killed now and then, do the same.

The feed jobs run as real subprocesses (`python -c`, the app's own `feed_poller`) against the
shared database; the sandbox (Astravue, Keycloak, Slack) is served from this test process.
"""

from __future__ import annotations

import asyncio
import random
import signal
import sys

import pytest
from sqlalchemy import select

from bot.db.feed_models import FeedPost, FeedPostStatus, FeedSubscription
from bot.sandbox.stack import Stack
from tests.conftest import requires_postgres
from tests.reliability.pollers import poller_env
from tests.scenario.conftest import connect
from tests.scenario.feeds_helpers import DEV, command, fast_poller, post_counts, project_id, tick

# Without arguments the job, once started, waits for "go" on stdin and then clears leases
# (safe only because the test has killed the previous one by then); with (lease seconds,
# seconds between posts to a channel, posts per poll) it uses them and clears nothing: other
# jobs run, and a short lease lapses.
FEED_JOB = """
import asyncio, sys
from datetime import timedelta
from sqlalchemy import update
from bot.config import load_settings
from bot.db.base import utcnow
from bot.db.feed_models import FeedSubscription
from bot.outbound.feed_poster import feed_poller
from bot.wiring import build_runtime

async def main():
    runtime = build_runtime(load_settings(_env_file=None))
    poller = feed_poller(runtime.services)
    messenger = poller.sender.messenger
    messenger.channel_interval, messenger.workspace_interval = 0.02, 0.01
    if len(sys.argv) > 1:
        poller.ledger.lease = timedelta(seconds=float(sys.argv[1]))
        messenger.channel_interval, poller.posts_per_poll = float(sys.argv[2]), int(sys.argv[3])
        print("ready", flush=True)
    else:
        messenger.channel_interval = 0.15  # a wider window for a kill to land mid-delivery
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)  # "go"
        async with runtime.sessions() as session, session.begin():
            await session.execute(update(FeedSubscription).values(lease_owner=None,
                                                                  lease_expires_at=None))
    while True:
        async with runtime.sessions() as session, session.begin():
            await session.execute(update(FeedSubscription).values(next_poll_at=utcnow()))
        await poller.tick()
        await asyncio.sleep(0.05)  # three jobs in a busy loop would starve the machine

asyncio.run(main())
"""

FEEDS = (("Website", "C0GENERAL"), ("Mobile App", "C0MOBILE"), ("Launch", "C0LAUNCH"))
CHANNELS = tuple(channel for _, channel in FEEDS)
KILLS = 15


async def _start(env: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        FEED_JOB,
        *args,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    assert process.stdout is not None
    assert (await asyncio.wait_for(process.stdout.readline(), 60)).strip() == b"ready"
    return process


async def _go(process: asyncio.subprocess.Process) -> asyncio.subprocess.Process:
    assert process.stdin is not None
    process.stdin.write(b"go\n")
    await process.stdin.drain()
    return process


async def _kill(process: asyncio.subprocess.Process) -> None:
    process.send_signal(signal.SIGKILL)
    await process.wait()


async def _three_feeds_past_their_first_read(stack: Stack) -> dict[str, int]:
    """Maria's three feeds, read once (silently) in this process; project -> subscription."""
    await connect(stack, "U0MARIA")
    for project, channel in FEEDS:
        said = await command(stack, "U0MARIA", f"feed {project} <#{channel}|x> --no-digest")
        assert "now follows" in said
    await tick(stack, fast_poller(stack))
    async with stack.runtime.sessions() as session:
        rows = (await session.scalars(select(FeedSubscription))).all()
    return {row.project_name: row.id for row in rows}


def _new_tasks(
    stack: Stack, feeds: dict[str, int], per_project: int, made: set[tuple[int, str]]
) -> None:
    """Tasks created in every followed project; the posts they must each cause once."""
    for project, feed_id in feeds.items():
        for _ in range(per_project):
            task = stack.sandbox.astravue.create_task(
                DEV, f"task {len(made)}", project_id=project_id(stack, project)
            )
            made.add((feed_id, f"created:{task.task_id}:1"))


async def _pending_rows(stack: Stack) -> int:
    async with stack.runtime.sessions() as session:
        rows = await session.scalars(
            select(FeedPost.id).where(FeedPost.status == FeedPostStatus.PENDING)
        )
        return len(rows.all())


async def _until_all_posted(stack: Stack, made: set[tuple[int, str]], within: float) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not set(post_counts(stack, *CHANNELS)) >= made:
        assert asyncio.get_running_loop().time() < deadline, "changes were lost"
        await asyncio.sleep(0.1)


@pytest.mark.timeout(300)
async def test_sigkill_while_posting_loses_no_change_and_posts_none_twice(stack: Stack) -> None:
    feeds = await _three_feeds_past_their_first_read(stack)
    env, rng, made = poller_env(stack, poll_seconds=5), random.Random(16), set[tuple[int, str]]()
    killed_with_work_pending = 0
    # Starting a process takes seconds on a loaded machine: the next one starts while the
    # current one works, and is let go once the current one is dead.
    upcoming = asyncio.create_task(_start(env))
    for _ in range(KILLS):
        _new_tasks(stack, feeds, 2, made)
        process = await _go(await upcoming)
        upcoming = asyncio.create_task(_start(env))
        await asyncio.sleep(rng.uniform(0.0, 1.5))
        await _kill(process)
        killed_with_work_pending += await _pending_rows(stack) > 0
    process = await _go(await upcoming)  # the last run finishes the work
    try:
        await _until_all_posted(stack, made, within=120)
        await asyncio.sleep(1)  # a duplicate would be posted by now
    finally:
        await _kill(process)
    counts = post_counts(stack, *CHANNELS)
    assert set(counts) == made, "a post that is no change"
    duplicated = {key: n for key, n in counts.items() if n > 1}
    assert not duplicated, f"posted twice: {duplicated}"
    assert killed_with_work_pending, "no kill landed while posts were pending: test too weak"


# A 1-second lease, posts 0.5 s apart and at most 3 per poll (1.5 s): every poll with a
# backlog outlasts its lease while the other jobs claim whatever is due.
SHORT_LEASE = ("1", "0.5", "3")
ROUNDS = 5


@requires_postgres
@pytest.mark.timeout(300)
async def test_three_feed_jobs_on_postgresql_post_each_change_exactly_once(stack: Stack) -> None:
    feeds = await _three_feeds_past_their_first_read(stack)
    env, rng, made = poller_env(stack, poll_seconds=5), random.Random(17), set[tuple[int, str]]()
    # Starting a process takes seconds on a loaded machine: each round starts the next one
    # while three run, then kills the oldest in the middle of its work.
    running = list(await asyncio.gather(*(_start(env, *SHORT_LEASE) for _ in range(3))))
    try:
        for _ in range(ROUNDS):
            _new_tasks(stack, feeds, 4, made)
            fresh = asyncio.create_task(_start(env, *SHORT_LEASE))
            await asyncio.sleep(rng.uniform(0.3, 1.5))
            await _kill(running.pop(0))
            running.append(await fresh)
        await _until_all_posted(stack, made, within=90)
        await asyncio.sleep(2)  # a job that lost its lease and still posted would have by now
    finally:
        for process in running:
            await _kill(process)
    counts = post_counts(stack, *CHANNELS)
    assert set(counts) == made
    duplicated = {key: n for key, n in counts.items() if n > 1}
    assert not duplicated, f"{len(duplicated)} changes posted more than once: {duplicated}"
