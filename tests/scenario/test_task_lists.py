"""Task lists end to end: one section and one menu per task, in the agenda, `task list` and
the App Home; a menu's action redraws the same list in place, with Undo where it can.

Measured with `weigh` (blocks, controls) for Maria's agenda (`/astravue my`) and App Home:

| tasks | agenda before | agenda after | App Home before | App Home after |
| ----- | ------------- | ------------ | --------------- | -------------- |
| 6     | 18, 30        | 18, 6        | 28, 34          | 29, 10         |
| 12    | 30, 60        | 30, 12       | 40, 64          | 41, 16         |
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.domain.tasks import TaskRef
from bot.sandbox.astravue_state import utc_now
from bot.sandbox.seed import MARIA
from bot.sandbox.stack import Stack
from bot.ui.ids import Action, Callback
from tests.scenario.conftest import buttons, connect, eventually, last_response, text_of
from tests.scenario.test_home import open_home

#: Controls on the App Home besides the tasks': the timer section's New task and Log time,
#: and the notifications' Notification settings and List unread.
HOME_OTHER_CONTROLS = 4


def weigh(payload: dict[str, Any]) -> tuple[int, int]:
    """Blocks and controls (buttons, menus, selects) of a message or view."""
    blocks = payload.get("blocks") or []
    controls = 0
    for block in blocks:
        elements = block.get("elements") if block.get("type") == "actions" else []
        accessory = block.get("accessory") or {}
        controls += len(elements or []) + (accessory.get("type", "image") != "image")
    return len(blocks), controls


def seed_agenda(stack: Stack, overdue: int, today: int, upcoming: int) -> list[int]:
    """Maria's open tasks replaced by these, due in the past, today and later."""
    state = stack.sandbox.astravue
    for task in list(state.tasks.values()):
        if task.task_id in state.tasks and (
            MARIA in task.owner_ids or (task.is_personal and task.created_by == MARIA)
        ):
            state.delete_task(MARIA, task.task_id)
    noon = utc_now().replace(hour=12, minute=0, second=0, microsecond=0)
    days = [-2] * overdue + [0] * today + [3] * upcoming
    return [
        state.create_task(
            MARIA, f"Agenda task {n}", owners=[MARIA], due_date=noon + timedelta(d)
        ).task_id
        for n, d in enumerate(days)
    ]


async def command(stack: Stack, text: str) -> dict[str, Any]:
    before = len(stack.sandbox.slack.responses)
    await stack.user("U0MARIA").command(text)
    return await last_response(stack, "U0MARIA", before)


async def choose_without_reply(
    stack: Stack, listing: dict[str, Any], title: str, verb: str
) -> None:
    row = next(b for b in listing["blocks"] if b.get("accessory") and title in b["text"]["text"])
    option = next(o for o in row["accessory"]["options"] if o["value"].startswith(f"{verb}|"))
    await stack.user("U0MARIA").click(
        Action.TASK_ROW,
        message=listing,
        block_id=row["block_id"],
        action_type="overflow",
        selected_option={"value": option["value"]},
    )


async def choose(stack: Stack, listing: dict[str, Any], title: str, verb: str) -> dict[str, Any]:
    """Pick `verb` in the menu of the row titled `title`; the response that follows."""
    before = len(stack.sandbox.slack.responses)
    await choose_without_reply(stack, listing, title, verb)
    return await last_response(stack, "U0MARIA", before)


async def click(stack: Stack, payload: dict[str, Any], action: str) -> dict[str, Any]:
    before = len(stack.sandbox.slack.responses)
    await stack.user("U0MARIA").click(action, buttons(payload)[action]["value"], message=payload)
    return await last_response(stack, "U0MARIA", before)


def replaced(stack: Stack) -> bool:
    return bool(stack.sandbox.slack.responses[-1].payload.get("replace_original"))


