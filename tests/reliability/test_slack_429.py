"""A storm of Slack 429s: every notification still reaches its user once, and no post is
made before the Retry-After Slack asked for."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update

from bot.db.models import PollState
from bot.sandbox.stack import Stack
from tests.scenario.conftest import connect

MARIA, DEV = 1, 2


async def test_429_storm_delivers_everything_once_without_early_posts(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    await connect(stack, "U0DEV")
    service = stack.runtime.services.poller
    await service.tick()  # first polls: summaries
    slack = stack.sandbox.slack
    slack.post_message_429_rate = 0.33
    slack.post_message_retry_after = 1
    made = {
        user: [
            stack.sandbox.astravue.add_notification(
                user, "comment", f"note {i}", actor_id=3
            ).notification_id
            for i in range(6)
        ]
        for user in (MARIA, DEV)
    }
    async with stack.runtime.sessions() as session, session.begin():
        await session.execute(update(PollState).values(next_poll_at=datetime.now(UTC)))
    await service.tick()
    assert slack.early_posts == 0
    for user, slack_user in ((MARIA, "U0MARIA"), (DEV, "U0DEV")):
        delivered = [
            m.metadata["event_payload"]["notification_id"]
            for m in slack.dm_messages(slack_user)
            if m.metadata
        ]
        assert sorted(delivered) == sorted(made[user])
    assert [c for c in slack.calls_to("chat.postMessage") if c.status == 429]  # a real storm
