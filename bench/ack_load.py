"""Ack under load: a burst of concurrent `/astravue org 1` commands over HTTP from distinct
linked users while the sandbox Astravue answers every request in 2 s, against a bare Bolt app
(ack only) under the same burst, on the same server, from the same load generator. Slack
needs each 200 within 3 s; our slow Astravue call runs after the ack, and its answer reaches
the user's response_url.

Both apps are served by uvicorn in 1 and then 2 worker processes sharing one socket, as
`serve --workers N` runs ours (bench/floors.py). The load generator and the sandbox's Slack
(which issues the response_urls and records the answers) share this process; the sandbox's
Astravue and Keycloak run in a process of their own. When they shared this one, our lazy
work's Astravue calls were answered on the generator's event loop, which then read our acks
late: the app had handled a whole burst of 200 within 0.12 s while the generator read the
last ack at 2.5 s (bare Bolt's, with no lazy work: 1.3 s).

Bursts alternate between the two apps (`--rounds`, default 3, each app's
samples pooled), so drift on a shared machine hits both; ours' answers are all in before the
next burst. Each app has its own HTTP client with no connection cap, so no request queues on
the client side: httpcore checks every pooled connection on each request, and one shared
pool made whichever app went second pay for the other's 200 open connections (our p50 was
2.5 s against bare Bolt's 1 s for that alone). Each latency is from just before signing to
the 200 being read. Main figure: our p99 over
bare Bolt's, the larger of the 1- and 2-worker ratios.

    .venv/bin/python -m bench.ack_load [--commands N] [--latency S] [--rounds N] [--quick]
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
    app_values,
    bench_user_ids,
    machine_facts,
    ms,
    parser,
    print_table,
    quiet_logging,
    running_sandbox,
    sandbox_process,
    seed_links,
    temp_database,
)
from bench.floors import served, verdict
from bot.config import load_settings
from bot.sandbox.server import SIGNING_SECRET, Sandbox
from bot.sandbox.slack_requests import SlackClientSim
from bot.wiring import build_runtime

TARGET_RATIO = 1.25  # issue 18: our p99 at most 1.25x bare Bolt's
SLACK_LIMIT = 3.0
COMPLETION_WAIT = 60.0
WORKER_COUNTS = (1, 2)
WARMUP = 20


@dataclass(frozen=True)
class AckResult:
    app: str  # "ours" or "bare"
    workers: int
    commands: int
    acked: int
    latency: Latency
    answered: int  # ours: lazy work that reached the user's response_url afterwards
    answered_within: float

    @property
    def all_within_slack_limit(self) -> bool:
        return self.acked == self.commands and self.latency.max < SLACK_LIMIT


async def _burst(
    url: str, sandbox: Sandbox, users: list[str], http: httpx.AsyncClient
) -> list[tuple[int, float]]:
    sims = [SlackClientSim(url, SIGNING_SECRET, sandbox.slack, user, http=http) for user in users]

    async def one(sim: SlackClientSim) -> tuple[int, float]:
        started = time.perf_counter()
        response = await sim.command("org 1")
        return response.status_code, time.perf_counter() - started

    return list(await asyncio.gather(*(one(sim) for sim in sims)))


async def measure(
    database_url: str, commands: int, latency: float, rounds: int, worker_counts: Sequence[int]
) -> list[AckResult]:
    users = bench_user_ids(commands)
    results = []
    with sandbox_process(commands, latency) as astravue_env:
        async with running_sandbox(users) as slack:
            values = app_values(slack.env() | _astravue_part(astravue_env), database_url)
            runtime = build_runtime(load_settings(_env_file=None, **values))
            try:  # links are written here, with the key the app processes are given
                await seed_links(runtime, users)
            finally:
                await runtime.close()
            limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
            async with (
                httpx.AsyncClient(timeout=10, limits=limits) as ours_http,
                httpx.AsyncClient(timeout=10, limits=limits) as bare_http,
            ):
                for workers in worker_counts:
                    async with (
                        served("ours", values, workers) as ours,
                        served("bare", values, workers) as bare,
                    ):
                        # first-call costs (auth.test, caches)
                        await _burst(ours, slack, users[:WARMUP], ours_http)
                        await _burst(bare, slack, users[:WARMUP], bare_http)
                        await _wait_for_answers(slack.slack.responses, 0, set(users[:WARMUP]))
                        samples: dict[str, list[tuple[int, float]]] = {"ours": [], "bare": []}
                        answered, within = 0, 0.0
                        for _ in range(rounds):
                            samples["bare"] += await _burst(bare, slack, users, bare_http)
                            mark = len(slack.slack.responses)
                            started = time.perf_counter()
                            samples["ours"] += await _burst(ours, slack, users, ours_http)
                            answered += await _wait_for_answers(
                                slack.slack.responses, mark, set(users)
                            )
                            within = max(within, time.perf_counter() - started)
                    for app in ("ours", "bare"):
                        outcomes = samples[app]
                        results.append(
                            AckResult(
                                app,
                                workers,
                                len(outcomes),
                                sum(status == 200 for status, _ in outcomes),
                                Latency.of([elapsed for _, elapsed in outcomes]),
                                answered if app == "ours" else 0,
                                within if app == "ours" else 0.0,
                            )
                        )
    return results


def _astravue_part(sandbox_env: dict[str, str]) -> dict[str, str]:
    """The settings that point the app at the child sandbox's Astravue and Keycloak."""
    return {key: value for key, value in sandbox_env.items() if key.startswith("ASTRAVUE_")}


