"""Updates keep what the user did not change, whether Astravue's PUT patches or replaces.

Each test runs twice: against the sandbox's default PUT (patch the fields given) and with
`put_replaces` (a field missing from the body is cleared or reset), through signed Slack
requests into the real app.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.sandbox.astravue_state import Project, Space, Task
from bot.sandbox.stack import Stack
from bot.ui.ids import Action, Callback
from tests.scenario.conftest import buttons, connect, eventually, text_of
from tests.scenario.test_spaces import modal_with, told
from tests.scenario.test_tasks import _task_titled
from tests.scenario.test_timers import MADRID, entries_of, new_modal, run, task_ref

MARIA, DEV = 1, 2


@pytest.fixture(params=[False, True], ids=["put-patches", "put-replaces"])
def put_replaces(request: pytest.FixtureRequest, stack: Stack) -> bool:
    stack.sandbox.astravue.put_replaces = request.param
    return bool(request.param)


def as_slack_sends(view: dict[str, Any], changed: dict[str, Any]) -> dict[str, Any]:
    """A modal's state as Slack submits it: every input with its current value (the initial
    one unless the user changed it), then the user's changes by block id."""
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        element = block.get("element")
        if block.get("type") != "input" or not element:
            continue
        kind = element["type"]
        state: dict[str, Any] = {"type": kind}
        if kind in ("plain_text_input", "number_input"):
            state["value"] = element.get("initial_value") or None
        elif kind == "datepicker":
            state["selected_date"] = element.get("initial_date")
        elif kind == "timepicker":
            state["selected_time"] = element.get("initial_time")
        elif kind in ("static_select", "external_select", "radio_buttons"):
            state["selected_option"] = element.get("initial_option")
        elif kind == "multi_users_select":
            state["selected_users"] = element.get("initial_users") or []
        values[block["block_id"]] = {element["action_id"]: state}
    for block_id, value in changed.items():
        action_id = next(iter(values[block_id]))
        values[block_id] = {action_id: {**values[block_id][action_id], **value}}
    return values


@dataclass(frozen=True)
class TaskFields:
    title: str
    description: str
    owners: tuple[int, ...]
    tags: tuple[str, ...]
    start: datetime | None
    due: datetime | None
    priority: str
    status: str
    completion: int


def fields_of(stack: Stack, task: Task) -> TaskFields:
    state = stack.sandbox.astravue
    return TaskFields(
        task.title,
        task.description,
        tuple(task.owner_ids),
        tuple(task.tags),
        task.start_date,
        task.due_date,
        state.priority_of(task).label,
        state.status_of(task).name,
        task.completion,
    )


def rich_task(stack: Stack, title: str) -> Task:
    """A seeded task given a value in every field, so any loss shows."""
    task = _task_titled(stack, title)
    assert task is not None
    stack.sandbox.astravue.update_task(
        MARIA,
        task.task_id,
        description="Keep this description",
        tags=["keep", "these"],
        priority="High",
        owners=[MARIA],
        completion=40,
        start_date=task.due_date.replace(day=1) if task.due_date else None,
    )
    return task


@pytest.mark.parametrize(
    "title", ["Renew passport", "Update pricing page copy"], ids=["personal", "project"]
)
async def test_due_assign_and_done_change_only_their_field(
    stack: Stack, put_replaces: bool, title: str
) -> None:
    await connect(stack, "U0DEV")  # so that Slack's @dev maps to Dev's Astravue account
    await connect(stack, "U0MARIA")
    task = rich_task(stack, title)
    before = fields_of(stack, task)

    await run(stack, f"task due {task.task_id} 2030-06-28")
    assert task.due_date is not None and task.due_date.year == 2030
    after_due = fields_of(stack, task)
    assert after_due == TaskFields(*astuple(before)[:5], after_due.due, *astuple(before)[6:])

    await run(stack, f"task assign {task.task_id} <@U0DEV|dev>")
    after_assign = fields_of(stack, task)
    assert after_assign.owners == (DEV,)
    assert after_assign == TaskFields(*astuple(after_due)[:2], (DEV,), *astuple(after_due)[3:])

    await run(stack, f"task done {task.task_id}")
    done = fields_of(stack, task)
    assert (done.status, done.completion) == ("Done", 100)
    assert astuple(done)[:7] == astuple(after_assign)[:7]  # all but status and completion


