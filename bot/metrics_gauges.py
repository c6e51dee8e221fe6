"""`GET /metrics`: who may scrape, and the gauges read from the database when scraped.

Link and workspace counts are database facts, so they are read at scrape time, here and not
in `bot.metrics` (which the Astravue client imports and must stay free of the database).
`/metrics` is not public: with METRICS_TOKEN it needs that bearer token; without one it only
answers requests from this machine (loopback).
"""

from __future__ import annotations

import hmac
import ipaddress

from prometheus_client import CONTENT_TYPE_LATEST, Gauge, generate_latest
from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from bot.db.models import AstravueLink, LinkStatus

LINKS = Gauge("astravue_links", "Slack users linked to Astravue, by link status", ["status"])
INSTALLATIONS = Gauge("astravue_installations", "Slack workspaces with at least one link")


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
