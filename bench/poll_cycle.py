"""Poll cycle: `NotificationService.tick()` over N linked users, every one due, with the
sandbox Astravue answering each request in 100 ms, against its floor measured in the same run:
a bare httpx GET of the same notifications page (same client pooling, same concurrency, body
read and JSON-decoded), N times just before each measured tick and N times after the last.
Main figure: CPU per user polled in steady state over the floor's CPU per GET, each tick
against the mean of the two floors bracketing it, so a drift in the machine's speed during
the run cancels out. `--rounds R` measures R ticks so (and R + 1 floors): on a shared
machine a single tick's ratio varies by 0.3 either way from run to run.

Steady state: the first tick (cold: each user's first `users.info`, empty caches) is shown
but not the figure; every link is then made due again before each measured tick. Also
shown: the longest measured cycle's wall time against its bound (users x latency / the
poller's concurrency), Keycloak refreshes and the database statements the measured ticks ran.

The sandbox runs in a child process, so this process's CPU time is the app's alone. Links are
written directly (real sandbox tokens, sealed as the app seals them), each with its own
Keycloak session; Astravue identities are shared by many links (the sandbox has three org-1
members), which changes nothing for the poller: its budget and locks are per Slack user. Each
link's cursor is at the newest seeded notification, so a poll is a steady-state poll: one
notifications page, nothing new to deliver.

    .venv/bin/python -m bench.poll_cycle [--users N ...] [--full] [--quick]
        [--rounds R] [--postgres postgresql+asyncpg://user@host:5432/postgres]
        [--profile FILE.txt]
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import httpx
from sqlalchemy import event, update

from bench.common import (
    IDENTITIES,
    ORG_ID,
    app_settings,
    bench_user_ids,
    failed_polls,
    machine_facts,
    ms,
    parser,
    password_grant,
    print_table,
    quiet_logging,
    refreshed_since,
    sandbox_process,
    seed_links,
    temp_database,
)
from bench.floors import bare_notifications_get, verdict
from bot.db.base import utcnow
from bot.db.models import PollState
from bot.db.session import session_scope
from bot.sandbox.seed import build_seed_state
from bot.services.notification_poller import CONCURRENCY
from bot.wiring import build_runtime

LATENCY = 0.100
TARGET_RATIO = 1.6  # issue 18: CPU per user polled at most 1.6x the floor's
# Access tokens outlive the run, so every measured tick is a steady-state one: with
# Keycloak's 5 minutes, the later rounds at 10,000 users refreshed every token (the cost of
# refreshes is bench.footprint's, whose ticks refresh every token).
TOKEN_LIFESPAN = 3 * 3600
DEFAULT_USERS = (1000,)
FULL_USERS = (1000, 10_000)


@dataclass(frozen=True)
class CycleResult:
    users: int
    polled: int
    cold_cpu: float
    cycle: float  # the longest measured tick's
    cpu: float  # all measured ticks'
    floor_cpus: list[float]  # before each measured tick, and after the last
    refreshes: int
    failures: int
    statements: int

    @property
    def rounds(self) -> int:
        return len(self.floor_cpus) - 1

    @property
    def bound(self) -> float:
        return self.users * LATENCY / CONCURRENCY

    @property
    def wall_ratio(self) -> float:
        return self.cycle / self.bound

    @property
    def cpu_per_user(self) -> float:
        return self.cpu / max(self.polled, 1)

    @property
    def floor_per_get(self) -> float:
        """Each tick's floor is the mean of the two bracketing it."""
        brackets = pairwise(self.floor_cpus)
        return sum((a + b) / 2 for a, b in brackets) / self.rounds / self.users

    @property
    def ratio(self) -> float:
        return self.cpu_per_user / self.floor_per_get


def newest_seed_notification() -> int:
    return max(build_seed_state().notifications)


