"""Feed cycle: one `FeedPoller.tick()` over N project feeds, every one due, with the sandbox
Astravue answering each request in 100 ms. Compared with its bound, feeds x latency / the
job's concurrency (each steady-state poll is one read of the project's tasks); CPU time of
this process per feed.

Each feed is a channel following one of the sandbox's org-1 projects, read with its own
subscriber's link (real sandbox tokens, sealed as the app seals them). A first tick records
every feed's snapshot (and posts nothing, as a first read does); the measured tick is the
next one, the steady state: every project read, nothing changed, nothing posted.

    .venv/bin/python -m bench.feed_cycle [--feeds N ...] [--quick] [--profile FILE.txt]

--profile writes a pyinstrument profile of the measured tick (pyinstrument is not a
dependency: install it in your own virtualenv).
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event, func, select, update

from bench.common import (
    app_settings,
    bench_user_ids,
    machine_facts,
    ms,
    parser,
    print_table,
    quiet_logging,
    sandbox_process,
    seed_links,
    temp_database,
)
from bot.db.base import utcnow
from bot.db.feed_models import FeedPost, FeedSubscription
from bot.db.session import session_scope
from bot.sandbox.slack import TEAM_ID
from bot.services.feeds_poll import CONCURRENCY
from bot.wiring import build_runtime

LATENCY = 0.100
TARGET_RATIO = 1.3
DEFAULT_FEEDS = (1000,)
# The sandbox's org-1 projects: (space id, project id, name).
PROJECTS = ((1, 1, "Website"), (1, 2, "Mobile App"), (2, 3, "Launch"))


@dataclass(frozen=True)
class CycleResult:
    feeds: int
    polled: int
    first: float
    cycle: float
    cpu: float
    failures: int
    posts: int
    statements: int

    @property
    def bound(self) -> float:
        return self.feeds * LATENCY / CONCURRENCY

    @property
    def ratio(self) -> float:
        return self.cycle / self.bound


async def seed_feeds(runtime: object, user_ids: list[str]) -> None:
    sessions = runtime.sessions  # type: ignore[attr-defined]
    async with session_scope(sessions) as session:
        for index, user_id in enumerate(user_ids):
            space_id, project_id, name = PROJECTS[index % len(PROJECTS)]
            session.add(
                FeedSubscription(
                    team_id=TEAM_ID,
                    channel_id=f"C0F{index:05d}",
                    subscriber_id=user_id,
                    space_id=space_id,
                    project_id=project_id,
                    project_name=name,
                    digest_time=None,
                    zone="UTC",
                    snapshot={},
                    initialized=False,
                    next_poll_at=utcnow(),
                    failures=0,
                )
            )


async def counts(runtime: object) -> tuple[int, int]:
    sessions = runtime.sessions  # type: ignore[attr-defined]
    async with sessions() as session:
        failed = await session.scalar(
            select(func.count())
            .select_from(FeedSubscription)
            .where(FeedSubscription.last_error.is_not(None))
        )
        posts = await session.scalar(select(func.count()).select_from(FeedPost))
        return int(failed or 0), int(posts or 0)


async def measure(
    database_url: str, sandbox_env: dict[str, str], feeds: int, profile: str | None = None
) -> CycleResult:
    runtime = build_runtime(app_settings(sandbox_env, database_url, notify_poll_seconds=86400))
    try:
        user_ids = bench_user_ids(feeds)
        await seed_links(runtime, user_ids)
        await seed_feeds(runtime, user_ids)
        poller = runtime.services.feed_poller
        started = time.perf_counter()
        await poller.tick()  # first reads: snapshots recorded, nothing posted
        first = time.perf_counter() - started
        async with session_scope(runtime.sessions) as session:
            await session.execute(update(FeedSubscription).values(next_poll_at=utcnow()))
        statements = 0

        def count(*_args: object) -> None:
            nonlocal statements
            statements += 1

        event.listen(runtime.engine.sync_engine, "before_cursor_execute", count)
        profiler = _profiler() if profile else None
        cpu_started, started = time.process_time(), time.perf_counter()
        polled = await poller.tick()
        cycle, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        if profiler is not None and profile:
            profiler.stop()
            Path(profile).write_text(profiler.output_text(unicode=False, color=False))  # noqa: ASYNC240
        event.remove(runtime.engine.sync_engine, "before_cursor_execute", count)
        failures, posts = await counts(runtime)
        return CycleResult(feeds, polled, first, cycle, cpu, failures, posts, statements)
    finally:
        await runtime.close()


def _profiler():  # type: ignore[no-untyped-def]
    from pyinstrument import Profiler

    profiler = Profiler(async_mode="enabled")
    profiler.start()
    return profiler


def report(results: list[CycleResult]) -> None:
    print_table(
        f"Project feed cycle, Astravue latency {ms(LATENCY)}, concurrency "
        f"{CONCURRENCY} ({machine_facts()})",
        [
            "feeds",
            "polled",
            "failed",
            "posts",
            "first",
            "cycle",
            "bound",
            "ratio",
            "CPU/feed",
            "SQL/feed",
        ],
        [
            [
                r.feeds,
                r.polled,
                r.failures,
                r.posts,
                f"{r.first:.1f} s",
                f"{r.cycle:.1f} s",
                f"{r.bound:.1f} s",
                f"{r.ratio:.2f}",
                ms(r.cpu / max(r.polled, 1)),
                f"{r.statements / max(r.polled, 1):.2f}",
            ]
            for r in results
        ],
    )
    largest = max(results, key=lambda r: r.feeds)
    verdict = (
        "met" if largest.ratio <= TARGET_RATIO and largest.polled == largest.feeds else "missed"
    )
    print(
        f"\nfeed cycle: {largest.feeds} feeds polled in {largest.cycle:.1f} s against a "
        f"{largest.bound:.1f} s bound, {largest.failures} failed, {largest.posts} posted"
    )
    print(f"ratio {largest.ratio:.2f}x (target <= {TARGET_RATIO:.2f}x) {verdict}")


def main(argv: Sequence[str] | None = None) -> int:
    parse = parser(__doc__.splitlines()[0])
    parse.add_argument("--feeds", type=int, nargs="+", help="cycle sizes (default 1000)")
    parse.add_argument("--profile", help="write a pyinstrument profile of the measured tick")
    args = parse.parse_args(argv)
    sizes = (50,) if args.quick else tuple(args.feeds or DEFAULT_FEEDS)
    results = []
    with quiet_logging(), sandbox_process(max(sizes), LATENCY) as sandbox_env:
        for feeds in sizes:
            with temp_database() as database_url:
                results.append(asyncio.run(measure(database_url, sandbox_env, feeds, args.profile)))
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
