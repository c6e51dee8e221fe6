"""`GET /metrics`: each metric moves when its event happens, through the real app; and the
endpoint is not public (METRICS_TOKEN, or loopback only)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select, update

from bot.db.models import AstravueLink, PollState
from bot.sandbox.stack import Stack
from tests.scenario.conftest import connect

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def _samples(text: str) -> Samples:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def _value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def _total(samples: Samples, name: str) -> float:
    return sum(value for (sample, _), value in samples.items() if sample == name)


async def _scrape(stack: Stack, **headers: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as client:
        return await client.get(f"{stack.app_url}/metrics", headers=headers)


async def test_metrics_move_when_their_events_happen(stack: Stack) -> None:
    first = await _scrape(stack)
    assert first.status_code == 200 and first.headers["content-type"].startswith("text/plain")
    before = _samples(first.text)
    assert _value(before, "astravue_links", status="active") == 0

    await connect(stack, "U0MARIA")  # a signed /astravue connect, lazy work, the OAuth flow
    service = stack.runtime.services
    async with stack.runtime.sessions() as session:
        link_id = (await session.scalars(select(AstravueLink.id))).one()
    token = await service.tokens.access_token_for(link_id)
    await service.tokens.access_token_for(link_id, rejected=token)  # forces a refresh grant
    slack = stack.sandbox.slack
    slack.post_message_429_rate, slack.post_message_retry_after = 1.0, 0
    await service.poller.tick()  # first poll: its summary DM meets only 429s
    slack.post_message_429_rate = 0.0
    stack.sandbox.astravue.add_notification(1, "comment", "a new comment", actor_id=3)
    async with stack.runtime.sessions() as session, session.begin():
        await session.execute(update(PollState).values(next_poll_at=datetime.now(UTC)))
    polled = await service.poller.tick()  # its DM goes

    after = _samples((await _scrape(stack)).text)
    assert polled == 1
    ack = "astravue_slack_ack_seconds_count"
    assert _value(after, ack, payload_type="slash_command") > _value(
        before, ack, payload_type="slash_command"
    )
    assert _total(after, "astravue_lazy_work_seconds_count") > _total(
        before, "astravue_lazy_work_seconds_count"
    )
    assert (
        _value(after, "astravue_token_refreshes_total", outcome="ok")
        == _value(before, "astravue_token_refreshes_total", outcome="ok") + 1
    )
    assert (
        _value(after, "astravue_poll_cycle_seconds_count")
        == _value(before, "astravue_poll_cycle_seconds_count") + 2
    )
    assert (
        _value(after, "astravue_users_polled_total")
        == _value(before, "astravue_users_polled_total") + 2
    )
    assert _value(after, "astravue_slack_dms_sent_total") > _value(
        before, "astravue_slack_dms_sent_total"
    )
    assert _value(after, "astravue_slack_rate_limited_total") > _value(
        before, "astravue_slack_rate_limited_total"
    )
    answered = [
        dict(labels)["operation"]
        for (name, labels), value in after.items()
        if name == "astravue_api_calls_total"
        and dict(labels)["status"] == "200"
        and value > before.get((name, labels), 0.0)
    ]
    assert answered, "no Astravue call was counted"
    assert _value(after, "astravue_links", status="active") == 1
    assert _value(after, "astravue_installations") == 1
