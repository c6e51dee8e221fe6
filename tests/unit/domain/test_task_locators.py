"""How a typed task is located: a bare id (resolved later), or one of the app's task URLs."""

from __future__ import annotations

import pytest

from bot.domain.tasks import TaskRef, parse_task_locator, task_url

APP = "https://app.astravue.test"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", 42),
        ("#42", 42),
        ("  #7 ", 7),
        (f"{APP}/tasks/42", TaskRef(42)),
        (f"{APP}/tasks/42/", TaskRef(42)),
        (f"{APP}/tasks/42?tab=comments", TaskRef(42)),
        (f"{APP}/spaces/3/projects/9/tasks/42", TaskRef(42, 3, 9)),
        (f"<{APP}/spaces/3/projects/9/tasks/42|Ship it>", TaskRef(42, 3, 9)),  # as Slack sends
        (f"<{APP}/tasks/42>", TaskRef(42)),
    ],
)
def test_ids_and_task_urls_locate_a_task(text: str, expected: TaskRef | int) -> None:
    assert parse_task_locator(text, APP) == expected


@pytest.mark.parametrize(
    "text",
    [
        "ship the website",
        "https://elsewhere.test/tasks/42",  # another host
        f"{APP}/projects/9/tasks/42",  # a project without its space
        f"{APP}/tasks/forty-two",
        f"{APP}/tasks/42/comments",
        "",
    ],
)
def test_anything_else_is_not_a_locator(text: str) -> None:
    assert parse_task_locator(text, APP) is None


def test_the_apps_own_links_read_back_as_the_same_task() -> None:
    for ref in (TaskRef(5), TaskRef(6, 10, 20)):
        assert parse_task_locator(task_url(APP + "/", ref), APP) == ref
