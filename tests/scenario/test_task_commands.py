"""Task commands not covered elsewhere: assign, due, edit, pick lists, paging, space options."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.sandbox.stack import Stack
from bot.ui.ids import Action, Callback
from tests.scenario.conftest import buttons, connect, last_response, text_of
from tests.scenario.test_spaces import modal_with, project_named, told
from tests.scenario.test_tasks import _task_titled
from tests.scenario.test_timers import run, text_input

MARIA, SAM = 1, 3


async def test_assign_by_mention_and_name_then_due_in_the_users_zone(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    task = _task_titled(stack, "Update pricing page copy")
    assert task is not None
    card = text_of(await run(stack, f"task assign {task.task_id} <@U0DEV|dev>"))
    assert "Assigned" in card and "Dev Patel" in card
    assert task.owner_ids == [2]
    await run(stack, f"task assign {task.task_id} @sam")
    assert task.owner_ids == [SAM]
    unknown = text_of(await run(stack, f"task assign {task.task_id} @nobodyhere"))
    assert "nobodyhere" in unknown and task.owner_ids == [SAM]
    # A Slack user with no Astravue account is named in plain text, never mentioned (pinged).
    for typed, named in (("<@U0NOBODY|nobody>", "No Body"), ("<@W0GONE|x>", "W0GONE")):
        unmapped = text_of(await run(stack, f"task assign {task.task_id} {typed}"))
        assert f"{named} can't be mapped" in unmapped and "<@" not in unmapped
    assert task.owner_ids == [SAM]

    card = text_of(await run(stack, f"task due {task.task_id} 2030-06-30"))
    assert "Due date set" in card
    # a calendar date: noon UTC that day, the same day for readers in every zone
    assert task.due_date == datetime(2030, 6, 30, 12, tzinfo=UTC)
    bad = text_of(await run(stack, f"task due {task.task_id} someday"))
    assert "isn't a date" in bad


async def test_edit_modal_is_prefilled_and_saves(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    task = _task_titled(stack, "Renew passport")
    assert task is not None
    await stack.user("U0MARIA").command(f"task edit {task.task_id}")
    form = await modal_with(stack, "U0MARIA", Callback.TASK_EDIT)
    assert form["blocks"][0]["element"]["initial_value"] == "Renew passport"
    await stack.user("U0MARIA").submit(
        form,
        {
            "title": {"value": text_input("Renew passport <today>")},
            "priority": {"value": {"type": "static_select", "selected_option": {"value": "High"}}},
        },
    )
    said = await told(stack, "U0MARIA", "Saved")
    assert "Renew passport &lt;today&gt;" in said
    assert task.title == "Renew passport <today>"
    assert stack.sandbox.astravue.priority_of(task).label == "High"


async def _pick(stack: Stack, preview: dict[str, Any], label_part: str) -> dict[str, Any]:
    """Answer the preview's question that offers `label_part` (each is its own select)."""
    options = [
        o
        for block in preview["blocks"]
        for o in (block.get("accessory") or {}).get("options") or []
    ]
    choice = next(o for o in options if label_part in o["text"]["text"])
    before = len(stack.sandbox.slack.responses)
    await stack.user("U0MARIA").click(Action.TASK_PICK, message=preview, selected_option=choice)
    return await last_response(stack, "U0MARIA", before)


async def test_quick_capture_asks_which_project_and_person(stack: Stack) -> None:
    state = stack.sandbox.astravue
    marketing = next(s for s in state.spaces.values() if s.name == "Marketing")
    state.create_project(MARIA, marketing.space_id, "Webinar")
    state.add_user(6, 1, "Sam", "Lee", "saml@acme.test", "Member")
    state.create_task(MARIA, "Intro call", owners=[6])  # so the directory knows Sam Lee
    await connect(stack, "U0MARIA")

    preview = await run(stack, "task new Ship it #Web @sam")
    assert "Which project" in text_of(preview) and "Which person" in text_of(preview)
    assert Action.TASK_CREATE_CONFIRM not in buttons(preview)  # answer first
    preview = await _pick(stack, preview, "Website")
    preview = await _pick(stack, preview, "Sam Lee")
    create = buttons(preview)[Action.TASK_CREATE_CONFIRM]
    before = len(stack.sandbox.slack.responses)
    await stack.user("U0MARIA").click(Action.TASK_CREATE_CONFIRM, create["value"], message=preview)
    await last_response(stack, "U0MARIA", before)
    task = _task_titled(stack, "Ship it")
    website = project_named(stack, "Website")
    assert task is not None and website is not None
    assert task.project_id == website.project_id and task.owner_ids == [6]


async def test_long_list_pages(stack: Stack) -> None:
    for number in range(12):
        stack.sandbox.astravue.create_task(MARIA, f"Chore {number:02d}", owners=[MARIA])
    await connect(stack, "U0MARIA")
    first = await run(stack, "task list personal")
    assert "page 1 of 2" in text_of(first)
    following = buttons(first)[Action.TASK_PAGE]
    before = len(stack.sandbox.slack.responses)
    await stack.user("U0MARIA").click(Action.TASK_PAGE, following["value"], message=first)
    second = await last_response(stack, "U0MARIA", before)
    assert "page 2 of 2" in text_of(second)
    shown = {line for line in text_of(first).split("\n") if "Chore" in line}
    assert not shown & {line for line in text_of(second).split("\n") if "Chore" in line}
    assert Action.TASK_PAGE in buttons(second)  # Previous


async def test_space_select_suggests_the_users_spaces(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    await stack.user("U0MARIA").command("task")
    form = await modal_with(stack, "U0MARIA", Callback.TASK_CREATE)
    everything = await stack.user("U0MARIA").suggest(Action.SELECT_SPACE, "", view=form)
    labels = [o["text"]["text"] for o in everything.json()["options"]]
    assert sorted(labels) == ["Engineering", "Marketing"]  # not Other Co's Operations
    some = await stack.user("U0MARIA").suggest(Action.SELECT_SPACE, "mark", view=form)
    assert [o["text"]["text"] for o in some.json()["options"]] == ["Marketing"]
