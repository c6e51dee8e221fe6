"""Helpers of the project feed tests: the feed job of the stack, ticks, and what it posted."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select, update

from bot.db.base import utcnow
from bot.db.feed_models import FeedSubscription
from bot.outbound.feed_poster import feed_poller
from bot.sandbox.stack import Stack
from bot.services.feeds_ledger import EVENT_TYPE
from bot.services.feeds_poll import FeedPoller
from tests.scenario.conftest import last_response, text_of

MARIA, DEV, SAM = 1, 2, 3


async def command(stack: Stack, user: str, text: str, channel: str = "C0GENERAL") -> str:
    """`/astravue <text>` from `user` in `channel`; the text of the reply."""
    before = len(stack.sandbox.slack.responses)
    response = await stack.user(user).command(text, channel_id=channel)
    assert response.status_code == 200
    return text_of(await last_response(stack, user, before))


def fast_poller(stack: Stack) -> FeedPoller:
    """The app's feed job, with test pacing, and Slack's limits out of the way."""
    poller = feed_poller(stack.runtime.services)
    messenger = poller.sender.messenger  # type: ignore[attr-defined]
    messenger.channel_interval, messenger.workspace_interval = 0.01, 0.005
    slack = stack.sandbox.slack
    slack.channel_per_second = slack.channel_burst = 100
    slack.workspace_per_minute = slack.workspace_burst = 10_000
    return poller


async def tick(stack: Stack, poller: FeedPoller) -> int:
    """Every subscription due now, then one tick."""
    async with stack.runtime.sessions() as session, session.begin():
        await session.execute(update(FeedSubscription).values(next_poll_at=utcnow()))
    return await poller.tick()


def project_id(stack: Stack, name: str) -> int:
    return next(p.project_id for p in stack.sandbox.astravue.projects.values() if p.name == name)


def task_id(stack: Stack, title: str) -> int:
    return next(t.task_id for t in stack.sandbox.astravue.tasks.values() if t.title == title)


def feed_posts(stack: Stack, channel: str) -> list[dict[str, Any]]:
    """The event payloads of the feed posts in `channel`, oldest first."""
    return [
        m.metadata["event_payload"]
        for m in stack.sandbox.slack.messages_in(channel)
        if m.metadata and m.metadata.get("event_type") == EVENT_TYPE
    ]


def post_counts(stack: Stack, *channels: str) -> Counter[tuple[int, str]]:
    counts: Counter[tuple[int, str]] = Counter()
    for channel in channels:
        for body in feed_posts(stack, channel):
            counts[(body["subscription_id"], body["change_key"])] += 1
    return counts


async def subscriptions(stack: Stack) -> list[FeedSubscription]:
    async with stack.runtime.sessions() as session:
        return list((await session.scalars(select(FeedSubscription))).all())