async def _wait_for_answers(responses: list, mark: int, users: set[str]) -> int:  # type: ignore[type-arg]
    """How many of `users` got their answer after `mark`, waiting until all have or time
    is up."""
    deadline = time.perf_counter() + COMPLETION_WAIT
    while True:
        answered = len({post.user for post in responses[mark:]} & users)
        if answered == len(users) or time.perf_counter() > deadline:
            return answered
        await asyncio.sleep(0.05)


def ratio(results: list[AckResult], workers: int) -> float:
    of = {r.app: r for r in results if r.workers == workers}
    return of["ours"].latency.p99 / of["bare"].latency.p99


def report(results: list[AckResult], burst: int, rounds: int, latency: float) -> None:
    print_table(
        f"Ack of {burst} concurrent commands x {rounds} rounds per app, Astravue answering in "
        f"{latency:g} s ({machine_facts()})",
        ["app", "workers", "commands", "acked 200", "p50", "p99", "max", "answered", "within"],
        [
            [
                "ours" if r.app == "ours" else "bare Bolt (ack only)",
                r.workers,
                r.commands,
                r.acked,
                ms(r.latency.p50),
                ms(r.latency.p99),
                ms(r.latency.max),
                r.answered if r.app == "ours" else "",
                f"{r.answered_within:.1f} s" if r.app == "ours" else "",
            ]
            for r in results
        ],
    )
    counts = sorted({r.workers for r in results})
    ratios = {workers: ratio(results, workers) for workers in counts}
    all_ok = all(r.all_within_slack_limit for r in results if r.app == "ours")
    print(
        "\nour p99 over bare Bolt's: "
        + ", ".join(f"{ratios[w]:.2f}x with {w} worker{'s' * (w > 1)}" for w in counts)
        + f"; ours all acked within Slack's {SLACK_LIMIT:g} s: {'yes' if all_ok else 'NO'}"
    )
    condition = f"all acked within {SLACK_LIMIT:g} s"
    print(
        verdict(
            "ack under load, our p99 over bare Bolt's (worse of 1, 2 workers)",
            max(ratios.values()),
            TARGET_RATIO,
            also=(condition, all_ok),
        )
    )


def main(argv: Sequence[str] | None = None) -> int:
    parse = parser(__doc__.splitlines()[0])
    parse.add_argument("--commands", type=int, default=200, help="per burst (default 200)")
    parse.add_argument("--rounds", type=int, default=3, help="bursts per app (default 3)")
    parse.add_argument(
        "--latency",
        type=float,
        default=2.0,
        help="seconds the sandbox Astravue takes per request (default 2)",
    )
    args = parse.parse_args(argv)
    commands, rounds = (20, 1) if args.quick else (args.commands, args.rounds)
    with quiet_logging(), temp_database() as database_url:
        results = asyncio.run(measure(database_url, commands, args.latency, rounds, WORKER_COUNTS))
    report(results, commands, rounds, args.latency)
    return 0


if __name__ == "__main__":
    sys.exit(main())
