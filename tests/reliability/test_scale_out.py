"""Scale-out on PostgreSQL (issue 7): three poller processes polling the same 300 users for
several intervals deliver every notification exactly once and poll each user once per interval.

Three real OS processes (`python -c`, each with its own engine, runtime and lease owner) run
ticks back to back against one PostgreSQL database; the sandbox (Astravue, Keycloak, Slack) is
served from this test process. The pollers use a one-hour poll interval, so after polling a
link none of them may touch it again until the test makes the next interval elapse by setting
every `next_poll_at` to now: all 300 links fall due at the same instant, the worst case for
the claim (`FOR UPDATE SKIP LOCKED` plus the lease).

How "once per interval" is measured: each process prints the id of every link it polled, and
"tick" after each tick (a tick's polls are printed before its "tick" line). An interval ends
when every link was polled since it began and its lease released, and every process has
printed a "tick" since. Within it each link must have been polled exactly once across the
three processes. Cross-check from the server side: the sandbox saw exactly 300
`GET /v1/notifications` in that interval (one page per poll, as every user has < 50).

The 300 links are inserted directly (tokens sealed with `LinkCredentials`), 75 per Astravue
user 1-4, each with its own Slack user, so every notification of user N is due once to each of
its 75 links: delivery is counted per (link, notification), in the Slack DMs' metadata and in
the `notification_deliveries` ledger.
"""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import suppress
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, make_url, select, text, update

from bot.db.base import utcnow
from bot.db.models import (
    AstravueLink,
    DeliveryStatus,
    LinkStatus,
    NotificationDelivery,
    PollState,
)
from bot.sandbox.server import CLIENT_ID, CLIENT_SECRET
from bot.sandbox.stack import Stack
from bot.services.credentials import ACCESS, REFRESH, LinkCredentials
from tests.conftest import requires_postgres
from tests.reliability.pollers import poller_env

PROCESSES = 3
LINKS = 300
ASTRAVUE_USERS = {1: "maria", 2: "dev", 3: "sam", 4: "gina"}
ROUNDS = 4  # the first is every link's first poll; each later one brings new notifications
NEW_PER_USER = 2
ROUND_TIMEOUT = 90.0  # a safety net: an interval takes 5-15 s on 2 busy cores

POLLER = """
import asyncio, sys
from datetime import timedelta
from bot.config import load_settings
from bot.wiring import build_runtime

async def main():
    runtime = build_runtime(load_settings(_env_file=None))
    service = runtime.services.poller
    messenger = service.outbox.messenger
    messenger.channel_interval, messenger.workspace_interval = 0.01, 0.001
    if len(sys.argv) > 1:  # lease seconds, seconds between DMs to a channel, DMs per poll
        service.leases.lease = timedelta(seconds=float(sys.argv[1]))
        service.outbox.messenger.channel_interval = float(sys.argv[2])
        service.dms_per_poll = int(sys.argv[3])
    poll_link = service.poll_link

    async def reporting(link_id, *args):
        await poll_link(link_id, *args)
        print("polled", link_id, flush=True)

    service.poll_link = reporting
    print("ready", flush=True)
    while True:
        print("tick", await service.tick(), flush=True)
        await asyncio.sleep(0.05)

asyncio.run(main())
"""


class Pollers:
    """The poller processes and everything they printed, in arrival order."""

    def __init__(self) -> None:
        self.processes: list[asyncio.subprocess.Process] = []
        self.lines: list[tuple[int, str, int]] = []  # (process, "polled"|"tick", number)
        self._readers: list[asyncio.Task[None]] = []

    async def start(self, env: dict[str, str], *args: str) -> None:
        for index in range(PROCESSES):
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-c", POLLER, *args, env=env, stdout=asyncio.subprocess.PIPE
            )
            assert process.stdout is not None
            assert (await asyncio.wait_for(process.stdout.readline(), 30)).strip() == b"ready"
            self.processes.append(process)
            self._readers.append(asyncio.create_task(self._read(index, process)))

    async def _read(self, index: int, process: asyncio.subprocess.Process) -> None:
        assert process.stdout is not None
        async for raw in process.stdout:
            kind, number = raw.decode().split()
            self.lines.append((index, kind, int(number)))

    def polled_since(self, mark: int) -> Counter[int]:
        return Counter(number for _, kind, number in self.lines[mark:] if kind == "polled")

    def all_ticked_since(self, mark: int) -> bool:
        return {index for index, kind, _ in self.lines[mark:] if kind == "tick"} == set(
            range(PROCESSES)
        )

    async def stop(self) -> None:
        for process in self.processes:
            with suppress(ProcessLookupError):
                process.kill()
            await process.wait()
        for reader in self._readers:
            reader.cancel()


def _slack_users(count: int) -> Iterator[tuple[str, int]]:
    """(Slack user id, Astravue user id) of every link, spread evenly over the users."""
    users = sorted(ASTRAVUE_USERS)
    for number in range(count):
        yield f"U0SCALE{number:03d}", users[number % len(users)]


async def _tokens(stack: Stack) -> dict[int, dict[str, str | int]]:
    """One token set per Astravue user, from the sandbox realm's password grant."""
    url = f"{stack.settings.astravue_auth_url}/protocol/openid-connect/token"
    found = {}
    async with httpx.AsyncClient(timeout=10) as http:
        for user_id, username in ASTRAVUE_USERS.items():
            reply = await http.post(
                url,
                data={
                    "grant_type": "password",
                    "username": username,
                    "password": "sandbox",
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "scope": "openid",
                },
            )
            assert reply.status_code == 200, reply.text
            found[user_id] = reply.json()
    return found


