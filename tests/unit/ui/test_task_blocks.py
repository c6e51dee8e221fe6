"""Task messages and views stay inside Block Kit limits and never echo unescaped mentions."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.astravue.models import TaskCheckListDto, TaskCommentDto, TaskDto
from bot.domain.task_lists import ListSource
from bot.domain.tasks import TaskDraft, TaskRef, parse_task_locator, task_url
from bot.parsing import parse_capture
from bot.sandbox.blockkit import validate_message, validate_view
from bot.ui import task_forms
from bot.ui.task_lists import task_list_message
from bot.ui.tasks import (
    capture_preview,
    delete_confirmation,
    task_message,
)

APP = "https://app.astravue.test"
HUGE = "🚀 مرحبا بالعالم <!channel> <@U0MARIA> & " * 80  # emoji, RTL, mentions; > 3,000 chars
UNESCAPED = re.compile(r"<(?:!(?!date\^)|@U)")  # Slack date tokens are ours


def _task(task_id: int, *, title: str = HUGE, done: bool = False) -> TaskDto:
    return TaskDto.model_validate(
        {
            "taskId": task_id,
            "taskTitle": title,
            "description": HUGE * 2,
            "projectId": 7,
            "spaceId": 3,
            "tags": [HUGE[:60]] * 30,
            "status": {
                "statusName": "Done" if done else "To Do",
                "statusCategory": "done" if done else "todo",
            },
            "priority": {"priorityLabel": "High"},
            "owners": [{"userId": i, "firstName": HUGE[:40], "lastName": "x"} for i in range(40)],
            "dueDate": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
        }
    )


def _visible(payload: dict) -> str:  # type: ignore[type-arg]
    texts = [payload.get("text", "")]
    texts += re.findall(r"'text': '([^']*)'", str(payload.get("blocks")))
    return "\n".join(texts)


def test_maximal_cards_lists_and_forms_are_valid() -> None:
    tasks = [_task(i, done=i % 3 == 0) for i in range(1, 400)]
    comments = [TaskCommentDto(comment_id=i, comment=HUGE) for i in range(10)]
    checklist = [TaskCheckListDto(check_list_id=i, title=HUGE) for i in range(50)]
    card = task_message(
        tasks[0],
        app_url=APP,
        subtasks=tasks[:50],
        checklist=checklist,
        comments=comments,
        note="ok",
    )
    listing = task_list_message(
        tasks, app_url=APP, title="Your tasks", source=ListSource("list", "x" * 500, page=3)
    )
    for payload in (card, listing, delete_confirmation(tasks[1], app_url=APP)):
        assert validate_message(payload) == []
        assert not UNESCAPED.search(_visible(payload))
    assert "…and 359 more: next 10" in str(listing)  # 399 tasks; page 4: the 31st to the 40th
    draft = TaskDraft(
        title=HUGE,
        description=HUGE,
        tags=[HUGE[:50]] * 40,
        owners=[(i, HUGE[:30]) for i in range(60)],
        due=date(2030, 1, 1),
        permalink="https://slack.test/archives/C1/p1",
    )
    form = task_forms.task_form(
        draft, metadata="{}", statuses=[HUGE[:40]] * 150, errors={"title": HUGE, "zzz": HUGE}
    )
    assert validate_view(form) == []


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=1, max_size=4000))
def test_quick_capture_preview_of_any_text_is_valid_and_escaped(text: str) -> None:
    parsed = parse_capture(text, today=date(2026, 6, 3))
    draft = TaskDraft(
        title=parsed.title or "x",
        description=parsed.description,
        due=parsed.due,
        start=parsed.start,
        priority=parsed.priority,
        tags=parsed.tags,
        notes=[f"No project matches #{p}" for p in parsed.project_refs],
    )
    preview = capture_preview(draft, "token")
    assert validate_message(preview) == []
    assert not UNESCAPED.search(_visible(preview))


def test_task_urls_and_ids_are_read_back() -> None:
    project = TaskRef(42, 3, 7)
    assert parse_task_locator(task_url(APP, project), APP) == project
    assert parse_task_locator(task_url(APP, TaskRef(9)), APP) == TaskRef(9)
    assert parse_task_locator("#42", APP) == 42
    assert parse_task_locator("https://evil.test/tasks/1", APP) is None
    assert parse_task_locator("login bug", APP) is None


def test_notes_under_a_reply_quote_the_user_escaped() -> None:
    notes = task_forms.notes_text(["Not used, so left in the title: <!channel> <@U0MARIA>."])
    assert UNESCAPED.search(notes) is None and "&lt;!channel&gt;" in notes
    unmapped = task_forms.unmapped_note(["No Body", "<@W1>"])
    assert "Not assigned: No Body, &lt;@W1&gt;" in unmapped and UNESCAPED.search(unmapped) is None
    assert task_forms.notes_text([]) == task_forms.unmapped_note([]) == ""
