"""Ack first: slow Astravue or a dead Keycloak never delays the 200 Slack waits for."""

from __future__ import annotations

import asyncio
import statistics
import time

import pytest

from bot.sandbox.stack import Stack
from tests.scenario.conftest import connect, eventually

CONCURRENT = 50


async def _burst(stack: Stack, text: str) -> list[float]:
    sim = stack.user("U0MARIA")

    async def one() -> float:
        started = time.perf_counter()
        response = await sim.command(text)
        assert response.status_code == 200, response.text
        return time.perf_counter() - started

    return await asyncio.gather(*[one() for _ in range(CONCURRENT)])


@pytest.mark.timing
@pytest.mark.parametrize("fault", ["astravue answers in 2 s", "keycloak down"])
async def test_fifty_concurrent_commands_are_all_acked_at_once(stack: Stack, fault: str) -> None:
    await connect(stack, "U0MARIA")
    if fault == "keycloak down":
        stack.sandbox.keycloak.faults.down = True
        async with stack.runtime.sessions() as session:  # force a refresh on every call
            from sqlalchemy import update

            from bot.db.models import AstravueLink

            await session.execute(update(AstravueLink).values(access_expires_at=None))
            await session.commit()
    else:
        stack.sandbox.astravue_faults.latency = 2.0
    before = len(stack.sandbox.slack.responses)
    latencies = sorted(await _burst(stack, "org 1"))
    p50 = statistics.median(latencies)
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    print(
        f"\n{fault}: {CONCURRENT} commands acked; p50 {p50 * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )
    assert latencies[-1] < 3.0  # Slack's limit; the 300 ms target lives in bench/
    # and the slow work still completes afterwards, each user told the outcome
    await eventually(lambda: len(stack.sandbox.slack.responses) - before >= CONCURRENT, within=20)
