"""The global shortcut "Create Astravue task" (issue 16): the same form as `/astravue task`."""

from __future__ import annotations

from bot.sandbox.slack_requests.in_channel import press_global_shortcut
from bot.sandbox.stack import Stack
from bot.ui.ids import Callback
from tests.scenario.conftest import connect, eventually, text_of
from tests.scenario.test_spaces import modal_with
from tests.scenario.test_tasks import _task_titled


async def test_the_shortcut_opens_the_create_form_and_the_result_comes_as_a_dm(
    stack: Stack,
) -> None:
    await connect(stack, "U0MARIA")
    maria = stack.user("U0MARIA")
    response = await press_global_shortcut(maria, Callback.GLOBAL_TASK)
    assert response.status_code == 200
    form = await modal_with(stack, "U0MARIA", Callback.TASK_CREATE)
    await maria.command("task")  # the form /astravue task opens, for comparison
    command_form = await eventually(
        lambda: [
            v
            for v in stack.sandbox.slack.open_views("U0MARIA")
            if v["callback_id"] == Callback.TASK_CREATE and v["id"] != form["id"]
        ]
    )
    assert [b.get("block_id") for b in form["blocks"]] == [
        b.get("block_id") for b in command_form[-1]["blocks"]
    ]

    await maria.submit(
        form, {"title": {"value": {"type": "plain_text_input", "value": "Order new badges"}}}
    )
    task = await eventually(lambda: _task_titled(stack, "Order new badges"))
    assert task.owner_ids == [1] and task.project_id is None  # Maria's, personal
    dm = await eventually(
        lambda: [
            m
            for m in stack.sandbox.slack.dm_messages("U0MARIA")
            if "Order new badges" in text_of(m.as_slack())
        ]
    )
    assert "Created" in text_of(dm[-1].as_slack())


async def test_an_unlinked_user_gets_the_connect_prompt_not_a_form(stack: Stack) -> None:
    response = await press_global_shortcut(stack.user("U0SAM"), Callback.GLOBAL_TASK)
    assert response.status_code == 200
    dm = await eventually(lambda: stack.sandbox.slack.dm_messages("U0SAM"))
    assert "Connect" in text_of(dm[-1].as_slack())
    assert stack.sandbox.slack.open_views("U0SAM") == []
