"""DM pacing: queued DMs for one workspace, posted through the poller's `Messenger` against the
Slack fake's chat.postMessage limits; drain time against DMs / configured rate, and 429s.

The fake enforces Slack's limits (1 message/s per channel, a per-minute workspace budget);
the Messenger paces below them (WORKSPACE_PER_SECOND). Each DM goes to a different user, so the
workspace rate is the bound. `--time-scale K` multiplies both the fake's limits and the
Messenger's rates by K, so the default run drains 2,000 DMs in about two minutes; the ratio to
the bound is what is compared. `--time-scale 1` is the production configuration (~8 min).

    .venv/bin/python -m bench.dm_pacing [--dms N] [--time-scale K] [--quick]
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

from slack_sdk.web.async_client import AsyncWebClient

from bench.common import (
    bench_user_ids,
    machine_facts,
    parser,
    print_table,
    quiet_logging,
    running_sandbox,
)
from bot.outbound.messenger import CHANNEL_INTERVAL, WORKSPACE_PER_SECOND, Messenger
from bot.sandbox.server import BOT_TOKEN

TARGET_OVERHEAD = 0.10


@dataclass(frozen=True)
class PacingResult:
    dms: int
    rate: float  # the Messenger's configured workspace rate, messages per second
    fake_per_minute: float
    drain: float
    posted: int
    rate_limited: int

    @property
    def bound(self) -> float:
        return self.dms / self.rate

    @property
    def ratio(self) -> float:
        return self.drain / self.bound


async def measure(dms: int, scale: float) -> PacingResult:
    users = bench_user_ids(dms)
    async with running_sandbox(users) as sandbox:
        fake = sandbox.slack
        fake.channel_per_second *= scale
        fake.workspace_per_minute = int(fake.workspace_per_minute * scale)
        client = AsyncWebClient(
            token=BOT_TOKEN, base_url=sandbox.env()["SLACK_API_URL"], timeout=10
        )
        messenger = Messenger(
            client,
            channel_interval=CHANNEL_INTERVAL / scale,
            workspace_per_second=WORKSPACE_PER_SECOND * scale,
        )
        started = time.perf_counter()
        await asyncio.gather(
            *(
                messenger.post(fake.dm_channel(user), {"text": f"Notification {i}"})
                for i, user in enumerate(users)
            )
        )
        drain = time.perf_counter() - started
        posted = sum(call.ok for call in fake.calls_to("chat.postMessage"))
        return PacingResult(
            dms,
            WORKSPACE_PER_SECOND * scale,
            fake.workspace_per_minute,
            drain,
            posted,
            fake.rate_limited,
        )


def report(result: PacingResult, scale: float) -> None:
    print_table(
        f"Drain of {result.dms} queued DMs, one workspace, time scale {scale:g} "
        f"({machine_facts()})",
        ["DMs", "posted", "configured rate", "fake limit", "bound", "drain", "ratio", "429s"],
        [
            [
                result.dms,
                result.posted,
                f"{result.rate:g}/s",
                f"{result.fake_per_minute:g}/min",
                f"{result.bound:.1f} s",
                f"{result.drain:.1f} s",
                f"{result.ratio:.3f}",
                result.rate_limited,
            ]
        ],
    )
    verdict = (
        "meets"
        if result.ratio <= 1 + TARGET_OVERHEAD
        and result.rate_limited == 0
        and result.posted == result.dms
        else "misses"
    )
    print(
        f"\ndm pacing: {result.posted}/{result.dms} posted in {result.drain:.1f} s, "
        f"{result.ratio:.3f}x the {result.bound:.1f} s bound, {result.rate_limited} 429s "
        f"({verdict} the within {TARGET_OVERHEAD:.0%}, zero-429 target)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parse = parser(__doc__.splitlines()[0])
    parse.add_argument("--dms", type=int, default=2000, help="queued DMs (default 2000)")
    parse.add_argument(
        "--time-scale",
        type=float,
        default=4.0,
        help="multiply Slack's limits and the Messenger's rates (default 4)",
    )
    args = parse.parse_args(argv)
    dms = 100 if args.quick else args.dms
    with quiet_logging():
        result = asyncio.run(measure(dms, args.time_scale))
    report(result, args.time_scale)
    return 0


if __name__ == "__main__":
    sys.exit(main())
