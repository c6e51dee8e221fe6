"""Ack under load: concurrent `/astravue org 1` commands over HTTP from distinct linked users
while the sandbox Astravue answers every request in 2 s. Slack needs each 200 within 3 s; the
slow Astravue call runs after the ack, and its answer reaches the user's response_url.

The app runs in its own process (uvicorn, as `serve` runs it); the sandbox and the load
generator share this one. The HTTP client has no connection cap, so no request queues on the
client side; each latency is from just before signing to the 200 being read.

    .venv/bin/python -m bench.ack_load [--commands N] [--latency S] [--quick]
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

import httpx

from bench.common import (
    Latency,
    app_process,
    app_values,
    bench_user_ids,
    machine_facts,
    ms,
    parser,
    print_table,
    quiet_logging,
    running_sandbox,
    seed_links,
    temp_database,
)
from bot.config import load_settings
from bot.sandbox.server import SIGNING_SECRET
from bot.sandbox.slack_requests import SlackClientSim
from bot.wiring import build_runtime

TARGET_P99 = 0.300
SLACK_LIMIT = 3.0
COMPLETION_WAIT = 60.0


@dataclass(frozen=True)
class AckResult:
    commands: int
    acked: int
    latency: Latency
    answered: int  # lazy work that reached the user's response_url afterwards
    answered_within: float


async def measure(database_url: str, commands: int, latency: float) -> AckResult:
    users = bench_user_ids(commands)
    async with running_sandbox(users) as sandbox:
        values = app_values(sandbox.env(), database_url)
        runtime = build_runtime(load_settings(_env_file=None, **values))
        try:  # links are written here, with the key the app process is given
            await seed_links(runtime, users)
        finally:
            await runtime.close()
        async with app_process(values) as app_url:
            sandbox.astravue_faults.latency = latency
            limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
            async with httpx.AsyncClient(timeout=10, limits=limits) as http:
                sims = [
                    SlackClientSim(app_url, SIGNING_SECRET, sandbox.slack, user, http=http)
                    for user in users
                ]

                async def one(sim: SlackClientSim) -> tuple[int, float]:
                    started = time.perf_counter()
                    response = await sim.command("org 1")
                    return response.status_code, time.perf_counter() - started

                burst_started = time.perf_counter()
                outcomes = await asyncio.gather(*(one(sim) for sim in sims))
                answered = await _wait_for_answers(sandbox.slack.responses, set(users))
                answered_within = time.perf_counter() - burst_started
    return AckResult(
        commands,
        sum(status == 200 for status, _ in outcomes),
        Latency.of([elapsed for _, elapsed in outcomes]),
        answered,
        answered_within,
    )


async def _wait_for_answers(responses: list, users: set[str]) -> int:  # type: ignore[type-arg]
    """How many of `users` got their answer, waiting until all have or time is up."""
    deadline = time.perf_counter() + COMPLETION_WAIT
    while True:
        answered = len({post.user for post in responses} & users)
        if answered == len(users) or time.perf_counter() > deadline:
            return answered
        await asyncio.sleep(0.05)


def report(result: AckResult, latency: float) -> None:
    lat = result.latency
    print_table(
        f"Ack of {result.commands} concurrent commands, Astravue answering in "
        f"{latency:g} s ({machine_facts()})",
        ["commands", "acked 200", "p50", "p99", "max", "answered after", "within"],
        [
            [
                result.commands,
                result.acked,
                ms(lat.p50),
                ms(lat.p99),
                ms(lat.max),
                result.answered,
                f"{result.answered_within:.1f} s",
            ]
        ],
    )
    verdict = "meets" if result.acked == result.commands and lat.p99 < TARGET_P99 else "misses"
    print(
        f"\nack under load: {result.acked}/{result.commands} acked, p99 {ms(lat.p99)}, "
        f"max {ms(lat.max)} ({verdict} the all-acked, p99 < {ms(TARGET_P99)} target; "
        f"Slack's limit is {SLACK_LIMIT:g} s)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parse = parser(__doc__.splitlines()[0])
    parse.add_argument("--commands", type=int, default=200, help="concurrent (default 200)")
    parse.add_argument(
        "--latency",
        type=float,
        default=2.0,
        help="seconds the sandbox Astravue takes per request (default 2)",
    )
    args = parse.parse_args(argv)
    commands = 20 if args.quick else args.commands
    with quiet_logging(), temp_database() as database_url:
        result = asyncio.run(measure(database_url, commands, args.latency))
    report(result, args.latency)
    return 0


if __name__ == "__main__":
    sys.exit(main())
