"""Spaces and projects, with the admin rules for changing them."""

from __future__ import annotations

from datetime import datetime

from bot.sandbox.astravue_state.entities import Project, Space, User
from bot.sandbox.astravue_state.errors import Forbidden, NotFound, check_order
from bot.sandbox.astravue_state.notifications import Notifications
from bot.sandbox.astravue_state.values import (
    DEFAULT_HEALTH,
    DEFAULT_PRIORITY,
    DEFAULT_PROJECT_STATUS,
    DEFAULT_SPACE_COLOR,
    UNSET,
    Unset,
)


class Workspaces(Notifications):
    """Spaces and projects."""

    def spaces_of(self, actor_id: int) -> list[Space]:
        org_id = self.user(actor_id).org_id
        return [s for s in self.spaces.values() if s.org_id == org_id]

    def space(self, actor_id: int, space_id: int) -> Space:
        space = self.spaces.get(space_id)
        if space is None or space.org_id != self.user(actor_id).org_id:
            raise NotFound(f"Space {space_id} not found")
        return space

    def _require_admin(self, actor: User, action: str) -> None:
        if not actor.is_admin:
            raise Forbidden(f"Only organisation admins can {action} (your role: {actor.role})")

    def create_space(
        self, actor_id: int, name: str, *, description: str = "", color: str = DEFAULT_SPACE_COLOR
    ) -> Space:
        actor = self.user(actor_id)
        self._require_admin(actor, "create spaces")
        now = self.now()
        space_id = self._next_id("space")
        self.spaces[space_id] = Space(
            space_id, actor.org_id, name, description, color, actor_id, now, now
        )
        return self.spaces[space_id]

    def update_space(
        self,
        actor_id: int,
        space_id: int,
        name: str,
        *,
        description: str | Unset | None = UNSET,
        color: str | Unset = UNSET,
    ) -> Space:
        """Change the given fields (None clears the description)."""
        space = self.space(actor_id, space_id)
        self._require_admin(self.user(actor_id), "update spaces")
        space.name = name
        if description is not UNSET:
            space.description = description or ""
        if color is not UNSET:
            space.color = color
        space.updated_at = self.now()
        return space

    def delete_space(self, actor_id: int, space_id: int) -> None:
        self.space(actor_id, space_id)
        self._require_admin(self.user(actor_id), "delete spaces")
        for project in [p for p in self.projects.values() if p.space_id == space_id]:
            self._remove_project(project)
        del self.spaces[space_id]

    # -- projects --

    def projects_in(self, actor_id: int, space_id: int) -> list[Project]:
        self.space(actor_id, space_id)
        return [p for p in self.projects.values() if p.space_id == space_id]

    def project(self, actor_id: int, project_id: int, space_id: int | None = None) -> Project:
        project = self.projects.get(project_id)
        if (
            project is None
            or project.org_id != self.user(actor_id).org_id
            or (space_id is not None and project.space_id != space_id)
        ):
            where = f" in space {space_id}" if space_id is not None else ""
            raise NotFound(f"Project {project_id} not found{where}")
        return project

    def _require_project_admin(
        self, actor: User, space: Space, project: Project | None, action: str
    ) -> None:
        # Org admins, the space's creator (Space Admin) and the project's creator
        # (Project Admin) manage projects; memberships are not modelled beyond that.
        if actor.is_admin or actor.user_id == space.created_by:
            return
        if project is not None and actor.user_id == project.created_by:
            return
        raise Forbidden(f"Only admins of this space or project can {action}")

    def create_project(
        self,
        actor_id: int,
        space_id: int,
        name: str,
        *,
        description: str = "",
        status: str = DEFAULT_PROJECT_STATUS,
        priority: str = DEFAULT_PRIORITY,
        health: str = DEFAULT_HEALTH,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        budget: float | None = None,
    ) -> Project:
        actor = self.user(actor_id)
        space = self.space(actor_id, space_id)
        self._require_project_admin(actor, space, None, "create projects")
        check_order(start_date, end_date, "endDate", "startDate")
        now = self.now()
        project_id = self._next_id("project")
        self.projects[project_id] = Project(
            project_id,
            actor.org_id,
            space_id,
            name,
            description,
            status,
            priority,
            health,
            start_date,
            end_date,
            budget,
            actor_id,
            now,
            now,
        )
        self._add_status_set(
            actor.org_id, project_id=project_id, space_id=space_id, created_by=actor_id
        )
        return self.projects[project_id]

    def update_project(
        self,
        actor_id: int,
        space_id: int,
        project_id: int,
        name: str,
        *,
        description: str | Unset | None = UNSET,
        status: str | Unset = UNSET,
        priority: str | Unset = UNSET,
        health: str | Unset = UNSET,
        start_date: datetime | Unset | None = UNSET,
        end_date: datetime | Unset | None = UNSET,
        budget: float | Unset | None = UNSET,
    ) -> Project:
        """Change the given fields (None clears the description, the dates and the budget)."""
        project = self.project(actor_id, project_id, space_id)
        self._require_project_admin(
            self.user(actor_id), self.spaces[space_id], project, "update projects"
        )
        start = project.start_date if start_date is UNSET else start_date
        end = project.end_date if end_date is UNSET else end_date
        check_order(start, end, "endDate", "startDate")
        project.name = name
        project.start_date, project.end_date = start, end
        if description is not UNSET:
            project.description = description or ""
        if status is not UNSET:
            project.status = status
        if priority is not UNSET:
            project.priority = priority
        if health is not UNSET:
            project.health = health
        if budget is not UNSET:
            project.budget = budget
        project.updated_at = self.now()
        return project

    def delete_project(self, actor_id: int, space_id: int, project_id: int) -> None:
        project = self.project(actor_id, project_id, space_id)
        self._require_project_admin(
            self.user(actor_id), self.spaces[space_id], project, "delete projects"
        )
        self._remove_project(project)

    def _remove_project(self, project: Project) -> None:
        for task in [t for t in self.tasks.values() if t.project_id == project.project_id]:
            self._remove_task(task.task_id)
        for table in (self.statuses, self.priorities):
            for key in [k for k, v in table.items() if v.project_id == project.project_id]:
                del table[key]
        del self.projects[project.project_id]
