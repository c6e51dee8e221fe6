"""Talk to the bot (issue 16): a DM to the app is read as an `/astravue` command and answered
in that DM."""

from __future__ import annotations

from bot.sandbox.slack_requests.in_channel import im_message
from bot.sandbox.stack import Stack
from bot.ui.ids import Action
from tests.scenario.conftest import buttons, connect, eventually, text_of
from tests.scenario.test_tasks import _task_titled
from tests.scenario.test_unfurls import settled


async def say(stack: Stack, user: str, text: str) -> str:
    """`user` writes `text` to the bot; the bot's next message in that DM, as text."""
    fake = stack.sandbox.slack
    before = len(fake.dm_messages(user))
    response = await stack.user(user).event(im_message(user, text))
    assert response.status_code == 200
    posted = await eventually(lambda: fake.dm_messages(user)[before:])
    return text_of(posted[-1].as_slack())


async def test_help_unknown_words_and_forms_are_answered_in_the_dm(stack: Stack) -> None:
    help_text = await say(stack, "U0SAM", "help")
    assert "task new" in help_text and "timer" in help_text and "In channels" in help_text
    assert "tasks" in (await say(stack, "U0SAM", "<@U0BOT> help tasks")).lower()
    unknown = await say(stack, "U0SAM", "frobnicate the widgets")
    assert "I don't know `frobnicate`" in unknown
    assert "Connect" in await say(stack, "U0SAM", "task new Fix login fri")  # not linked yet
    await connect(stack, "U0SAM")
    assert "/astravue task" in await say(stack, "U0SAM", "task")  # forms need a slash command
    # every answer was posted in the DM the command came from, none ephemerally
    posts = [c.args["channel"] for c in stack.sandbox.slack.calls_to("chat.postMessage")]
    assert posts and set(posts) == {"D0SAM"}
    assert [e for e in stack.sandbox.slack.ephemerals_for("U0SAM") if e.via != "response_url"] == []


async def test_a_task_is_created_from_a_dm_and_timer_answers(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    preview = await say(stack, "U0MARIA", "task new Fix login flow #Website fri")
    assert "Fix login flow" in preview and "Website" in preview
    fake = stack.sandbox.slack
    message = fake.dm_messages("U0MARIA")[-1]
    create = buttons(message.as_slack())[Action.TASK_CREATE_CONFIRM]
    before = len(fake.responses)
    await stack.user("U0MARIA").click(
        Action.TASK_CREATE_CONFIRM, create["value"], message=message.as_slack()
    )
    task = await eventually(lambda: _task_titled(stack, "Fix login flow"))
    assert task.project_id is not None and task.due_date is not None
    replaced = await eventually(
        lambda: [r for r in fake.responses[before:] if r.outcome == "replaced"]
    )
    assert "Created" in text_of(replaced[-1].payload)
    assert "Created" in text_of(fake.dm_messages("U0MARIA")[-1].as_slack())  # in place
    assert "No timer is running" in await say(stack, "U0MARIA", "timer")
    assert "No timer is running" in await say(stack, "U0MARIA", "/astravue timer status")


async def test_bot_messages_edits_and_subtypes_are_not_commands(stack: Stack) -> None:
    fake = stack.sandbox.slack
    sam = stack.user("U0SAM")
    for event in (
        im_message("U0SAM", "help", from_bot=True),
        im_message("U0SAM", "help", subtype="message_changed"),
        im_message("U0SAM", "help", subtype="bot_message"),
        im_message("U0SAM", "help", edited=True),
        im_message("U0SAM", "   "),
    ):
        assert (await sam.event(event)).status_code == 200
    await settled(stack)
    assert fake.dm_messages("U0SAM") == []
    # the same DM delivered twice (a retry) is answered once
    event = im_message("U0SAM", "help")
    await sam.event(event, event_id="EvDM1")
    await sam.event(event, event_id="EvDM1", retry_num=1)
    await eventually(lambda: fake.dm_messages("U0SAM"))
    await settled(stack)
    assert len(fake.dm_messages("U0SAM")) == 1
