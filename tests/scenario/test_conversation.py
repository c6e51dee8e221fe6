"""Issue 19, the conversation: nothing lost between the preview and the form, typos answered
in one line, durations in words, mute undone, help, and dates as calendar dates."""

from __future__ import annotations

from bot.sandbox.stack import Stack
from bot.ui.ids import Action, Callback
from tests.scenario.conftest import buttons, connect, last_response, text_of
from tests.scenario.test_safe_writes import as_slack_sends
from tests.scenario.test_spaces import modal_with, project_named, told
from tests.scenario.test_tasks import _task_titled
from tests.scenario.test_timers import entries_of, run, task_ref

DEV = 2


async def test_edit_in_modal_keeps_every_field_of_the_draft(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    maria = stack.user("U0MARIA")
    before = len(stack.sandbox.slack.responses)
    await maria.command("task new Write tests #Website @dev fri p2 +qa")
    preview = await last_response(stack, "U0MARIA", before)
    assert "Dev Patel" in text_of(preview)
    edit = buttons(preview)[Action.TASK_CREATE_EDIT]
    await maria.click(Action.TASK_CREATE_EDIT, edit["value"], message=preview)
    form = await modal_with(stack, "U0MARIA", Callback.TASK_CREATE)
    fields = {b["block_id"]: b.get("element") or {} for b in form["blocks"]}
    assert fields["owners"]["initial_users"] == ["U0DEV"]
    assert fields["project"]["initial_option"]["text"]["text"].endswith("Website")
    assert fields["priority"]["initial_option"]["value"] == "High"
    assert fields["due"]["initial_date"] and fields["tags"]["initial_value"] == "qa"

    changed = {"title": {"value": "Write more tests"}}
    await maria.submit(form, as_slack_sends(form, changed))
    await told(stack, "U0MARIA", "Created")
    task = _task_titled(stack, "Write more tests")
    website = project_named(stack, "Website")
    assert task is not None and website is not None
    assert task.owner_ids == [DEV]  # not the author
    assert task.project_id == website.project_id and task.tags == ["qa"]
    assert stack.sandbox.astravue.priority_of(task).label == "High"
    assert task.due_date is not None


async def test_owners_the_picker_cannot_show_are_kept_unless_changed(stack: Stack) -> None:
    state = stack.sandbox.astravue
    state.add_user(6, 1, "Olga", "Offline", "olga@elsewhere.test", "Member")
    state.create_task(1, "Intro call", owners=[6])  # so the directory knows Olga
    await connect(stack, "U0MARIA")
    maria = stack.user("U0MARIA")
    before = len(stack.sandbox.slack.responses)
    await maria.command("task new Plan offsite @olga")
    preview = await last_response(stack, "U0MARIA", before)
    await maria.click(
        Action.TASK_CREATE_EDIT, buttons(preview)[Action.TASK_CREATE_EDIT]["value"], message=preview
    )
    form = await modal_with(stack, "U0MARIA", Callback.TASK_CREATE)
    owners = next(b for b in form["blocks"] if b["block_id"] == "owners")
    assert "initial_users" not in owners["element"] and "Olga Offline" in owners["hint"]["text"]
    await maria.submit(form, as_slack_sends(form, {}))
    await told(stack, "U0MARIA", "Created")
    task = _task_titled(stack, "Plan offsite")
    assert task is not None and task.owner_ids == [6]


async def test_a_mistyped_sub_command_answers_in_one_line_and_runs_when_asked(
    stack: Stack,
) -> None:
    await connect(stack, "U0MARIA")
    task = _task_titled(stack, "Update pricing page copy")
    assert task is not None
    maria = stack.user("U0MARIA")
    answer = (await maria.command(f"task shwo {task.task_id}")).json()
    said = text_of(answer)
    assert f"Did you mean `/astravue task show {task.task_id}`?" in said
    assert "New task" not in said and "/astravue task new" not in said  # not a title, no help
    assert len(answer["blocks"]) == 1
    run_it = buttons(answer)[Action.RUN_COMMAND]
    assert run_it["text"]["text"] == "Run it"

    before = len(stack.sandbox.slack.responses)
    await maria.click(Action.RUN_COMMAND, run_it["value"], message=answer)
    card = await last_response(stack, "U0MARIA", before)
    assert "Update pricing page copy" in text_of(card)
    assert Action.TASK_COMPLETE in buttons(card) or Action.TASK_OVERFLOW in buttons(card)

    unknown = (await maria.command("frobnicate the thing")).json()
    assert "I don't know `frobnicate`" in text_of(unknown) and len(unknown["blocks"]) == 1


async def test_durations_in_words_and_failures_that_blame_their_part(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    passport = task_ref(stack, "Renew passport")
    for form, shown in (
        ("90 minutes", "1h 30m"),
        ("2 hours", "2h"),
        ("1 hour 30 minutes", "1h 30m"),
    ):
        reply = text_of(await run(stack, f"log {form} {passport.task_id}"))
        assert f"Logged *{shown}*" in reply, (form, reply)
    assert len(entries_of(stack, passport)) == 3

    duration = text_of(await run(stack, f"log 90 minuets {passport.task_id}"))
    assert "`90 minuets` as a duration" in duration and "Nothing was logged" in duration
    date = text_of(await run(stack, f"log 2 hours {passport.task_id} on 31/13"))
    assert "`31/13` as a date" in date and "duration" not in date
    task = text_of(await run(stack, "log 2 hours Nonexistent chore"))
    assert "No task matches" in task and "Nonexistent chore" in task
    assert len(entries_of(stack, passport)) == 3