@pytest.mark.parametrize(
    "title", ["Renew passport", "Update pricing page copy"], ids=["personal", "project"]
)
async def test_task_edit_changes_what_the_form_changed_and_can_clear(
    stack: Stack, put_replaces: bool, title: str
) -> None:
    await connect(stack, "U0MARIA")
    task = rich_task(stack, title)
    before = fields_of(stack, task)
    maria = stack.user("U0MARIA")

    await maria.command(f"task edit {task.task_id}")
    form = await modal_with(stack, "U0MARIA", Callback.TASK_EDIT)
    await maria.submit(form, as_slack_sends(form, {"title": {"value": "Renamed"}}))
    await told(stack, "U0MARIA", "Saved")
    assert fields_of(stack, task) == TaskFields("Renamed", *astuple(before)[1:])

    stack.sandbox.slack.close_views("U0MARIA")
    await maria.command(f"task edit {task.task_id}")
    form = await modal_with(stack, "U0MARIA", Callback.TASK_EDIT)
    await maria.submit(
        form, as_slack_sends(form, {"description": {"value": None}, "due": {"selected_date": None}})
    )
    await eventually(lambda: task.description == "")
    cleared = fields_of(stack, task)
    assert (cleared.description, cleared.due) == ("", None)  # cleared on purpose
    assert cleared == TaskFields("Renamed", "", *astuple(before)[2:5], None, *astuple(before)[6:])


def project_named(stack: Stack, name: str) -> Project:
    return next(p for p in stack.sandbox.astravue.projects.values() if p.name == name)


def space_named(stack: Stack, name: str) -> Space:
    return next(s for s in stack.sandbox.astravue.spaces.values() if s.name == name)


async def test_project_and_space_edits_keep_the_other_fields(
    stack: Stack, put_replaces: bool
) -> None:
    await connect(stack, "U0MARIA")
    maria = stack.user("U0MARIA")
    launch = project_named(stack, "Launch")
    stack.sandbox.astravue.update_project(
        MARIA,
        launch.space_id,
        launch.project_id,
        "Launch",
        status="On Hold",
        budget=1234.0,
        start_date=datetime.fromisoformat("2030-01-06T09:00:00+00:00"),
        end_date=datetime.fromisoformat("2030-02-06T21:00:00+00:00"),
    )
    kept = (
        launch.description,
        launch.status,
        launch.priority,
        launch.health,
        launch.start_date,
        launch.budget,
    )

    card = await run(stack, "project show #launch")
    edit = buttons(card)[Action.PROJECT_EDIT]
    await maria.click(Action.PROJECT_EDIT, edit["value"], message=card)
    form = await modal_with(stack, "U0MARIA", Callback.PROJECT_FORM)
    await maria.submit(form, as_slack_sends(form, {"name": {"value": "Launch 2"}}))
    await told(stack, "U0MARIA", "saved")
    assert launch.name == "Launch 2"
    assert (
        launch.description,
        launch.status,
        launch.priority,
        launch.health,
        launch.start_date,
        launch.budget,
    ) == kept
    assert launch.end_date is not None and launch.end_date.date().isoformat() == "2030-02-06"

    marketing = space_named(stack, "Marketing")
    await maria.command("space edit marketing")
    form = await modal_with(stack, "U0MARIA", Callback.SPACE_FORM)
    await maria.submit(form, as_slack_sends(form, {"name": {"value": "Marketing team"}}))
    await told(stack, "U0MARIA", "Marketing team")
    assert (marketing.name, marketing.description, marketing.color) == (
        "Marketing team",
        "Campaigns and launches",
        "#E91E63",
    )


async def test_time_entry_edit_keeps_times_and_can_clear_the_note(
    stack: Stack, put_replaces: bool
) -> None:
    await connect(stack, "U0MARIA")
    passport = task_ref(stack, "Renew passport")
    await run(stack, f"log 08:00-09:00 {passport.task_id}")
    entry = entries_of(stack, passport)[0]
    stack.sandbox.astravue.update_time_entry(
        MARIA, entry.entry_id, billable=True, notes="Call the consulate"
    )
    start, end = entry.start, entry.end

    listing = await run(stack, "time today")
    opened = len(stack.sandbox.slack.calls_to("views.open"))
    await stack.user("U0MARIA").click(
        Action.TIME_ENTRY_MENU,
        message=listing,
        channel_id="C0GENERAL",
        selected_option={"value": f"edit|{entry.entry_id}"},
        action_type="overflow",
    )
    await eventually(lambda: stack.sandbox.slack.calls_to("views.update"))
    modal = await new_modal(stack, opened)
    await stack.user("U0MARIA").submit(modal, as_slack_sends(modal, {"note": {"value": None}}))
    await eventually(lambda: entry.notes is None)
    assert (entry.start, entry.end, entry.billable) == (start, end, True)


async def test_a_refused_write_says_which_field_and_why_and_changes_nothing(
    stack: Stack, put_replaces: bool
) -> None:
    await connect(stack, "U0MARIA")
    task = rich_task(stack, "Update pricing page copy")
    before = fields_of(stack, task)
    assert task.start_date is not None
    too_early = task.start_date.astimezone(MADRID).date() - timedelta(days=2)

    reply = text_of(await run(stack, f"task due {task.task_id} {too_early.isoformat()}"))
    assert "Astravue rejected that: due date: must not be before start date" in reply
    assert "Nothing was changed" in reply
    assert fields_of(stack, task) == before
