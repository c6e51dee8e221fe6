"""Unfurl blocks: escaped, inside Block Kit's limits, buttons only while the task is open."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.astravue.models import ProjectDto, SpaceDto, TaskDto
from bot.domain.unfurls import ProjectPreview, SpacePreview, TaskPreview
from bot.sandbox.blockkit import validate_message
from bot.ui.ids import Action
from bot.ui.unfurls import unfurl

APP = "https://app.astravue.com"


def task(**fields: object) -> TaskDto:
    data = {
        "taskId": 7,
        "taskTitle": "<!channel> ship | it " + "x" * 5000,
        "status": {"statusName": "In Progress", "statusCategory": "in_progress"},
        "owners": [{"userId": 1, "firstName": "Maria", "lastName": "<b>"}],
        "dueDate": datetime(2030, 1, 2, tzinfo=UTC).isoformat(),
        "spaceId": 1,
        "projectId": 2,
        **fields,
    }
    return TaskDto.model_validate(data)


def action_ids(payload: dict[str, object]) -> list[str]:
    return [
        e["action_id"]
        for b in payload["blocks"]  # type: ignore[attr-defined]
        for e in b.get("elements") or []
        if "action_id" in e
    ]


def test_a_task_unfurl_is_escaped_valid_and_has_complete_and_start_timer() -> None:
    project = ProjectDto.model_validate({"projectId": 2, "projectName": "Web & <Site>"})
    payload = unfurl(TaskPreview(task(), project), app_url=APP)
    text = json.dumps(payload)
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    assert "Web &amp; &lt;Site&gt;" in text and "/spaces/1/projects/2/tasks/7|" in text
    assert validate_message({"text": "x", "blocks": payload["blocks"]}) == []
    assert action_ids(payload) == [Action.TASK_COMPLETE, Action.TIMER_START]


def test_a_done_task_has_no_buttons_and_a_personal_one_says_so() -> None:
    done = task(status={"statusName": "Done", "statusCategory": "done"}, projectId=None)
    payload = unfurl(TaskPreview(done, None), app_url=APP)
    assert action_ids(payload) == [] and "Personal task" in json.dumps(payload)


def test_project_and_space_unfurls_are_valid() -> None:
    space = SpaceDto.model_validate({"spaceId": 1, "spaceName": "Eng"})
    projects = [
        ProjectDto.model_validate({"projectId": i, "projectName": f"P{i}"}) for i in range(8)
    ]
    for preview in (ProjectPreview(projects[0], space), SpacePreview(space, projects)):
        payload = unfurl(preview, app_url=APP)
        assert validate_message({"text": "x", "blocks": payload["blocks"]}) == []
    assert "and 3 more" in json.dumps(unfurl(SpacePreview(space, projects), app_url=APP))
