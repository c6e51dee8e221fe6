"""Issue 12 item 7: what Astravue sends in a notification (its type as well as its message)
reaches the DM escaped, so a notification cannot ping `<!channel>` or mention anyone."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import update

from bot.db.models import PollState
from bot.sandbox.stack import Stack
from tests.scenario import conftest as scenario
from tests.scenario.conftest import connect, text_of

stack = scenario.stack
no_secret_in_debug_logs = scenario.no_secret_in_debug_logs

MARIA, DEV = 1, 2
# A Slack special mention, user mention or link, anywhere in what the app sent.
INJECTED = re.compile(r"<(?:!channel|!here|@U0DEV|https?://evil)")


async def test_notification_type_and_message_reach_the_dm_escaped(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    notifications = stack.runtime.services.poller
    await notifications.tick()  # the first poll records what is there and sends a summary
    before = len(stack.sandbox.slack.dm_messages("U0MARIA"))
    task = next(
        t for t in stack.sandbox.astravue.tasks.values() if t.project_id and MARIA in t.owner_ids
    )
    stack.sandbox.astravue.add_notification(
        MARIA,
        "<!channel> <@U0DEV>",
        "<!here> see <https://evil.test|this>",
        actor_id=DEV,
        task_id=task.task_id,
    )
    async with stack.runtime.sessions() as session, session.begin():
        await session.execute(update(PollState).values(next_poll_at=datetime.now(UTC)))
    await notifications.tick()

    dms = stack.sandbox.slack.dm_messages("U0MARIA")
    assert len(dms) == before + 1
    shown = text_of(dms[-1].as_slack())
    assert "&lt;!channel&gt;" in shown and "&lt;!here&gt;" in shown  # still readable
    assert INJECTED.search(shown) is None, shown
