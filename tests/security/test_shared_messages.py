"""Issue 12 item 3: a message shared in a channel (`--share`) is rewritten only by a click of
the person who shared it. Anyone else who clicks is answered on their own: their tasks, or
their connect prompt, never in place of the shared message."""

from __future__ import annotations

import copy

from bot.sandbox.seed import MARIA
from bot.sandbox.slack import Message, ResponsePost
from bot.sandbox.stack import SLACK_USERNAMES, Stack
from bot.ui.ids import Action
from tests.scenario import conftest as scenario
from tests.scenario.conftest import buttons, connect, eventually, text_of

stack = scenario.stack
no_secret_in_debug_logs = scenario.no_secret_in_debug_logs

CHANNEL = "C0GENERAL"


async def _share_marias_list(stack: Stack) -> Message:
    """Maria has more open tasks than a page holds, and shares her list in the channel."""
    for n in range(12):
        stack.sandbox.astravue.create_task(MARIA, f"Maria's private chore {n}", owners=[MARIA])
    await stack.user("U0MARIA").command("task list --share", channel_id=CHANNEL)
    return (
        await eventually(
            lambda: [
                m
                for m in stack.sandbox.slack.messages_in(CHANNEL)
                if "Maria's private chore" in m.text
                or "Maria's private chore" in text_of(m.as_slack())
            ]
        )
    )[-1]


async def _click_next(stack: Stack, user_id: str, shared: Message) -> ResponsePost:
    """`user_id` clicks Next on the shared list; what the app posted back for them."""
    before = len(stack.sandbox.slack.responses)
    value = buttons(shared.as_slack())[Action.TASK_PAGE]["value"]
    await stack.user(user_id).click(Action.TASK_PAGE, value, message=shared.as_slack())
    posts = await eventually(
        lambda: [p for p in stack.sandbox.slack.responses[before:] if p.user == user_id]
    )
    return posts[-1]


async def test_a_click_on_a_shared_list_answers_the_clicker_and_rewrites_nothing(
    stack: Stack,
) -> None:
    await connect(stack, "U0MARIA")
    await connect(stack, "U0DEV")
    shared = await _share_marias_list(stack)
    seen_by_channel = copy.deepcopy(shared.blocks)

    devs = await _click_next(stack, "U0DEV", shared)
    assert devs.outcome == "ephemeral" and "Your tasks" in text_of(devs.payload)
    assert "Maria's private chore" not in text_of(devs.payload)
    assert shared.blocks == seen_by_channel and not shared.edited

    # The author's own click still turns the page of the shared message.
    marias = await _click_next(stack, "U0MARIA", shared)
    assert marias.outcome == "replaced"
    assert shared.blocks != seen_by_channel and "Previous" in text_of(shared.as_slack())


async def test_an_unlinked_click_on_a_shared_list_connects_privately(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    shared = await _share_marias_list(stack)
    seen_by_channel = copy.deepcopy(shared.blocks)
    before = len(stack.sandbox.slack.responses)

    prompt = await _click_next(stack, "U0SAM", shared)
    assert prompt.outcome == "ephemeral"
    page = await stack.follow_connect(
        buttons(prompt.payload)[Action.CONNECT]["url"], SLACK_USERNAMES["U0SAM"]
    )
    assert page.status_code == 200, page.text

    told = await eventually(
        lambda: [m for m in stack.sandbox.slack.dm_messages("U0SAM") if "Connected" in m.text]
    )
    assert told  # Sam hears of it in his DM ...
    assert shared.blocks == seen_by_channel and "Connected" not in text_of(shared.as_slack())
    assert not [
        p
        for p in stack.sandbox.slack.responses[before:]  # ... not in the channel
        if p.user == "U0SAM" and p.outcome == "replaced"
    ]