async def measure(
    database_url: str,
    sandbox_env: dict[str, str],
    users: int,
    rounds: int = 1,
    profile: str | None = None,
) -> CycleResult:
    # An interval longer than any cycle: with the default 60 s, a cycle longer than a minute
    # never ends (links polled first are due again), and one pass is what is measured.
    runtime = build_runtime(app_settings(sandbox_env, database_url, notify_poll_seconds=86400))
    try:
        await seed_links(runtime, bench_user_ids(users), last_seen_id=newest_seed_notification())
        service = runtime.services.poller
        cold_started = time.process_time()
        await service.tick()  # cold: first users.info of each user, caches filled
        cold_cpu = time.process_time() - cold_started
        statements = 0

        def count(*_args: object) -> None:
            nonlocal statements
            statements += 1

        async def floor() -> float:  # fresh tokens each time: a 10,000-user round outlives one
            return await bare_notifications_get(
                runtime.settings.astravue_api_url,
                await _floor_tokens(runtime.settings.astravue_auth_url),
                users,
                CONCURRENCY,
            )

        started_at = utcnow()
        polled, cycle, cpu, floors = 0, 0.0, 0.0, []
        for index in range(rounds):
            async with session_scope(runtime.sessions) as session:
                await session.execute(update(PollState).values(next_poll_at=utcnow()))
            floors.append(await floor())
            event.listen(runtime.engine.sync_engine, "before_cursor_execute", count)
            profiler = _profiler() if profile and index == 0 else None
            cpu_started, started = time.process_time(), time.perf_counter()
            polled += await service.tick()
            cycle = max(cycle, time.perf_counter() - started)
            cpu += time.process_time() - cpu_started
            if profiler is not None and profile:
                profiler.stop()
                Path(profile).write_text(profiler.output_text(unicode=False, color=False))  # noqa: ASYNC240
            event.remove(runtime.engine.sync_engine, "before_cursor_execute", count)
        floors.append(await floor())
        return CycleResult(
            users,
            polled,
            cold_cpu,
            cycle,
            cpu,
            floors,
            await refreshed_since(runtime, started_at),
            await failed_polls(runtime),
            statements,
        )
    finally:
        await runtime.close()


def _profiler():  # type: ignore[no-untyped-def]
    from pyinstrument import Profiler

    profiler = Profiler(async_mode="enabled")
    profiler.start()
    return profiler


async def _floor_tokens(auth_url: str) -> list[tuple[str, int]]:
    async with httpx.AsyncClient(timeout=30) as http:
        return [
            ((await password_grant(http, auth_url, name)).access_token, ORG_ID)
            for name, _ in IDENTITIES
        ]


def report(results: list[CycleResult], database: str) -> None:
    print_table(
        f"Notification poll cycle on {database}, Astravue latency {ms(LATENCY)}, concurrency "
        f"{CONCURRENCY} ({machine_facts()})",
        [
            "users",
            "polled",
            "failed",
            "cycle",
            "bound",
            "wall ratio",
            "CPU/user cold",
            "rounds",
            "CPU/user",
            "floor/GET (each)",
            "CPU ratio",
            "SQL/user",
            "refreshes",
        ],
        [
            [
                r.users,
                r.polled,
                r.failures,
                f"{r.cycle:.1f} s",
                f"{r.bound:.1f} s",
                f"{r.wall_ratio:.2f}",
                ms(r.cold_cpu / max(r.users, 1)),
                r.rounds,
                ms(r.cpu_per_user),
                f"{ms(r.floor_per_get)} ({', '.join(ms(f / r.users) for f in r.floor_cpus)})",
                f"{r.ratio:.2f}",
                f"{r.statements / max(r.polled, 1):.2f}",
                r.refreshes,
            ]
            for r in results
        ],
    )
    largest = max(results, key=lambda r: r.users)
    print(
        f"\npoll cycle: {largest.users} users in {largest.cycle:.1f} s = "
        f"{largest.wall_ratio:.2f}x the wall-time bound; {ms(largest.cpu_per_user)} CPU per "
        f"user against {ms(largest.floor_per_get)} per bare GET; {largest.refreshes} Keycloak "
        f"refreshes"
    )
    print(
        verdict(
            f"poll CPU per user over the floor ({database}, {largest.users} users)",
            largest.ratio,
            TARGET_RATIO,
        )
    )


def main(argv: Sequence[str] | None = None) -> int:
    parse = parser(__doc__.splitlines()[0])
    parse.add_argument("--users", type=int, nargs="+", help="cycle sizes (default 1000)")
    parse.add_argument("--full", action="store_true", help="1,000 and 10,000 users (~6 min)")
    parse.add_argument(
        "--postgres", metavar="SERVER_URL", help="a PostgreSQL server to make a database on"
    )
    parse.add_argument(
        "--rounds", type=int, default=1, help="measured ticks per size, each between two floors"
    )
    parse.add_argument(
        "--profile", metavar="FILE", help="pyinstrument text of the first measured tick"
    )
    args = parse.parse_args(argv)
    if args.rounds < 1:
        parse.error("--rounds must be 1 or more")
    sizes = (
        (50,) if args.quick else tuple(args.users or (FULL_USERS if args.full else DEFAULT_USERS))
    )
    results = []
    with (
        quiet_logging(),
        sandbox_process(max(sizes), LATENCY, token_lifespan=TOKEN_LIFESPAN) as sandbox_env,
    ):
        for users in sizes:
            with temp_database(args.postgres) as database_url:
                results.append(
                    asyncio.run(
                        measure(database_url, sandbox_env, users, args.rounds, args.profile)
                    )
                )
    report(results, "PostgreSQL" if args.postgres else "SQLite")
    return 0


if __name__ == "__main__":
    sys.exit(main())
