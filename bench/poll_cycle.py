"""Poll cycle: one `NotificationService.tick()` over N linked users, every one due, with the
sandbox Astravue answering each request in 100 ms. Compared with its bound, users x latency /
the poller's configured concurrency; CPU time of this process per user polled; Keycloak
refreshes during the cycle.

The sandbox runs in a child process, so this process's CPU time is the app's alone. Links are
written directly (real sandbox tokens, sealed as the app seals them), each with its own
Keycloak session; Astravue identities are shared by many links (the sandbox has three org-1
members), which changes nothing for the poller: its budget and locks are per Slack user. Each
link's cursor is at the newest seeded notification, so a poll is a steady-state poll: one
notifications page, nothing new to deliver. The cycle includes the first `users.info` look-up
of each user's time zone (the profile cache is empty in a fresh process).

    .venv/bin/python -m bench.poll_cycle [--users N ...] [--full] [--quick]
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

from bench.common import (
    app_settings,
    bench_user_ids,
    failed_polls,
    machine_facts,
    ms,
    parser,
    print_table,
    quiet_logging,
    refreshed_since,
    sandbox_process,
    seed_links,
    temp_database,
)
from bot.db.base import utcnow
from bot.sandbox.seed import build_seed_state
from bot.services.notification_poller import CONCURRENCY
from bot.wiring import build_runtime

LATENCY = 0.100
TARGET_RATIO = 1.3
DEFAULT_USERS = (1000,)
FULL_USERS = (1000, 10_000)


@dataclass(frozen=True)
class CycleResult:
    users: int
    polled: int
    cycle: float
    cpu: float
    refreshes: int
    failures: int

    @property
    def bound(self) -> float:
        return self.users * LATENCY / CONCURRENCY

    @property
    def ratio(self) -> float:
        return self.cycle / self.bound


def newest_seed_notification() -> int:
    return max(build_seed_state().notifications)


async def measure(database_url: str, sandbox_env: dict[str, str], users: int) -> CycleResult:
    # An interval longer than any cycle: with the default 60 s, a cycle longer than a minute
    # never ends (links polled first are due again), and one pass is what is measured.
    runtime = build_runtime(app_settings(sandbox_env, database_url, notify_poll_seconds=86400))
    try:
        await seed_links(runtime, bench_user_ids(users), last_seen_id=newest_seed_notification())
        service = runtime.services.poller
        started_at = utcnow()
        cpu_started, started = time.process_time(), time.perf_counter()
        polled = await service.tick()
        cycle, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        return CycleResult(
            users,
            polled,
            cycle,
            cpu,
            await refreshed_since(runtime, started_at),
            await failed_polls(runtime),
        )
    finally:
        await runtime.close()


def report(results: list[CycleResult]) -> None:
    print_table(
        f"Notification poll cycle, Astravue latency {ms(LATENCY)}, concurrency "
        f"{CONCURRENCY} ({machine_facts()})",
        ["users", "polled", "failed", "cycle", "bound", "ratio", "CPU/user", "refreshes"],
        [
            [
                r.users,
                r.polled,
                r.failures,
                f"{r.cycle:.1f} s",
                f"{r.bound:.1f} s",
                f"{r.ratio:.2f}",
                ms(r.cpu / max(r.polled, 1)),
                r.refreshes,
            ]
            for r in results
        ],
    )
    largest = max(results, key=lambda r: r.users)
    verdict = "meets" if largest.ratio <= TARGET_RATIO else "misses"
    print(
        f"\npoll cycle: {largest.users} users in {largest.cycle:.1f} s = {largest.ratio:.2f}x "
        f"the bound ({verdict} the {TARGET_RATIO}x target), "
        f"{ms(largest.cpu / max(largest.polled, 1))} CPU per user, "
        f"{largest.refreshes} Keycloak refreshes"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parse = parser(__doc__.splitlines()[0])
    parse.add_argument("--users", type=int, nargs="+", help="cycle sizes (default 1000)")
    parse.add_argument("--full", action="store_true", help="1,000 and 10,000 users (~5 min)")
    args = parse.parse_args(argv)
    sizes = (
        (50,) if args.quick else tuple(args.users or (FULL_USERS if args.full else DEFAULT_USERS))
    )
    results = []
    with quiet_logging(), sandbox_process(max(sizes), LATENCY) as sandbox_env:
        for users in sizes:
            with temp_database() as database_url:
                results.append(asyncio.run(measure(database_url, sandbox_env, users)))
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
