"""Mention DMs end to end: the poll tick against the sandbox quotes the comment, "Show more"
shows all of it, and the menu's Complete and Start timer keep the DM with their result."""

from __future__ import annotations

from typing import Any

from bot.sandbox.stack import Stack
from bot.ui.ids import Action
from bot.ui.notifications import OVERFLOW_COMPLETE, OVERFLOW_TIMER
from tests.scenario.conftest import buttons, eventually, text_of
from tests.scenario.test_notifications import _due_now, dms, linked, payload_of

MARIA, DEV = 1, 2
COMMENT = (
    "@maria can you check the login flow?\n"
    "It fails on Safari.\n"
    "Only with SSO.\n"
    "Logs are attached.\n"
    "The <!channel> should not be pinged."
)


def _task(stack: Stack) -> Any:
    return next(
        t
        for t in stack.sandbox.astravue.tasks.values()
        if t.project_id and MARIA in t.owner_ids and t.completion < 100
    )


async def _mention_dm(stack: Stack, text: str = COMMENT) -> tuple[Any, Any]:
    task = _task(stack)
    before = len(dms(stack))
    comment = stack.sandbox.astravue.add_comment(DEV, task.task_id, text)
    await _due_now(stack)
    await stack.runtime.services.poller.tick()
    assert len(dms(stack)) == before + 1
    return task, comment


def _option(dm: dict[str, Any], what: str) -> dict[str, Any]:
    menu = buttons(dm)[Action.NOTIF_OVERFLOW]
    return next(o for o in menu["options"] if o["value"].startswith(what + ":"))


async def _choose(stack: Stack, dm: dict[str, Any], what: str, outcome: str) -> Any:
    """Pick `what` in the DM's menu; the DM as it reads once it says `outcome`."""
    await stack.user("U0MARIA").click(
        Action.NOTIF_OVERFLOW, message=dm, selected_option=_option(dm, what), action_type="overflow"
    )
    return await eventually(
        lambda: outcome in text_of(payload_of(dms(stack)[-1])) and dms(stack)[-1]
    )


async def test_a_mention_quotes_three_lines_and_opens_at_the_comment(stack: Stack) -> None:
    await linked(stack)
    task, comment = await _mention_dm(stack)
    dm = payload_of(dms(stack)[-1])
    shown = text_of(dm)
    assert "> @maria can you check the login flow?\n> It fails on Safari.\n> Only with SSO" in shown
    assert "Logs are attached" not in shown
    found = buttons(dm)
    assert found[Action.NOTIF_MORE]["text"]["text"] == "Show more"
    opener = found[Action.OPEN_URL]
    assert opener["text"]["text"] == "Open at the comment"
    assert opener["url"].endswith(f"/tasks/{task.task_id}#comment-{comment.comment_id}")
    # Complete and Start timer moved into the menu: three controls, not six.
    assert Action.TASK_COMPLETE not in found and Action.TIMER_START not in found
    assert {o["text"]["text"] for o in found[Action.NOTIF_OVERFLOW]["options"]} >= {
        "Complete task",
        "Start timer",
    }

    maria = stack.user("U0MARIA")
    ts = dms(stack)[-1].ts
    await maria.click(Action.NOTIF_MORE, found[Action.NOTIF_MORE]["value"], message=dm)
    expanded = await eventually(
        lambda: "Logs are attached" in text_of(payload_of(dms(stack)[-1])) and dms(stack)[-1]
    )
    assert expanded.ts == ts  # the same DM, updated in place
    assert "&lt;!channel&gt;" in text_of(payload_of(expanded))  # echoed text stays escaped
    assert Action.NOTIF_MORE not in buttons(payload_of(expanded))
    assert Action.NOTIF_MARK_READ in buttons(payload_of(expanded))


async def test_complete_and_start_timer_keep_the_dm_with_their_result(stack: Stack) -> None:
    await linked(stack)
    task, _ = await _mention_dm(stack, "@maria short one")
    dm, ts = payload_of(dms(stack)[-1]), dms(stack)[-1].ts
    assert Action.NOTIF_MORE not in buttons(dm)  # nothing more to show

    after_timer = await _choose(stack, dm, OVERFLOW_TIMER, "Timer running since")
    running = [t for t in stack.sandbox.astravue.entries.values() if t.user_id == MARIA]
    assert [t.task_id for t in running if t.end is None] == [task.task_id]
    assert after_timer.ts == ts
    assert "short one" in text_of(payload_of(after_timer))  # the quote is still there
    assert Action.NOTIF_OVERFLOW in buttons(payload_of(after_timer))

    after_complete = await _choose(
        stack, payload_of(after_timer), OVERFLOW_COMPLETE, "You completed the task"
    )
    assert after_complete.ts == ts
    assert "its timer was running" in text_of(payload_of(after_complete))
    assert stack.sandbox.astravue.tasks[task.task_id].completion == 100
    assert "short one" in text_of(payload_of(after_complete))


async def test_a_mention_whose_comment_is_gone_has_no_quote(stack: Stack) -> None:
    await linked(stack)
    task = _task(stack)
    stack.sandbox.astravue.add_notification(
        MARIA, "mention", "Dev mentioned you", actor_id=DEV, task_id=task.task_id, comment_id=9999
    )
    await _due_now(stack)
    await stack.runtime.services.poller.tick()
    dm = payload_of(dms(stack)[-1])
    assert "Dev mentioned you" in text_of(dm)
    assert "\n>" not in text_of(dm)
    assert buttons(dm)[Action.OPEN_URL]["text"]["text"] == "Open at the comment"
