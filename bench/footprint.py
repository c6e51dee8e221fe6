"""Footprint: resident memory of the app process with N linked users over an hour of simulated
polling, and its open sockets and database connections before and after.

The poller's clock is moved with time-machine: a tick, then 15 simulated minutes, four times,
so every link is due again at each tick and its 5-minute access token has expired (each tick
refreshes every link at the sandbox Keycloak, as an hour of real polling would ~12 times).
The sandbox runs in a child process with no added latency, so the figures are this process's
alone. Links are written as in `bench.poll_cycle`.

    .venv/bin/python -m bench.footprint [--users N] [--quick]
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import time_machine

from bench.common import (
    app_settings,
    bench_user_ids,
    failed_polls,
    machine_facts,
    open_sockets,
    parser,
    print_table,
    quiet_logging,
    rss_mb,
    sandbox_process,
    seed_links,
    temp_database,
)
from bench.poll_cycle import newest_seed_notification
from bot.db.base import utcnow
from bot.wiring import Runtime, build_runtime

STEP = timedelta(minutes=15)
STEPS = 4
TARGET_MB = 250.0


@dataclass(frozen=True)
class Sample:
    label: str
    polled: int
    rss: float
    sockets: int
    db_connections: int


def db_connections(runtime: Runtime) -> int:
    """Connections the engine's pool holds, idle or in use."""
    pool = runtime.engine.pool
    return int(pool.checkedin() + pool.checkedout())  # type: ignore[attr-defined]


def sample(label: str, polled: int, runtime: Runtime) -> Sample:
    return Sample(label, polled, rss_mb(), open_sockets(), db_connections(runtime))


async def measure(
    database_url: str, sandbox_env: dict[str, str], users: int
) -> tuple[list[Sample], int]:
    # Polled links are due again one step later, and a tick is one pass over them.
    runtime = build_runtime(
        app_settings(sandbox_env, database_url, notify_poll_seconds=int(STEP.total_seconds()))
    )
    try:
        await seed_links(runtime, bench_user_ids(users), last_seen_id=newest_seed_notification())
        samples = [sample("before polling", 0, runtime)]
        service = runtime.services.poller
        with time_machine.travel(utcnow(), tick=True) as clock:
            for step in range(STEPS + 1):
                if step:
                    clock.shift(STEP)
                polled = await service.tick()
                samples.append(
                    sample(
                        f"tick at +{int((STEP * step).total_seconds() // 60)} min", polled, runtime
                    )
                )
        return samples, await failed_polls(runtime)
    finally:
        await runtime.close()


def report(samples: list[Sample], users: int, failures: int) -> None:
    print_table(
        f"Footprint with {users} linked users over a simulated hour ({machine_facts()})",
        ["moment", "polled", "RSS", "sockets", "DB connections"],
        [[s.label, s.polled, f"{s.rss:.0f} MB", s.sockets, s.db_connections] for s in samples],
    )
    first_tick, last = samples[1], samples[-1]
    growth = last.rss - first_tick.rss
    verdict = "meets" if last.rss < TARGET_MB and growth <= 0.05 * first_tick.rss else "misses"
    print(
        f"\nfootprint: {last.rss:.0f} MB resident with {users} users after a simulated hour, "
        f"{growth:+.0f} MB since the first tick; sockets {samples[0].sockets} -> "
        f"{last.sockets}, DB connections {samples[0].db_connections} -> "
        f"{last.db_connections}; {failures} failed polls ({verdict} the < {TARGET_MB:g} MB, "
        "no-growth target)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parse = parser(__doc__.splitlines()[0])
    parse.add_argument(
        "--users",
        type=int,
        default=2000,
        help="linked users (default 2000; 10000 is the issue's figure, ~15 min)",
    )
    args = parse.parse_args(argv)
    users = 50 if args.quick else args.users
    with quiet_logging(), sandbox_process(users) as sandbox_env, temp_database() as database_url:
        samples, failures = asyncio.run(measure(database_url, sandbox_env, users))
    report(samples, users, failures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
