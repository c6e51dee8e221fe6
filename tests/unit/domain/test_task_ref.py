"""One reference of a task from whatever names it: a task or the timer running on it."""

from __future__ import annotations

from bot.astravue.models import TaskDto, TimerData
from bot.domain.tasks import TaskRef, task_ref


def test_a_personal_task_refers_by_its_id_alone() -> None:
    task = TaskDto.model_validate({"taskId": 7, "taskTitle": "Write", "spaceId": 3})
    assert task_ref(task) == TaskRef(7)
    assert task_ref(task).encode() == "p:7"


def test_a_project_task_refers_by_space_project_and_id() -> None:
    task = TaskDto.model_validate({"taskId": 7, "taskTitle": "Write", "spaceId": 3, "projectId": 5})
    assert task_ref(task).encode() == "3:5:7"


def test_a_timer_refers_to_its_task_the_same_way() -> None:
    timer = TimerData.model_validate(
        {"timeTrackerId": 1, "taskId": 7, "spaceId": 3, "projectId": 5}
    )
    assert task_ref(timer) == TaskRef(7, 3, 5)
    assert task_ref(TimerData.model_validate({"timeTrackerId": 1, "taskId": 9})).encode() == "p:9"
