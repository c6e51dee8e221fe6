"""The task form shows a draft's owners: Slack people in the picker, the rest in the hint."""

from __future__ import annotations

from datetime import date

from bot.domain.tasks import TaskDraft
from bot.services.slack_owners import owners_kept
from bot.ui.task_forms import task_form


def _block(view: dict, block_id: str) -> dict:  # type: ignore[type-arg]
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def test_owners_pre_fill_the_picker_and_the_rest_are_named() -> None:
    draft = TaskDraft(
        title="Write tests", owners=[(2, "Dev Patel"), (6, "Olga")], due=date(2026, 12, 4)
    )
    view = task_form(
        draft,
        metadata="{}",
        statuses=[],
        owner_slack_ids=["U0DEV", "U0DEV"],
        owner_names=["Olga"],
    )
    owners = _block(view, "owners")
    assert owners["element"]["initial_users"] == ["U0DEV"]
    assert "Olga" in owners["hint"]["text"] and "kept unless you change" in owners["hint"]["text"]
    assert _block(view, "due")["element"]["initial_date"] == "2026-12-04"


def test_no_owner_no_initial_users() -> None:
    view = task_form(TaskDraft(title="x"), metadata="{}", statuses=[])
    assert "initial_users" not in _block(view, "owners")["element"]


def test_kept_owners_from_metadata_drop_anything_forged() -> None:
    assert owners_kept([[2, "Dev"], [6, "Olga"]]) == [(2, "Dev"), (6, "Olga")]
    assert owners_kept([["2", "Dev"], [3], "x", None]) == []
    assert owners_kept("nope") == []
