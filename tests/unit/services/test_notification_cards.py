"""What a notification DM shows about its task, and the task's link: a project task's link
names its space and project (`task_url`), as everywhere else in the app."""

from __future__ import annotations

from bot.astravue.models import NotificationDto, ProjectDto, SpaceDto, TaskDto
from bot.domain.tasks import TaskRef
from bot.services.notification_cards import CardBuilder, notification_task
from tests.unit.services.fakes import FakeAstravue

APP = "https://app.astravue.test/"
SPACES = [SpaceDto(space_id=10, space_name="Acme")]
PROJECTS = [ProjectDto(project_id=20, space_id=10, project_name="Website")]
TASKS = [
    TaskDto(task_id=5, task_title="Write the brief"),
    TaskDto(task_id=6, task_title="Ship it", space_id=10, project_id=20),
]


def builder() -> CardBuilder:
    return CardBuilder(FakeAstravue(SPACES, PROJECTS, TASKS), APP)  # type: ignore[arg-type]


def test_which_task_a_notification_is_about() -> None:
    assert notification_task(NotificationDto(notification_id=1)) is None
    assert notification_task(NotificationDto(notification_id=1, task_id=5)) == TaskRef(5)
    assert notification_task(
        NotificationDto(notification_id=1, task_id=6, space_id=10, project_id=20)
    ) == TaskRef(6, 10, 20)
    # Without its space, a project id cannot address the task: read as personal.
    assert notification_task(NotificationDto(notification_id=1, task_id=6, project_id=20)) == (
        TaskRef(6)
    )


async def test_a_project_tasks_card_links_to_the_task_in_its_project() -> None:
    card = await builder().build(
        NotificationDto(notification_id=1, task_id=6, space_id=10, project_id=20)
    )
    assert card.url == "https://app.astravue.test/spaces/10/projects/20/tasks/6"
    assert (card.task_title, card.project_name, card.task_ref) == (
        "Ship it",
        "Website",
        TaskRef(6, 10, 20),
    )


async def test_a_personal_tasks_card_links_to_the_task() -> None:
    card = await builder().build(NotificationDto(notification_id=1, task_id=5))
    assert card.url == "https://app.astravue.test/tasks/5"
    assert (card.task_title, card.project_name) == ("Write the brief", None)


async def test_a_task_that_cannot_be_read_leaves_its_title_out_not_the_card() -> None:
    card = await builder().build(NotificationDto(notification_id=1, task_id=404))
    assert card.task_title is None
    assert card.url == "https://app.astravue.test/tasks/404"


async def test_a_notification_about_no_task_has_no_link() -> None:
    card = await builder().build(NotificationDto(notification_id=1, message="Welcome"))
    assert card.url is None and card.task_ref is None
