"""Prometheus metrics: the definitions, the one-line hooks the app calls, and `GET /metrics`.

Counters and histograms live in the process's default registry (with prometheus_client's
process collector). Link and workspace counts are database facts, read when scraped.
`/metrics` is not public: with METRICS_TOKEN it needs that bearer token; without one it only
answers requests from this machine (loopback).
"""

from __future__ import annotations

import hmac
import ipaddress
import time
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any, TypeVar

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from bot.db.models import AstravueLink, LinkStatus

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
LINKS = Gauge("astravue_links", "Slack users linked to Astravue, by link status", ["status"])
INSTALLATIONS = Gauge("astravue_installations", "Slack workspaces with at least one link")

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


async def _read_database_gauges(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session:
        by_status = dict(
            (
                await session.execute(
                    select(AstravueLink.status, func.count()).group_by(AstravueLink.status)
                )
            ).all()
        )
        teams = await session.scalar(select(func.count(distinct(AstravueLink.team_id))))
    for status in LinkStatus:
        LINKS.labels(status.value).set(by_status.get(status, 0))
    INSTALLATIONS.set(teams or 0)


def _refusal(request: Request, token: str | None) -> Response | None:
    """Why this request may not read the metrics, or None when it may."""
    if token:
        given = request.headers.get("authorization", "")
        if hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return None
        return PlainTextResponse(
            "metrics need the METRICS_TOKEN bearer token.",
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    host = request.client.host if request.client else ""
    try:
        if ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:  # no client address (e.g. a test transport): not loopback
        pass
    return PlainTextResponse(
        "metrics answer only this machine: set METRICS_TOKEN to scrape from elsewhere.",
        status_code=403,
    )


async def metrics_response(
    request: Request, *, token: str | None, sessions: async_sessionmaker[AsyncSession]
) -> Response:
    refusal = _refusal(request, token)
    if refusal is not None:
        return refusal
    await _read_database_gauges(sessions)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
