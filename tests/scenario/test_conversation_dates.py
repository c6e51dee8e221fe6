"""Issue 19 points 15 and 16, through the real app: typed dates in the order of each user's
Slack locale, the timer reminder in words (test_notifications), and the create form and
quick-capture preview telling the truth (defaults, unused words, a past due date, the
project field)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.sandbox.stack import Stack
from bot.ui.ids import Action, Callback
from bot.ui.task_forms import NO_PROJECT
from tests.scenario.conftest import buttons, drain_lazy_work, eventually, last_response, text_of
from tests.scenario.test_conversation import _connect_in_acme, _field
from tests.scenario.test_spaces import modal_with
from tests.scenario.test_tasks import _task_titled
from tests.scenario.test_timers import entries_of, run, task_ref


async def _preview(stack: Stack, user: str, line: str) -> dict[str, Any]:
    before = len(stack.sandbox.slack.responses)
    await stack.user(user).command(f"task new {line}")
    return await last_response(stack, user, before)


async def test_typed_dates_follow_each_users_slack_locale(stack: Stack) -> None:
    slack = stack.sandbox.slack
    slack.users["U0MARIA"].locale = "en-GB"
    slack.users["U0DEV"].locale = "en-US"
    for user in ("U0MARIA", "U0DEV"):
        await _connect_in_acme(stack, user)

    british = _field(await _preview(stack, "U0MARIA", "Pay invoice 31/12"), "Due")
    american = _field(await _preview(stack, "U0DEV", "Pay invoice 12/31"), "Due")
    assert " 31 Dec" in british and " 31 Dec" in american
    # an ambiguous date follows the locale: 4 May for Maria, 5 April for Dev
    assert " 4 May" in _field(await _preview(stack, "U0MARIA", "Plan 04/05"), "Due")
    assert " 5 Apr" in _field(await _preview(stack, "U0DEV", "Plan 04/05"), "Due")

    # `log` reads a typed day in the same order: a recent day that reads two ways ("2/12"),
    # written the British way
    offline = task_ref(stack, "Offline mode for task list")
    madrid = ZoneInfo("Europe/Madrid")
    day = datetime.now(madrid).date() - timedelta(days=1)
    while day.day > 12 or day.day == day.month:
        day -= timedelta(days=1)
    before = len(entries_of(stack, offline))
    answer = await run(stack, f"log 30m {offline.task_id} on {day.day}/{day.month} notes")
    assert "Logged" in text_of(answer), text_of(answer)
    entry = entries_of(stack, offline)[before]
    assert entry.start.astimezone(madrid).date() == day


async def test_the_preview_shows_real_defaults_and_notes_unused_words_and_a_past_due_date(
    stack: Stack,
) -> None:
    await _connect_in_acme(stack, "U0MARIA")
    preview = await _preview(stack, "U0MARIA", "Fix login #Nowhere @zed p2 today p1 fri")
    said = text_of(preview)
    notes = [line for line in said.split("\n") if "Not used" in line]
    assert len(notes) == 1, said  # one note for every unused word
    for word in ("`#Nowhere`", "`@zed`", "`p2`", "`today`"):
        assert word in notes[0], notes[0]
    assert _field(preview, "Priority") == "Critical"
    assert "in the past" not in said

    preview = await _preview(stack, "U0MARIA", "Old report 2020-01-06")
    assert "The due date, Mon 6 Jan 2020, is in the past." in text_of(preview)
    assert _field(preview, "Priority") == "Medium" and _field(preview, "Status") == "To Do"
    create = buttons(preview)[Action.TASK_CREATE_CONFIRM]
    await stack.user("U0MARIA").click(Action.TASK_CREATE_CONFIRM, create["value"], message=preview)
    task = await eventually(lambda: _task_titled(stack, "Old report"))
    astravue = stack.sandbox.astravue
    assert astravue.priority_of(task).label == "Medium"  # what the preview said
    assert astravue.status_of(task).name == "To Do"


async def test_the_form_project_field_and_statuses(stack: Stack) -> None:
    await _connect_in_acme(stack, "U0MARIA")
    maria = stack.user("U0MARIA")
    await maria.command("task", channel_id="C0GENERAL")
    form = await modal_with(stack, "U0MARIA", Callback.TASK_CREATE)
    project = _block(form, "project")
    assert "initial_option" not in project["element"]
    assert project["hint"]["text"].startswith("Leave empty for a personal task.")
    assert _status_options(form) == ["To Do", "In Progress", "In Review", "Done"]

    options = (await maria.suggest(Action.SELECT_PROJECT, "mob", view=form)).json()["options"]
    await maria.submit(form, _filled("Tablet layout", options[0]))
    await eventually(lambda: _task_titled(stack, "Tablet layout"))
    await drain_lazy_work(stack)  # the channel's project is remembered after the create

    # The channel's project is pre-selected now: the hint names the way to a personal task.
    await maria.command("task", channel_id="C0GENERAL")
    form = await modal_with(stack, "U0MARIA", Callback.TASK_CREATE)
    project = _block(form, "project")
    assert project["element"]["initial_option"]["text"]["text"].endswith("Mobile App")
    assert "Leave empty" not in project["hint"]["text"] and NO_PROJECT[0] in project["hint"]["text"]
    options = (await maria.suggest(Action.SELECT_PROJECT, "", view=form)).json()["options"]
    assert options[0]["value"] == NO_PROJECT[1]
    await maria.submit(form, _filled("Personal errand", options[0]))
    errand = await eventually(lambda: _task_titled(stack, "Personal errand"))
    assert errand.project_id is None


def _block(form: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b for b in form["blocks"] if b.get("block_id") == block_id)


def _status_options(form: dict[str, Any]) -> list[str]:
    return [o["value"] for o in _block(form, "status")["element"]["options"]]


def _filled(title: str, project: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": {"value": {"type": "plain_text_input", "value": title}},
        "project": {Action.SELECT_PROJECT: {"type": "external_select", "selected_option": project}},
    }
