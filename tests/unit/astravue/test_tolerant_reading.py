"""Issue 14 "Tolerant reading": each payload below is one a Java/Spring API plausibly sends
and the client once failed on (or, worse, read as an empty list)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx

from bot.astravue.client import AstravueClient
from bot.astravue.errors import UnexpectedResponse
from bot.astravue.models import (
    NotificationDto,
    TaskCommentDto,
    TaskDto,
    TimesheetReport,
    UserDto,
)
from bot.ui.errors import describe
from tests.unit.astravue import payloads as p
from tests.unit.astravue.conftest import envelope

TASK_B = {**p.TASK, "taskId": 8, "taskTitle": "Second"}


# --- null collections ---------------------------------------------------------------------


def test_null_collections_in_a_task_are_empty() -> None:
    task = TaskDto.model_validate(
        {**p.TASK, "owners": None, "tags": None, "descriptionMentionedUserIds": None}
    )
    assert (task.owners, task.tags, task.description_mentioned_user_ids) == ([], [], [])


def test_null_collections_elsewhere_are_empty() -> None:
    assert (
        TaskCommentDto.model_validate({**p.COMMENT, "mentionedUserIds": None}).mentioned_user_ids
        == []
    )
    assert TimesheetReport.model_validate({**p.REPORT, "entries": None}).entries == []


async def test_a_null_list_result_is_an_empty_list(
    client: AstravueClient, router: respx.MockRouter
) -> None:
    router.get("/v1/spaces").mock(return_value=httpx.Response(200, json=envelope(None)))
    router.get("/v1/tasks").mock(
        return_value=httpx.Response(200, json=envelope({"tasks": None, "page": 0, "totalPages": 0}))
    )
    assert await client.spaces.list() == []
    assert [t async for t in client.tasks.iter()] == []


# --- list shapes ----------------------------------------------------------------------------

SPRING_PAGE = {
    "content": [p.TASK, TASK_B],
    "number": 0,
    "size": 2,
    "totalElements": 2,
    "totalPages": 1,
    "first": True,
    "last": True,
    "numberOfElements": 2,
    "empty": False,
    "pageable": {"pageNumber": 0, "pageSize": 2, "offset": 0, "paged": True},
    "sort": {"sorted": False, "unsorted": True, "empty": True},
}


@pytest.mark.parametrize(
    "data",
    [
        pytest.param([p.TASK, TASK_B], id="bare array"),
        pytest.param(
            {"tasks": [p.TASK, TASK_B], "page": 0, "size": 20, "totalPages": 1},
            id="documented wrapper",
        ),
        pytest.param(SPRING_PAGE, id="spring page"),
        pytest.param({"items": [p.TASK, TASK_B], "total": 2}, id="items"),
        pytest.param({"data": [p.TASK, TASK_B]}, id="data"),
        pytest.param({"tasks": SPRING_PAGE}, id="wrapper holding a spring page"),
        pytest.param(
            {
                "_embedded": {"taskDtoList": [p.TASK, TASK_B]},
                "page": {"size": 20, "totalElements": 2, "totalPages": 1, "number": 0},
            },
            id="spring data rest (HAL)",
        ),
    ],
)
async def test_every_usual_list_shape_is_read(
    data: Any, client: AstravueClient, router: respx.MockRouter
) -> None:
    route = router.get("/v1/tasks").mock(return_value=httpx.Response(200, json=envelope(data)))
    titles = [t.task_title async for t in client.tasks.iter(size=20)]
    assert titles == ["Implement authentication module", "Second"]
    assert route.call_count == 1  # every shape says (or shows by a short page) it is the last


@pytest.mark.parametrize(
    ("data", "keys"),
    [
        pytest.param({"results": [p.TASK], "count": 1}, "count, results", id="unknown wrapper"),
        pytest.param({"tasks": "none"}, "tasks", id="wrapper holding a string"),
        pytest.param({}, "", id="empty object"),
    ],
)
async def test_an_unknown_list_shape_names_the_operation_and_keys_never_empty(
    data: Any, keys: str, client: AstravueClient, router: respx.MockRouter
) -> None:
    router.get("/v1/tasks").mock(return_value=httpx.Response(200, json=envelope(data)))
    with pytest.raises(UnexpectedResponse) as caught:
        await client.tasks.list()
    assert caught.value.operation == "listPersonalTasks"
    assert ", ".join(caught.value.keys) == keys
    assert "listPersonalTasks" in str(caught.value) and keys in str(caught.value)


async def test_a_scalar_where_a_list_belongs_is_unexpected(
    client: AstravueClient, router: respx.MockRouter
) -> None:
    router.get("/v1/spaces").mock(return_value=httpx.Response(200, json=envelope("ok")))
    with pytest.raises(UnexpectedResponse, match=r"listSpaces.*a list was expected, got a str"):
        await client.spaces.list()


async def test_null_data_where_an_object_is_required_is_unexpected(
    client: AstravueClient, router: respx.MockRouter
) -> None:
    router.get("/v1/tasks/7").mock(return_value=httpx.Response(200, json=envelope(None)))
    with pytest.raises(UnexpectedResponse, match=r"getPersonalTask.*null where an object"):
        await client.tasks.get(task_id=7)


async def test_a_null_receipt_of_a_write_nothing_reads_is_accepted(
    client: AstravueClient, router: respx.MockRouter
) -> None:
    router.put("/v1/notifications/read").mock(return_value=httpx.Response(200, json=envelope(None)))
    assert (await client.notifications.mark_read(notification_ids=[1])).notification_ids == []


# --- aliases and ids ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param({"id": 41, "isRead": True, "message": "m"}, id="id and isRead"),
        pytest.param({"notificationId": "41", "read": True, "message": "m"}, id="string id"),
    ],
)
def test_notification_spellings(payload: dict[str, Any]) -> None:
    notification = NotificationDto.model_validate(payload)
    assert (notification.notification_id, notification.read) == (41, True)


def test_task_read_under_id_and_title_and_string_ids() -> None:
    task = TaskDto.model_validate(
        {"id": "7", "title": "T", "owners": ["3"], "projectId": "4", "spaceId": "3"}
    )
    assert (task.task_id, task.task_title, task.project_id) == (7, "T", 4)
    assert [o.user_id for o in task.owners] == [3]


def test_user_read_under_id_and_either_picture_spelling() -> None:
    user = UserDto.model_validate({"id": 5, "profilePicUrl": "https://x.test/p.png"})
    assert (user.user_id, user.profile_pic_url) == (5, "https://x.test/p.png")


def test_a_stored_notification_round_trips() -> None:
    notification = NotificationDto.model_validate({"id": 41, "isRead": True, "message": "m"})
    dumped = notification.model_dump(mode="json", by_alias=True)
    assert NotificationDto.model_validate(dumped) == notification


def test_unknown_fields_everywhere_are_kept_not_fatal() -> None:
    task = TaskDto.model_validate({**p.TASK, "version": 3, "_links": {"self": {"href": "#"}}})
    assert task.model_extra is not None and task.model_extra["version"] == 3


def test_the_user_reads_which_answer_was_not_understood_and_what_to_do() -> None:
    error = UnexpectedResponse(
        "listPersonalTasks", "no list in the answer", keys=["results", "count"]
    )
    text = describe(error)
    assert "`listPersonalTasks`" in text and "keys seen: count, results" not in text
    assert "no list in the answer" in text and "Nothing was changed" in text
    assert "astravue-bot api-probe" in text
    write = describe(UnexpectedResponse("updatePersonalTask", "`data` is null"))
    assert "Check in Astravue whether the change was made" in write
