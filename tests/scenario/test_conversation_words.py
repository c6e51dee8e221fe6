"""Issue 19 point 5: words that match too much. A write whose task was found by words (not an
id, a link or the whole title) asks first, with a button that finishes the command; several
matches are offered as buttons, never "Use the id"."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.sandbox.seed import MARIA
from bot.sandbox.stack import Stack
from tests.scenario.conftest import connect, eventually, last_response, text_of
from tests.scenario.test_timers import entries_of, run, running, task_ref


def choices(payload: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The choice buttons of an answer, by the task line they sit beside."""
    return {
        block["text"]["text"]: block["accessory"]
        for block in payload.get("blocks") or []
        if block.get("accessory", {}).get("type") == "button"
    }


async def click_choice(stack: Stack, answer: dict[str, Any], title: str) -> None:
    choice = next(v for k, v in choices(answer).items() if title in k)
    before = len(stack.sandbox.slack.responses)
    await stack.user("U0MARIA").click(choice["action_id"], choice["value"], message=answer)
    await last_response(stack, "U0MARIA", before)


async def test_a_log_matched_by_words_asks_first_and_the_button_logs_it(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    offline = task_ref(stack, "Offline mode for task list")
    before = len(entries_of(stack, offline))

    answer = await run(stack, "log 30m task")
    assert "Nothing done yet" in text_of(answer)
    assert "Offline mode for task list" in text_of(answer)
    assert "Use the id" not in text_of(answer)
    assert len(entries_of(stack, offline)) == before  # nothing logged on a guess

    await click_choice(stack, answer, "Offline mode for task list")
    entries = await eventually(lambda: entries_of(stack, offline)[before:])
    assert [e.end - e.start for e in entries if e.end] == [timedelta(minutes=30)]


async def test_an_id_or_a_whole_title_writes_at_once(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    offline = task_ref(stack, "Offline mode for task list")
    before = len(entries_of(stack, offline))
    answer = await run(stack, "log 15m offline mode for task list")
    assert "Logged" in text_of(answer), text_of(answer)
    assert len(entries_of(stack, offline)) == before + 1


async def test_several_matches_are_offered_as_buttons(stack: Stack) -> None:
    state = stack.sandbox.astravue
    state.create_task(MARIA, "Review login flow", owners=[MARIA])
    state.create_task(MARIA, "Review signup flow", owners=[MARIA])
    await connect(stack, "U0MARIA")

    answer = await run(stack, "timer start review")
    assert "Several tasks match" in text_of(answer) and "Use the id" not in text_of(answer)
    lines = choices(answer)
    assert any("Review login flow" in k for k in lines)
    assert any("Review signup flow" in k for k in lines)
    assert running(stack) is None

    await click_choice(stack, answer, "Review signup flow")
    timer = await eventually(lambda: running(stack))
    assert timer.task_id == task_ref(stack, "Review signup flow").task_id
