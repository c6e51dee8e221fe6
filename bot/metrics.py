"""Prometheus metrics: the counters and histograms, and the one-line hooks the app calls.

They live in the process's default registry (with prometheus_client's process collector).
This module imports prometheus_client only, so the Astravue client can count its calls
without knowing the database; the database gauges and `GET /metrics` are in
`bot.metrics_gauges`.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any, TypeVar

from prometheus_client import Counter, Histogram

ACK_SECONDS = Histogram(
    "astravue_slack_ack_seconds",
    "Time to answer a verified Slack request (Bolt's ack)",
    ["payload_type"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0),
)
LAZY_SECONDS = Histogram(
    "astravue_lazy_work_seconds",
    "Duration of the work done after an ack, per listener",
    ["listener"],
)
LAZY_FAILURES = Counter(
    "astravue_lazy_work_failures_total", "Lazy listener runs that ended in an error", ["listener"]
)
ASTRAVUE_CALLS = Counter(
    "astravue_api_calls_total",
    "Astravue API attempts by operation and HTTP status (or transport error)",
    ["operation", "status"],
)
TOKEN_REFRESHES = Counter(
    "astravue_token_refreshes_total",
    "Refresh-token grants by outcome (ok, or the failure)",
    ["outcome"],
)
POLL_CYCLE_SECONDS = Histogram(
    "astravue_poll_cycle_seconds",
    "Duration of one notification poll tick",
    buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
)
USERS_POLLED = Counter("astravue_users_polled_total", "Linked users polled for notifications")
DMS_SENT = Counter("astravue_slack_dms_sent_total", "Direct messages posted to Slack users")
SLACK_RATE_LIMITED = Counter(
    "astravue_slack_rate_limited_total",
    "Slack Web API calls answered 429 (then retried after Retry-After)",
)
# Slack's payload types; anything else (a verified but unexpected body) counts as "other".
_PAYLOAD_TYPES = frozenset(
    {
        "slash_command",
        "block_actions",
        "block_suggestion",
        "view_submission",
        "view_closed",
        "shortcut",
        "message_action",
        "event_callback",
        "url_verification",
    }
)

T = TypeVar("T")


def payload_type(body: dict[str, Any]) -> str:
    kind = "slash_command" if "command" in body else str(body.get("type") or "")
    return kind if kind in _PAYLOAD_TYPES else "other"


def time_ack(body: dict[str, Any]) -> Any:
    """`with time_ack(bolt_request.body):` around the dispatch that produces the ack."""
    return ACK_SECONDS.labels(payload_type(body)).time()


async def timed_lazy(handler: Callable[[T], Awaitable[None]], invocation: T) -> None:
    """Run one lazy listener, recording its duration and whether it raised."""
    name = getattr(handler, "__name__", "unknown")
    started = time.perf_counter()
    try:
        await handler(invocation)
    except BaseException:
        LAZY_FAILURES.labels(name).inc()
        raise
    finally:
        LAZY_SECONDS.labels(name).observe(time.perf_counter() - started)


def count_astravue_call(operation: str, outcome: int | str) -> None:
    ASTRAVUE_CALLS.labels(operation, str(outcome)).inc()


def count_token_refresh(failure: Exception | None) -> None:
    TOKEN_REFRESHES.labels("ok" if failure is None else type(failure).__name__).inc()


def timed_poll_cycle(tick: Callable[..., Awaitable[int]]) -> Callable[..., Awaitable[int]]:
    """Decorates the poll tick (which returns how many users it polled)."""

    @wraps(tick)
    async def run(*args: Any, **kwargs: Any) -> int:
        with POLL_CYCLE_SECONDS.time():
            polled = await tick(*args, **kwargs)
        USERS_POLLED.inc(polled)
        return polled

    return run
