"""Footprint: resident memory of the app process with N linked users over an hour of simulated
polling, and its open sockets and database connections before and after.

The poller's clock is moved with time-machine: a tick, then 15 simulated minutes, four times,
so every link is due again at each tick and its 5-minute access token has expired (each tick
refreshes every link at the sandbox Keycloak, as an hour of real polling would ~12 times).
The sandbox runs in a child process with no added latency, so the figures are this process's
alone. Links are written as in `bench.poll_cycle`.

With `--workspaces W` the app runs in distributed mode: W installed workspaces (bot tokens
sealed in the database, as an OAuth install stores them), the users spread evenly over them,
and each tick also resolves every workspace's Web API client (as the rescue pass and Home
publishes do), through the installations store and the bounded client cache.

    .venv/bin/python -m bench.footprint [--users N] [--workspaces W] [--quick]
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
    bench_bot_token,
    bench_team_ids,
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
from bot.sandbox.slack import TEAM_ID
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


DISTRIBUTED = {"slack_bot_token": None, "slack_client_id": "1.2", "slack_client_secret": "b"}


async def install_workspaces(runtime: Runtime, teams: list[str]) -> None:
    """Store the installations as an OAuth install does (bot tokens sealed)."""
    from slack_sdk.oauth.installation_store import Installation

    for team_id in teams:
        assert runtime.distribution is not None
        await runtime.distribution.store.save(
            Installation(
                user_id="U0ADMIN",
                team_id=team_id,
                team_name=team_id,
                bot_token=bench_bot_token(team_id),
                bot_user_id="U0BOT",
                bot_scopes="chat:write",
            )
        )


async def measure(
    database_url: str, sandbox_env: dict[str, str], users: int, workspaces: int = 0
) -> tuple[list[Sample], int]:
    # Polled links are due again one step later, and a tick is one pass over them.
    runtime = build_runtime(
        app_settings(
            sandbox_env,
            database_url,
            notify_poll_seconds=int(STEP.total_seconds()),
            **(DISTRIBUTED if workspaces else {}),
        )
    )
    teams = bench_team_ids(workspaces)
    try:
        await install_workspaces(runtime, teams)
        await seed_links(
            runtime,
            bench_user_ids(users),
            last_seen_id=newest_seed_notification(),
            team_ids=teams or (TEAM_ID,),
        )
        samples = [sample("before polling", 0, runtime)]
        service = runtime.services.poller
        with time_machine.travel(utcnow(), tick=True) as clock:
            for step in range(STEPS + 1):
                if step:
                    clock.shift(STEP)
                polled = await service.tick()
                for team_id in teams:  # every workspace's client, as rescue and Home do
                    await runtime.team_clients.for_team(team_id)
                samples.append(
                    sample(
                        f"tick at +{int((STEP * step).total_seconds() // 60)} min", polled, runtime
                    )
                )
        return samples, await failed_polls(runtime)
    finally:
        await runtime.close()


def report(samples: list[Sample], users: int, failures: int, workspaces: int = 0) -> None:
    spread = f" over {workspaces} installed workspaces" if workspaces else ""
    print_table(
        f"Footprint with {users} linked users{spread} over a simulated hour ({machine_facts()})",
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
    parse.add_argument(
        "--workspaces",
        type=int,
        default=0,
        help="distributed mode with this many installed workspaces (issue 15: 1000)",
    )
    args = parse.parse_args(argv)
    users = 50 if args.quick else args.users
    workspaces = min(args.workspaces, 5) if args.quick else args.workspaces
    with (
        quiet_logging(),
        sandbox_process(users, workspaces=workspaces) as sandbox_env,
        temp_database() as database_url,
    ):
        samples, failures = asyncio.run(measure(database_url, sandbox_env, users, workspaces))
    report(samples, users, failures, workspaces)
    return 0


if __name__ == "__main__":
    sys.exit(main())
