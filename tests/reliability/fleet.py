"""Poller fleets on PostgreSQL: several real poller processes sharing one database and the
sandbox served from the test process, and the rounds ("intervals") the tests drive them
through. Used by tests/reliability/test_scale_out*.py.

The pollers use a one-hour poll interval, so after polling a link none of them may touch it
again until the test makes the next interval elapse by setting every `next_poll_at` to now:
all links fall due at the same instant, the worst case for the claim (`FOR UPDATE SKIP
LOCKED` plus the lease). Each process prints the id of every link it polled, and "tick" after
each tick (a tick's polls are printed before its "tick" line).

Links are inserted directly (tokens sealed with `LinkCredentials`), spread evenly over the
Astravue users 1-4, each with its own Slack user, so every notification of user N is due once
to each of its links: delivery is counted per (link, notification).
"""

from __future__ import annotations

import asyncio
import signal
import sys
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import func, make_url, select, text, update

from bot.db.base import utcnow
from bot.db.models import AstravueLink, LinkStatus, PollState
from bot.sandbox.server import CLIENT_ID, CLIENT_SECRET
from bot.sandbox.stack import Stack
from bot.services.credentials import ACCESS, REFRESH, LinkCredentials

PROCESSES = 3
ASTRAVUE_USERS = {1: "maria", 2: "dev", 3: "sam", 4: "gina"}
ROUND_TIMEOUT = 90.0  # a safety net: 300 links take 5-15 s a round on 2 busy cores

# argv: [lease seconds [seconds between DMs to a channel, DMs per poll]]. With the last two,
# the poller stages a stalled one: it stops renewing its leases, so its polls outlast them.
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
    if len(sys.argv) > 1:
        service.leases.lease = timedelta(seconds=float(sys.argv[1]))
    if len(sys.argv) > 2:
        service.leases.keep_alive = False
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
        self.killed: set[int] = set()
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
            with suppress(ValueError):  # a line cut short by SIGKILL
                kind, number = raw.decode().split()
                self.lines.append((index, kind, int(number)))

    async def kill(self, index: int) -> None:
        """SIGKILL one poller wherever it is: no cleanup, its leases left as they are."""
        self.processes[index].send_signal(signal.SIGKILL)
        await self.processes[index].wait()
        self.killed.add(index)

    def polled_since(self, mark: int) -> Counter[int]:
        return Counter(number for _, kind, number in self.lines[mark:] if kind == "polled")

    def all_ticked_since(self, mark: int) -> bool:
        alive = set(range(PROCESSES)) - self.killed
        return alive <= {index for index, kind, _ in self.lines[mark:] if kind == "tick"}

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
        yield f"U0SCALE{number:04d}", users[number % len(users)]


async def sandbox_tokens(stack: Stack) -> dict[int, dict[str, str | int]]:
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


async def link_everyone(stack: Stack, count: int) -> dict[int, tuple[str, int]]:
    """Insert `count` links, not yet due; returns link id -> (Slack user, Astravue user)."""
    tokens = await sandbox_tokens(stack)
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


def delivered_dms(stack: Stack, links: dict[int, tuple[str, int]]) -> Counter[tuple[int, int]]:
    """DMs posted per (link, notification), from the Slack DMs' metadata."""
    delivered: Counter[tuple[int, int]] = Counter()
    for link_id, (slack_user, _) in links.items():
        for message in stack.sandbox.slack.dm_messages(slack_user):
            if message.metadata:
                body = message.metadata["event_payload"]
                assert body["link_id"] == link_id, "a DM reached another link's user"
                delivered[(link_id, body["notification_id"])] += 1
    return delivered


async def relax_commit_durability(stack: Stack) -> None:
    """No WAL flush wait at commit, in this throwaway database only: about 2,500 commits per
    interval otherwise queue on the disk. Visibility and locking, what is under test, are
    unchanged; only durability across a server crash is given up."""
    name = make_url(stack.settings.database_url).database
    async with stack.runtime.sessions() as session, session.begin():
        await session.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))


async def wait_for(
    condition_met: Callable[[], Awaitable[bool]], what: str, within: float = ROUND_TIMEOUT
) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await condition_met():
        assert loop.time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.1)


@dataclass(frozen=True)
class Round:
    """An interval the test started: when, and where the logs stood then."""

    started: datetime
    requests_mark: int
    lines_mark: int


async def start_round(stack: Stack, pollers: Pollers) -> Round:
    """Make every link due at once."""
    began = Round(utcnow(), len(stack.sandbox.astravue.requests), len(pollers.lines))
    async with stack.runtime.sessions() as session, session.begin():
        await session.execute(update(PollState).values(next_poll_at=began.started))
    return began


async def finish_round(
    stack: Stack, pollers: Pollers, began: Round, links: int, within: float = ROUND_TIMEOUT
) -> tuple[Counter[int], int]:
    """Wait until every link was polled this round and released, and every live poller has
    ticked since; returns the polls seen per link and how many notification listings
    Astravue served in the round."""

    async def all_polled() -> bool:
        # A claim moves next_poll_at a whole interval past the claiming tick's start, so
        # "claimed this round" is next_poll_at > started. Not last_polled_at >= started: a
        # claim stamps it with the time its tick read the clock, which can fall a moment
        # before `started` when the claim's query ran just after the round's UPDATE committed.
        async with stack.runtime.sessions() as session:
            done = await session.scalar(
                select(func.count()).where(
                    PollState.next_poll_at > began.started, PollState.lease_owner.is_(None)
                )
            )
        return done == links

    await wait_for(all_polled, "every link to be polled", within)
    settled = len(pollers.lines)

    async def all_ticked() -> bool:
        return pollers.all_ticked_since(settled)

    await wait_for(all_ticked, "every poller to finish its tick", within)
    listings = sum(
        1
        for method, path, _ in stack.sandbox.astravue.requests[began.requests_mark :]
        if method == "GET" and path == "/v1/notifications"
    )
    return pollers.polled_since(began.lines_mark), listings
