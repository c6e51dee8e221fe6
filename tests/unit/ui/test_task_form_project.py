"""Issue 19 point 16: the form's project field says what leaving it does, and when a project
is pre-selected (which Slack cannot empty) names the option for a personal task."""

from __future__ import annotations

from typing import Any

from bot.domain.tasks import TaskDraft
from bot.ui.task_forms import NO_PROJECT, PROJECT, task_form


def _project_block(project: tuple[str, str] | None) -> dict[str, Any]:
    form = task_form(
        TaskDraft(title="x"),
        metadata="{}",
        statuses=["To Do", "Done"],
        space=("Engineering", "1") if project else None,
        project=project,
    )
    return next(b for b in form["blocks"] if b.get("block_id") == PROJECT)


def test_no_pre_selection_says_leave_empty() -> None:
    block = _project_block(None)
    assert "initial_option" not in block["element"]
    assert block["hint"]["text"].startswith("Leave empty for a personal task.")


def test_a_pre_selected_project_names_the_personal_option_instead() -> None:
    block = _project_block(("Engineering / Mobile App", "1:2"))
    assert block["element"]["initial_option"]["value"] == "1:2"
    assert "Leave empty" not in block["hint"]["text"]
    assert NO_PROJECT[0] in block["hint"]["text"]
