"""Dispatch cost: signed `/astravue help` commands through our Bolt app, against a bare Bolt
`AsyncApp` that only acks (the framework's floor), in the same run and the same way.

Both apps get the same signed request through `AsyncApp.async_dispatch` (signature check,
body parsing, middleware, listener matching, ack). `help` is answered in the ack, so no remote
I/O is measured; ours still runs its middleware (the link lookup in the database) and its
listener chain. Blocks of the two alternate so drift on a shared machine hits both.

    .venv/bin/python -m bench.dispatch [--commands N] [--quick]
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from bench.common import (
    Latency,
    app_settings,
    machine_facts,
    ms,
    parser,
    print_table,
    quiet_logging,
    running_sandbox,
    temp_database,
)
from bench.floors import bare_bolt, verdict
from bot.sandbox.slack_requests import slash_command
from bot.web import build_bolt
from bot.wiring import build_runtime

BLOCKS = 10
WARMUP = 50
TARGET_RATIO = 1.2  # issue 18


@dataclass(frozen=True)
class DispatchResult:
    ours: Latency
    bare: Latency

    @property
    def ratio(self) -> float:
        return self.ours.p99 / self.bare.p99


async def _time_block(app: AsyncApp, body: str, headers: dict[str, str], count: int) -> list[float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        response = await app.async_dispatch(AsyncBoltRequest(body=body, headers=headers))
        samples.append(time.perf_counter() - started)
        if response.status != 200:
            raise RuntimeError(f"dispatch answered {response.status}: {response.body}")
    return samples


async def measure(database_url: str, commands: int) -> DispatchResult:
    """`database_url`: a migrated database (migrations run outside the event loop)."""
    async with running_sandbox() as sandbox:
        runtime = build_runtime(app_settings(sandbox.env(), database_url))
        try:
            ours = build_bolt(runtime)
            assert ours is not None, "the sandbox settings configure Slack"
            bare = bare_bolt(runtime.settings.slack_api_url)
            raw, headers = slash_command(
                "help",
                user_id="U0MARIA",
                trigger_id=sandbox.slack.new_trigger_id("U0MARIA"),
                response_url=sandbox.slack.new_response_url("C0GENERAL", "U0MARIA"),
            )
            body = raw.decode()
            apps = (("ours", ours), ("bare", bare))
            samples: dict[str, list[float]] = {"ours": [], "bare": []}
            for _name, app in apps:  # auth.test, caches, first-call costs
                await _time_block(app, body, headers, WARMUP)
            per_block = max(1, commands // BLOCKS)
            for _ in range(BLOCKS):
                for name, app in apps:
                    samples[name] += await _time_block(app, body, headers, per_block)
            await asyncio.sleep(0.2)  # let ours' lazy listeners finish before closing
        finally:
            await runtime.close()
    return DispatchResult(Latency.of(samples["ours"]), Latency.of(samples["bare"]))


def report(result: DispatchResult) -> None:
    print_table(
        f"Dispatch of signed /astravue help, in process ({machine_facts()})",
        ["app", "commands", "p50", "p99", "max"],
        [
            [name, lat.count, ms(lat.p50), ms(lat.p99), ms(lat.max)]
            for name, lat in (("ours", result.ours), ("bare Bolt (ack only)", result.bare))
        ],
    )
    print(f"\np50 ratio ours/bare = {result.ours.p50 / result.bare.p50:.2f}x")
    print(verdict("dispatch, our p99 over bare Bolt's", result.ratio, TARGET_RATIO))


def main(argv: Sequence[str] | None = None) -> int:
    parse = parser(__doc__.splitlines()[0])
    parse.add_argument("--commands", type=int, default=2000, help="per app (default 2000)")
    args = parse.parse_args(argv)
    with quiet_logging(), temp_database() as database_url:
        result = asyncio.run(measure(database_url, 100 if args.quick else args.commands))
    report(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
