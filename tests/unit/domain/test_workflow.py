"""Issue 19 point 16: statuses in the order of their workflow, not as first seen or A-Z."""

from __future__ import annotations

from bot.domain.workflow import DEFAULT_STATUSES, SeenStatus, workflow_order


def test_statuses_follow_their_category_then_their_id() -> None:
    seen = {
        "Done": SeenStatus("done", 4),
        "Blocked": SeenStatus("in_progress", 7),
        "In Review": SeenStatus("in_progress", 3),
        "To Do": SeenStatus("todo", 1),
        "In Progress": SeenStatus("in_progress", 2),
    }
    assert workflow_order(seen) == ["To Do", "In Progress", "In Review", "Blocked", "Done"]


def test_without_categories_or_ids_the_default_board_decides() -> None:
    seen = {name: SeenStatus("", None) for name in ("Done", "In Review", "To Do", "In Progress")}
    assert workflow_order(seen) == list(DEFAULT_STATUSES)


def test_nothing_seen_gives_the_defaults() -> None:
    assert workflow_order({}) == list(DEFAULT_STATUSES)
