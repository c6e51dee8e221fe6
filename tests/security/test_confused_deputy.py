"""S6: ids of user A put in a button value or private_metadata, in a request signed as coming
from user B, act as B (B's token, B's data) and never touch A's."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot.db.models import AstravueLink, LinkStatus
from bot.domain.tasks import TaskRef
from bot.sandbox.seed import MARIA
from bot.sandbox.slack_requests import view_submission
from bot.sandbox.stack import Stack
from bot.ui import account as account_ui
from bot.ui.ids import Action
from tests.scenario import conftest as scenario
from tests.scenario.conftest import connect, eventually, last_response, text_of

# The scenario fixtures: a running stack, and the DEBUG log check for secrets.
stack = scenario.stack
no_secret_in_debug_logs = scenario.no_secret_in_debug_logs


async def _links(stack: Stack) -> dict[str, AstravueLink]:
    async with stack.runtime.sessions() as session:
        return {
            link.slack_user_id: link for link in (await session.scalars(select(AstravueLink))).all()
        }


def _card(action_id: str, value: str) -> dict[str, Any]:
    """A message with one button, as if the app had posted it."""
    return {
        "ts": "1700000000.000100",
        "text": "card",
        "blocks": [
            {
                "type": "actions",
                "block_id": "card",
                "elements": [
                    {
                        "type": "button",
                        "action_id": action_id,
                        "value": value,
                        "text": {"type": "plain_text", "text": "Go"},
                    }
                ],
            }
        ],
    }


async def test_disconnect_clicked_by_b_with_a_in_the_value_disconnects_b(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    await connect(stack, "U0DEV")
    link_a = (await _links(stack))["U0MARIA"]
    forged = json.dumps({"user": "U0MARIA", "team": "T0ACME", "link_id": link_a.id})
    before = len(stack.sandbox.slack.responses)
    await stack.user("U0DEV").click(
        Action.DISCONNECT_CONFIRM,
        forged,
        message=_card(Action.DISCONNECT_CONFIRM, forged),
        channel_id="C0GENERAL",
    )
    assert "Disconnected" in text_of(await last_response(stack, "U0DEV", before))
    links = await _links(stack)
    assert links["U0DEV"].status == LinkStatus.DISCONNECTED
    assert links["U0MARIA"].status == LinkStatus.ACTIVE
    assert links["U0MARIA"].refresh_token_ct == link_a.refresh_token_ct


async def test_org_modal_submitted_by_b_with_a_in_metadata_sets_b_only(stack: Stack) -> None:
    await connect(stack, "U0SAM")  # no organisation claim: org_id stays unset until he sets it
    await connect(stack, "U0DEV")
    sam = (await _links(stack))["U0SAM"]
    assert sam.org_id is None
    view = {
        **account_ui.org_modal(None),
        "id": "V0FORGED",
        "team_id": "T0ACME",
        "private_metadata": json.dumps({"user": "U0SAM", "link_id": sam.id}),
    }
    values = {account_ui.ORG_BLOCK: {account_ui.ORG_INPUT: {"type": "number_input", "value": "1"}}}
    response = await stack.user("U0DEV").post(
        view_submission(
            view, values, user_id="U0DEV", trigger_id=stack.sandbox.slack.new_trigger_id("U0DEV")
        )
    )
    assert response.status_code == 200
    await eventually(
        lambda: (
            any(
                "organisation *Acme* (1)" in m.text
                for m in stack.sandbox.slack.dm_messages("U0DEV")
            )
            or any(
                "organisation *Acme* (1)" in m.text
                for m in stack.sandbox.slack.ephemerals_for("U0DEV")
            )
        )
    )
    links = await _links(stack)
    assert links["U0DEV"].org_id == 1
    assert links["U0SAM"].org_id is None


def _marias_personal_task(stack: Stack) -> TaskRef:
    task = next(
        t
        for t in stack.sandbox.astravue.tasks.values()
        if t.is_personal and t.owner_ids == [MARIA] and t.parent_id is None
    )
    return TaskRef(task.task_id)


async def _click_as_dev(stack: Stack, action_id: str, ref: TaskRef) -> str:
    before = len(stack.sandbox.slack.responses)
    await stack.user("U0DEV").click(
        action_id, ref.encode(), message=_card(action_id, ref.encode()), channel_id="C0GENERAL"
    )
    return text_of(await last_response(stack, "U0DEV", before))


async def test_task_buttons_with_a_task_only_a_can_see_act_as_b(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    await connect(stack, "U0DEV")
    ref = _marias_personal_task(stack)
    task = stack.sandbox.astravue.tasks[ref.task_id]
    status_before, updated_before = task.status_id, task.updated_at
    requests_before = len(stack.sandbox.astravue.requests)

    complete_reply = await _click_as_dev(stack, Action.TASK_COMPLETE, ref)
    timer_reply = await _click_as_dev(stack, Action.TIMER_START, ref)

    for reply in (complete_reply, timer_reply):
        assert "can't see it" in reply or "doesn't allow" in reply, reply
    task = stack.sandbox.astravue.tasks[ref.task_id]
    assert (task.status_id, task.updated_at) == (status_before, updated_before)
    assert stack.sandbox.astravue.running_timer(MARIA) is None
    assert stack.sandbox.astravue.running_timer(2) is None  # Dev's: nothing was started
    # Astravue was asked (with Dev's token: as Maria the same calls would have succeeded).
    assert len(stack.sandbox.astravue.requests) > requests_before
