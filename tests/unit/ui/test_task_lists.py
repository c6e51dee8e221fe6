"""Lists weigh one control per task: a menu on each row, a button only to see more."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.astravue.models import TaskDto
from bot.domain.task_lists import ListSource
from bot.sandbox.blockkit import validate_message, validate_view
from bot.ui import task_lists
from bot.ui.components import divider, header
from bot.ui.ids import Action
from bot.ui.shared import controls

APP = "https://app.astravue.test"


def _tasks(count: int) -> list[TaskDto]:
    due = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    return [
        TaskDto.model_validate(
            {"taskId": i, "taskTitle": f"Task {i}", "dueDate": due, "status": "To Do"}
        )
        for i in range(count)
    ]


@pytest.mark.parametrize("count", [6, 12, 40])
def test_the_agenda_has_one_menu_per_task_and_one_more_button_per_long_group(count: int) -> None:
    tasks = _tasks(count)
    third = count // 3
    groups = {
        "overdue": tasks[:third],
        "today": tasks[third : 2 * third],
        "upcoming": tasks[2 * third :],
    }
    agenda = task_lists.agenda_message(groups, app_url=APP, source=ListSource("my"))
    assert validate_message(agenda) == []
    shown = sum(min(len(g), task_lists.AGENDA_PER_SECTION) for g in groups.values())
    more = sum(len(g) > task_lists.AGENDA_PER_SECTION for g in groups.values())
    assert controls(agenda) == shown + more <= count + 3


def test_a_page_of_a_list_has_one_menu_per_row_and_paging_buttons() -> None:
    listing = task_lists.task_list_message(
        _tasks(25), app_url=APP, title="Yours", source=ListSource("list", page=1)
    )
    assert controls(listing) == task_lists.PAGE_SIZE + 2  # …and 5 more, Previous
    assert "…and 5 more" in str(listing) and validate_message(listing) == []


def test_empty_groups_are_left_out() -> None:
    agenda = task_lists.agenda_blocks({"today": _tasks(1)}, app_url=APP, source=ListSource("my"))
    text = str(agenda)
    assert "Due today" in text and "Overdue" not in text and "Upcoming" not in text
    nothing = task_lists.agenda_blocks({}, app_url=APP, source=ListSource("my"))
    assert "Nothing due" in str(nothing)


def test_the_home_keeps_other_sections_when_its_tasks_are_redrawn() -> None:
    tasks = task_lists.home_tasks({"today": _tasks(2)}, app_url=APP, source=ListSource("my"))
    home = [header("Timer"), divider(), *tasks, divider(), header("Notifications")]
    redrawn = task_lists.home_with_tasks(home, tasks[:1])
    assert redrawn is not None and validate_view(redrawn) == []
    assert redrawn["blocks"] == [
        header("Timer"),
        divider(),
        tasks[0],
        divider(),
        header("Notifications"),
    ]
    assert task_lists.home_with_tasks([header("Timer")], tasks) is None


def test_a_done_task_offers_no_complete() -> None:
    done = TaskDto.model_validate(
        {"taskId": 1, "taskTitle": "x", "status": {"statusName": "Done", "statusCategory": "done"}}
    )
    row = task_lists.task_row(done, app_url=APP, block_id="r")
    labels = [o["text"]["text"] for o in row[0]["accessory"]["options"]]
    assert labels == ["Edit", "Delete…"] and row[0]["accessory"]["action_id"] == Action.TASK_ROW
