"""The ONE place that decides between Astravue's personal and project task endpoints.

A personal task lives under `/v1/tasks`, a project task under
`/v1/spaces/{s}/projects/{p}/tasks`; every task operation goes through these functions.
"""

from __future__ import annotations

from bot.astravue.client import AstravueClient
from bot.astravue.models import TaskCreateRequest, TaskDto
from bot.astravue.updates import TaskChanges
from bot.domain.tasks import TaskRef


def in_project(ref: TaskRef) -> tuple[int, int]:
    if ref.space_id is None or ref.project_id is None:
        raise ValueError(f"{ref!r} is not a project task")
    return ref.space_id, ref.project_id


async def get_task(client: AstravueClient, ref: TaskRef) -> TaskDto:
    if ref.personal:
        return await client.tasks.get(task_id=ref.task_id)
    space_id, project_id = in_project(ref)
    return await client.project_tasks.get(
        space_id=space_id, project_id=project_id, task_id=ref.task_id
    )


async def change_task(client: AstravueClient, ref: TaskRef, changes: TaskChanges) -> TaskDto:
    if ref.personal:
        return await client.tasks.change(task_id=ref.task_id, changes=changes)
    space_id, project_id = in_project(ref)
    return await client.project_tasks.change(
        space_id=space_id, project_id=project_id, task_id=ref.task_id, changes=changes
    )


async def delete_task(client: AstravueClient, ref: TaskRef) -> None:
    if ref.personal:
        await client.tasks.delete(task_id=ref.task_id)
        return
    space_id, project_id = in_project(ref)
    await client.project_tasks.delete(space_id=space_id, project_id=project_id, task_id=ref.task_id)


async def list_subtasks(client: AstravueClient, ref: TaskRef) -> list[TaskDto]:
    if ref.personal:
        return await client.subtasks.list_personal(task_id=ref.task_id)
    space_id, project_id = in_project(ref)
    return await client.subtasks.list_project(
        space_id=space_id, project_id=project_id, task_id=ref.task_id
    )


async def create_task(
    client: AstravueClient, body: TaskCreateRequest, space_id: int | None, project_id: int | None
) -> TaskDto:
    """In the project when one is given, else a personal task."""
    if project_id is None:
        return await client.tasks.create(body=body)
    space, project = in_project(TaskRef(0, space_id, project_id))
    return await client.project_tasks.create(space_id=space, project_id=project, body=body)
