"""What an unfurl shows: a task, a project or a space, as the sharer may see it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.astravue.models import ProjectDto, SpaceDto, TaskDto


@dataclass(frozen=True)
class TaskPreview:
    task: TaskDto
    project: ProjectDto | None  # None: a personal task, or its project could not be read


@dataclass(frozen=True)
class ProjectPreview:
    project: ProjectDto
    space: SpaceDto | None


@dataclass(frozen=True)
class SpacePreview:
    space: SpaceDto
    projects: list[ProjectDto]


Preview = TaskPreview | ProjectPreview | SpacePreview