async def _link_everyone(stack: Stack, count: int = LINKS) -> dict[int, tuple[str, int]]:
    """Insert `count` links, not yet due; returns link id -> (Slack user, Astravue user)."""
    tokens = await _tokens(stack)
    credentials = LinkCredentials(stack.runtime.keyring)
    now = utcnow()
    async with stack.runtime.sessions() as session, session.begin():
        links = []
        for slack_user, user_id in _slack_users(count):
            stack.sandbox.slack.add_user(
                slack_user,
                name=slack_user.lower(),
                real_name=slack_user,
                email=f"{slack_user}@acme.test",
            )
            links.append(
                AstravueLink(
                    team_id="T0ACME",
                    slack_user_id=slack_user,
                    status=LinkStatus.ACTIVE,
                    astravue_user_id=user_id,
                    org_id=1,
                    astravue_name=ASTRAVUE_USERS[user_id],
                )
            )
        session.add_all(links)
        await session.flush()  # ids first: the token ciphertexts are bound to them
        for link in links:
            issued = tokens[link.astravue_user_id or 0]
            link.access_token_ct = credentials.seal(link, ACCESS, str(issued["access_token"]))
            link.refresh_token_ct = credentials.seal(link, REFRESH, str(issued["refresh_token"]))
            link.access_expires_at = now + timedelta(seconds=int(issued["expires_in"]))
            session.add(PollState(link_id=link.id, next_poll_at=now + timedelta(days=1)))
        return {link.id: (link.slack_user_id, link.astravue_user_id or 0) for link in links}


def _delivered(stack: Stack, links: dict[int, tuple[str, int]]) -> Counter[tuple[int, int]]:
    """DMs posted per (link, notification), from the Slack DMs' metadata."""
    delivered: Counter[tuple[int, int]] = Counter()
    for link_id, (slack_user, _) in links.items():
        for message in stack.sandbox.slack.dm_messages(slack_user):
            if message.metadata:
                body = message.metadata["event_payload"]
                assert body["link_id"] == link_id, "a DM reached another link's user"
                delivered[(link_id, body["notification_id"])] += 1
    return delivered


async def _relax_commit_durability(stack: Stack) -> None:
    """No WAL flush wait at commit, in this throwaway database only: about 2,500 commits per
    interval otherwise queue on the disk. Visibility and locking, what is under test, are
    unchanged; only durability across a server crash is given up."""
    name = make_url(stack.settings.database_url).database
    async with stack.runtime.sessions() as session, session.begin():
        await session.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))


async def _wait(condition_met: Callable[[], Awaitable[bool]], what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + ROUND_TIMEOUT
    while not await condition_met():
        assert loop.time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.1)


async def _run_interval(stack: Stack, pollers: Pollers) -> tuple[Counter[int], int]:
    """Make every link due, wait for the interval's polls to finish; returns the polls seen
    per link and how many notification listings Astravue served meanwhile."""
    requests_mark, lines_mark = len(stack.sandbox.astravue.requests), len(pollers.lines)
    started = utcnow()
    async with stack.runtime.sessions() as session, session.begin():
        await session.execute(update(PollState).values(next_poll_at=started))

    async def all_polled() -> bool:
        # A claim moves next_poll_at a whole interval past the claiming tick's start, so
        # "claimed this round" is next_poll_at > started. Not last_polled_at >= started: a
        # claim stamps it with the time its tick read the clock, which can fall a moment
        # before `started` when the claim's query ran just after the UPDATE above committed.
        async with stack.runtime.sessions() as session:
            done = await session.scalar(
                select(func.count()).where(
                    PollState.next_poll_at > started, PollState.lease_owner.is_(None)
                )
            )
        return done == LINKS

    await _wait(all_polled, "every link to be polled")
    settled = len(pollers.lines)

    async def all_ticked() -> bool:
        return pollers.all_ticked_since(settled)

    await _wait(all_ticked, "every poller to finish its tick")
    listings = sum(
        1
        for method, path, _ in stack.sandbox.astravue.requests[requests_mark:]
        if method == "GET" and path == "/v1/notifications"
    )
    return pollers.polled_since(lines_mark), listings


@requires_postgres
@pytest.mark.timeout(ROUNDS * ROUND_TIMEOUT + 60)  # the per-round safety net decides, not this
async def test_three_pollers_deliver_exactly_once_and_poll_once_per_interval(stack: Stack) -> None:
    slack, astravue = stack.sandbox.slack, stack.sandbox.astravue
    slack.channel_per_second = slack.channel_burst = 1_000
    slack.workspace_per_minute = slack.workspace_burst = 1_000_000
    await _relax_commit_durability(stack)
    links = await _link_everyone(stack)
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
            polls, listings = await _run_interval(stack, pollers)
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
    delivered = _delivered(stack, links)
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
    links = await _link_everyone(stack, BACKLOG_LINKS)
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
            check=lambda: set(_delivered(stack, links)) >= expected,
        )
        await asyncio.sleep(3)  # a lapsed poller still posting would do so by now
    finally:
        await pollers.stop()
    delivered = _delivered(stack, links)
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

    await _wait(finished, "the backlog to be delivered")
