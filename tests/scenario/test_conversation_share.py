"""Issue 19 point 7: `--share` posts results only, as a compact card without controls that
act for the sharer; a draft is never shared, the task created from it is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.sandbox.seed import MARIA
from bot.sandbox.stack import Stack
from bot.ui.ids import Action, Callback
from bot.ui.shared import NAVIGATION
from tests.scenario.conftest import buttons, connect, eventually, last_response, text_of
from tests.scenario.test_safe_writes import as_slack_sends
from tests.scenario.test_spaces import modal_with
from tests.scenario.test_tasks import _task_titled

CHANNEL = "C0GENERAL"


def _acting_controls(payload: dict[str, Any]) -> list[str]:
    """Controls of a message other than links and page turns."""
    return [
        action_id
        for action_id, element in buttons(payload).items()
        if not element.get("url") and action_id not in NAVIGATION
    ]


async def _in_channel(stack: Stack, words: str) -> dict[str, Any]:
    found = await eventually(
        lambda: [
            m.as_slack()
            for m in stack.sandbox.slack.messages_in(CHANNEL)
            if words in text_of(m.as_slack())
        ]
    )
    return found[-1]  # type: ignore[no-any-return]


async def test_a_shared_agenda_carries_no_controls(stack: Stack) -> None:
    for n in range(6):
        due = datetime.now(UTC) + timedelta(days=n - 2)  # overdue, today and upcoming
        stack.sandbox.astravue.create_task(MARIA, f"Agenda chore {n}", owners=[MARIA], due_date=due)
    await connect(stack, "U0MARIA")
    maria = stack.user("U0MARIA")

    before = len(stack.sandbox.slack.responses)
    await maria.command("my", channel_id=CHANNEL)
    private = await last_response(stack, "U0MARIA", before)
    assert _acting_controls(private)  # her own agenda keeps its buttons

    await maria.command("my --share", channel_id=CHANNEL)
    shared = await _in_channel(stack, "Agenda chore")
    assert _acting_controls(shared) == []
    assert "Shared by <@U0MARIA>" in text_of(shared)
    assert len(shared["blocks"]) <= len(private["blocks"]) + 1


async def test_a_shared_draft_stays_private_and_the_created_task_is_shared(
    stack: Stack,
) -> None:
    await connect(stack, "U0MARIA")
    maria = stack.user("U0MARIA")
    before = len(stack.sandbox.slack.responses)
    await maria.command("task new Publish release notes fri --share", channel_id=CHANNEL)
    preview = await last_response(stack, "U0MARIA", before)
    posted = stack.sandbox.slack.responses[before:]
    assert [p.outcome for p in posted] == ["ephemeral"]  # the draft is not in the channel
    assert Action.TASK_CREATE_CONFIRM in buttons(preview)
    assert "goes to the channel" in text_of(preview)
    assert not [
        m for m in stack.sandbox.slack.messages_in(CHANNEL) if "Publish release notes" in m.text
    ]

    create = buttons(preview)[Action.TASK_CREATE_CONFIRM]
    await maria.click(Action.TASK_CREATE_CONFIRM, create["value"], message=preview)
    shared = await _in_channel(stack, "Publish release notes")
    assert _acting_controls(shared) == []
    assert "Shared by <@U0MARIA>" in text_of(shared)
    assert _task_titled(stack, "Publish release notes") is not None
    mine = await eventually(
        lambda: [
            p
            for p in stack.sandbox.slack.responses[before:]
            if p.outcome != "in_channel" and "Created" in text_of(p.payload)
        ]
    )
    assert "Created" in text_of(mine[-1].payload)  # her own copy keeps its controls
    assert _acting_controls(mine[-1].payload)


async def test_a_shared_draft_edited_in_the_form_shares_the_created_task(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    maria = stack.user("U0MARIA")
    before = len(stack.sandbox.slack.responses)
    await maria.command("task new Draft the roadmap --share", channel_id=CHANNEL)
    preview = await last_response(stack, "U0MARIA", before)
    edit = buttons(preview)[Action.TASK_CREATE_EDIT]
    await maria.click(Action.TASK_CREATE_EDIT, edit["value"], message=preview)
    form = await modal_with(stack, "U0MARIA", Callback.TASK_CREATE)
    assert not [m for m in stack.sandbox.slack.messages_in(CHANNEL) if "roadmap" in m.text]

    await maria.submit(form, as_slack_sends(form, {"title": {"value": "Draft the Q3 roadmap"}}))
    shared = await _in_channel(stack, "Draft the Q3 roadmap")
    assert _acting_controls(shared) == [] and "Shared by <@U0MARIA>" in text_of(shared)
    assert _task_titled(stack, "Draft the Q3 roadmap") is not None