@pytest.mark.parametrize("count", [6, 12])
async def test_lists_carry_one_menu_per_task(stack: Stack, count: int) -> None:
    await connect(stack, "U0MARIA")
    seed_agenda(stack, count // 3, count // 3, count - 2 * (count // 3))
    agenda = await command(stack, "my")
    blocks, controls = weigh(agenda)
    menus = [b for b in agenda["blocks"] if (b.get("accessory") or {}).get("type") == "overflow"]
    assert len(menus) == count and controls == count  # no more buttons than tasks
    assert blocks <= 2 * count + 8  # a section and a line of facts per task, a few headers
    options = [o["text"]["text"] for o in menus[0]["accessory"]["options"]]
    assert options == ["Complete", "Start timer", "Edit", "Delete…"]

    home = await open_home(stack, "U0MARIA", "Agenda task 0")
    _, home_controls = weigh(home)
    assert home_controls == count + HOME_OTHER_CONTROLS
    print(f"\n{count} tasks: agenda {blocks} blocks {controls} controls; home {weigh(home)}")


async def test_complete_from_the_menu_redraws_the_list_with_undo(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    ids = seed_agenda(stack, 2, 2, 2)
    agenda = await command(stack, "my")
    done = await choose(stack, agenda, "Agenda task 2", "complete")
    assert replaced(stack)  # the same message, redrawn
    state = stack.sandbox.astravue
    assert state.status_of(state.tasks[ids[2]]).category == "done"
    shown = text_of(done)
    assert "Completed" in shown and "Your agenda" in shown
    assert "Agenda task 3" in shown and shown.count("Agenda task 2") == 1  # only in the note
    assert weigh(done)[1] == 5 + 1  # the five left, and Undo

    restored = await click(stack, done, Action.TASK_UNDO_COMPLETE)
    assert replaced(stack)
    assert state.status_of(state.tasks[ids[2]]).name == "To Do"
    assert state.tasks[ids[2]].completion == 0
    assert "Back to *To Do*" in text_of(restored)
    assert Action.TASK_UNDO_COMPLETE not in buttons(restored)
    assert weigh(restored)[1] == 6  # the row is back


async def test_delete_asks_first_and_cannot_be_undone(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    ids = seed_agenda(stack, 0, 1, 1)
    listing = await command(stack, "task list")
    asked = await choose(stack, listing, "Agenda task 0", "delete")
    assert "cannot be undone" in text_of(asked) and ids[0] in stack.sandbox.astravue.tasks
    kept = await click(stack, asked, Action.TASK_PAGE)  # Keep it
    assert "cannot be undone" not in text_of(kept) and ids[0] in stack.sandbox.astravue.tasks

    asked = await choose(stack, kept, "Agenda task 0", "delete")
    gone = await click(stack, asked, Action.TASK_LIST_DELETE)
    assert replaced(stack) and ids[0] not in stack.sandbox.astravue.tasks
    assert "Deleted *Agenda task 0*" in text_of(gone) and "Agenda task 1" in text_of(gone)
    assert Action.TASK_UNDO_COMPLETE not in buttons(gone)


async def test_more_is_a_button_and_empty_groups_are_hidden(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    seed_agenda(stack, 8, 0, 1)
    agenda = await command(stack, "my")
    shown = text_of(agenda)
    assert "Overdue* (8)" in shown and "Upcoming* (1)" in shown
    assert "Due today" not in shown  # an empty group is left out
    assert buttons(agenda)[Action.TASK_PAGE]["text"]["text"] == "…and 3 more"  # a button
    assert shown.count("Agenda task") == 6

    everything = await click(stack, agenda, Action.TASK_PAGE)  # …and 3 more: the whole group
    assert replaced(stack)
    assert text_of(everything).count("Agenda task") == 8 and "Upcoming" not in text_of(everything)
    back = await click(stack, everything, Action.TASK_PAGE)  # Back to the agenda
    assert text_of(back).count("Agenda task") == 6


async def test_task_list_pages_with_a_more_button(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    seed_agenda(stack, 0, 0, 13)
    first = await command(stack, "task list")
    assert text_of(first).count("Agenda task") == 10
    more = buttons(first)[Action.TASK_PAGE]
    assert more["text"]["text"] == "…and 3 more"
    second = await click(stack, first, Action.TASK_PAGE)
    assert text_of(second).count("Agenda task") == 3 and "page 2 of 2" in text_of(second)
    assert buttons(second)[Action.TASK_PAGE]["text"]["text"] == "Previous"


async def test_home_complete_republishes_the_tasks_with_undo(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    ids = seed_agenda(stack, 1, 1, 1)
    home = await open_home(stack, "U0MARIA", "Agenda task 0")
    row = next(b for b in home["blocks"] if "Agenda task 1" in str(b.get("text")))
    value = next(o["value"] for o in row["accessory"]["options"] if o["text"]["text"] == "Complete")
    assert TaskRef.decode(value.split("|")[1]).task_id == ids[1]
    await stack.user("U0MARIA").click(
        Action.TASK_ROW,
        view=home,
        block_id=row["block_id"],
        action_type="overflow",
        selected_option={"value": value},
    )
    done = await eventually(
        lambda: (lambda v: v if v and "Completed" in text_of(v) else None)(
            stack.sandbox.slack.home_view("U0MARIA")
        )
    )
    assert "Logged today" in text_of(done)  # the other sections are kept
    assert text_of(done).count("Agenda task 1") == 1 and "Due today" not in text_of(done)
    await stack.user("U0MARIA").click(
        Action.TASK_UNDO_COMPLETE, buttons(done)[Action.TASK_UNDO_COMPLETE]["value"], view=done
    )
    back = await eventually(
        lambda: (lambda v: v if v and "Back to" in text_of(v) else None)(
            stack.sandbox.slack.home_view("U0MARIA")
        )
    )
    assert "Due today" in text_of(back)
    assert stack.sandbox.astravue.status_of(stack.sandbox.astravue.tasks[ids[1]]).name == "To Do"


async def test_start_timer_and_edit_from_the_menu(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    ids = seed_agenda(stack, 0, 1, 1)
    listing = await command(stack, "task list")
    started = await choose(stack, listing, "Agenda task 1", "start")
    timer = stack.sandbox.astravue.running_timer(MARIA)
    assert timer is not None and timer.task_id == ids[1]
    assert "Agenda task 1" in text_of(started) and not replaced(stack)  # the list stays

    opened = len(stack.sandbox.slack.calls_to("views.open"))
    await choose_without_reply(stack, listing, "Agenda task 0", "edit")
    await eventually(lambda: stack.sandbox.slack.calls_to("views.open")[opened:])
    form = await eventually(  # the loading view, then the form filled from the task
        lambda: [v for v in stack.sandbox.slack.open_views("U0MARIA") if "Agenda task 0" in str(v)]
    )
    assert form[-1]["callback_id"] == Callback.TASK_EDIT
