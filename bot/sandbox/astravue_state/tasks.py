"""Tasks (personal and project, with subtasks), their comments and checklists."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.sandbox.astravue_state.entities import ChecklistItem, Comment, Task, User
from bot.sandbox.astravue_state.errors import Forbidden, NotFound, check_order
from bot.sandbox.astravue_state.values import DEFAULT_PRIORITY, MENTION, UNSET, Unset
from bot.sandbox.astravue_state.workspaces import Workspaces


class Tasks(Workspaces):
    """Tasks, who may see and change them, comments and checklists."""

    def _can_see(self, actor: User, task: Task) -> bool:
        if task.org_id != actor.org_id:
            return False
        # Personal tasks belong to their creator and whoever they were given to.
        return not task.is_personal or actor.user_id in (task.created_by, *task.owner_ids)

    def task(self, actor_id: int, task_id: int) -> Task:
        """Any task the actor may see, personal or project."""
        task = self.tasks.get(task_id)
        if task is None or not self._can_see(self.user(actor_id), task):
            raise NotFound(f"Task {task_id} not found")
        return task

    def personal_task(self, actor_id: int, task_id: int) -> Task:
        task = self.task(actor_id, task_id)
        if not task.is_personal:
            raise NotFound(
                f"Task {task_id} is not a personal task (it belongs to project {task.project_id})"
            )
        return task

    def project_task(
        self, actor_id: int, project_id: int, task_id: int, space_id: int | None = None
    ) -> Task:
        self.project(actor_id, project_id, space_id)
        task = self.task(actor_id, task_id)
        if task.project_id != project_id:
            raise NotFound(f"Task {task_id} not found in project {project_id}")
        return task

    def personal_tasks(self, actor_id: int) -> list[Task]:
        actor = self.user(actor_id)
        return [
            t
            for t in self.tasks.values()
            if t.is_personal and t.parent_id is None and self._can_see(actor, t)
        ]

    def project_tasks(self, actor_id: int, space_id: int, project_id: int) -> list[Task]:
        self.project(actor_id, project_id, space_id)
        return [
            t for t in self.tasks.values() if t.project_id == project_id and t.parent_id is None
        ]

    def subtasks(self, actor_id: int, parent_id: int) -> list[Task]:
        self.task(actor_id, parent_id)
        return [t for t in self.tasks.values() if t.parent_id == parent_id]

    def create_task(
        self,
        actor_id: int,
        title: str,
        *,
        project_id: int | None = None,
        parent_id: int | None = None,
        description: str | None = None,
        owners: Sequence[int] = (),
        status: str | None = None,
        priority: str | None = None,
        start_date: datetime | None = None,
        due_date: datetime | None = None,
        completion: int = 0,
        tags: Sequence[str] = (),
    ) -> Task:
        """A personal task (no project), a project task, or a subtask of `parent_id`."""
        actor = self.user(actor_id)
        if actor.is_guest:
            raise Forbidden("Guests are read-only: they cannot create tasks")
        space_id = None
        if parent_id is not None:
            parent = self.task(actor_id, parent_id)
            project_id, space_id = parent.project_id, parent.space_id
        elif project_id is not None:
            space_id = self.project(actor_id, project_id).space_id
        org_id = actor.org_id
        owner_ids = self._owner_ids(org_id, owners)
        status_row = (
            self.status_named(org_id, project_id, status)
            if status
            else self.statuses_for(org_id, project_id)[0]
        )
        priority_row = self.priority_labelled(org_id, project_id, priority or DEFAULT_PRIORITY)
        check_order(start_date, due_date, "dueDate", "startDate")
        description = description or ""
        now = self.now()
        task = Task(
            task_id=self._next_id("task"),
            org_id=org_id,
            title=title,
            description=description,
            mentioned_ids=self.mentioned_user_ids(org_id, description),
            owner_ids=owner_ids,
            status_id=status_row.status_id,
            priority_id=priority_row.priority_id,
            start_date=start_date,
            due_date=due_date,
            completion=completion,
            tags=list(tags),
            project_id=project_id,
            space_id=space_id,
            parent_id=parent_id,
            created_by=actor_id,
            modified_by=actor_id,
            created_at=now,
            updated_at=now,
        )
        self.tasks[task.task_id] = task
        self._notify_task_change(actor, task, set(task.owner_ids), set(task.mentioned_ids), None)
        return task

    def update_task(
        self,
        actor_id: int,
        task_id: int,
        *,
        title: str | Unset = UNSET,
        description: str | Unset | None = UNSET,
        owners: Sequence[int] | Unset = UNSET,
        status: str | Unset = UNSET,
        priority: str | Unset = UNSET,
        start_date: datetime | Unset | None = UNSET,
        due_date: datetime | Unset | None = UNSET,
        completion: int | Unset = UNSET,
        tags: Sequence[str] | Unset = UNSET,
    ) -> Task:
        """Change the given fields (None clears description and dates) and notify."""
        actor = self.user(actor_id)
        task = self.task(actor_id, task_id)
        if actor.is_guest and actor_id not in task.owner_ids:
            raise Forbidden("Guests can only edit tasks they own")
        org_id, project_id = task.org_id, task.project_id
        # Resolve everything before changing anything, so a 400 leaves the task untouched.
        new_owners = task.owner_ids if owners is UNSET else self._owner_ids(org_id, owners)
        new_status = (
            task.status_id
            if status is UNSET
            else self.status_named(org_id, project_id, status).status_id
        )
        new_priority = (
            task.priority_id
            if priority is UNSET
            else self.priority_labelled(org_id, project_id, priority).priority_id
        )
        new_start = task.start_date if start_date is UNSET else start_date
        new_due = task.due_date if due_date is UNSET else due_date
        check_order(new_start, new_due, "dueDate", "startDate")
        new_description = task.description if description is UNSET else description or ""
        old_owners, old_mentions, old_status = (
            set(task.owner_ids),
            set(task.mentioned_ids),
            task.status_id,
        )

        task.owner_ids, task.status_id, task.priority_id = new_owners, new_status, new_priority
        task.start_date, task.due_date = new_start, new_due
        task.description = new_description
        task.mentioned_ids = self.mentioned_user_ids(org_id, new_description)
        if title is not UNSET:
            task.title = title
        if completion is not UNSET:
            task.completion = completion
        if tags is not UNSET:
            task.tags = list(tags)
        task.modified_by, task.updated_at = actor_id, self.now()
        self._notify_task_change(
            actor,
            task,
            set(task.owner_ids) - old_owners,
            set(task.mentioned_ids) - old_mentions,
            old_status if old_status != task.status_id else None,
        )
        return task

    def delete_task(self, actor_id: int, task_id: int) -> None:
        actor = self.user(actor_id)
        task = self.task(actor_id, task_id)
        if not (actor.is_admin or actor_id == task.created_by or actor_id in task.owner_ids):
            raise Forbidden("Only the task's owners, its creator or an admin can delete it")
        self._remove_task(task_id)

    def _owner_ids(self, org_id: int, owners: Sequence[int]) -> list[int]:
        return list(dict.fromkeys(self._org_user(org_id, uid, "owners").user_id for uid in owners))

    # -- comments and checklists (read-only in the REST API; seeded and used by the demo) --

    def add_comment(
        self, actor_id: int, task_id: int, text: str, *, parent_comment_id: int | None = None
    ) -> Comment:
        actor = self.user(actor_id)
        task = self.task(actor_id, task_id)
        if parent_comment_id is not None and parent_comment_id not in self.comments:
            raise NotFound(f"Comment {parent_comment_id} not found")
        now = self.now()
        comment = Comment(
            self._next_id("comment"),
            task_id,
            text,
            self.mentioned_user_ids(task.org_id, text),
            parent_comment_id,
            actor_id,
            now,
            now,
        )
        self.comments[comment.comment_id] = comment
        for user_id in comment.mentioned_ids:
            if user_id != actor_id:
                self.add_notification(
                    user_id,
                    MENTION,
                    f'{actor.full_name} mentioned you in a comment on "{task.title}"',
                    actor_id=actor_id,
                    task_id=task_id,
                    comment_id=comment.comment_id,
                )
        return comment

    def comments_of(self, actor_id: int, task_id: int) -> list[Comment]:
        self.task(actor_id, task_id)
        return [c for c in self.comments.values() if c.task_id == task_id]

    def add_checklist_item(
        self, actor_id: int, task_id: int, title: str, *, completed: bool = False
    ) -> ChecklistItem:
        self.task(actor_id, task_id)
        position = len([c for c in self.checklist_items.values() if c.task_id == task_id])
        item = ChecklistItem(
            self._next_id("checklist"), task_id, title, completed, position, actor_id, self.now()
        )
        self.checklist_items[item.checklist_id] = item
        return item

    def checklist_of(self, actor_id: int, task_id: int) -> list[ChecklistItem]:
        self.task(actor_id, task_id)
        items = [c for c in self.checklist_items.values() if c.task_id == task_id]
        return sorted(items, key=lambda c: c.position)

    def subtask_checklist(
        self, actor_id: int, task_id: int, subtask_id: int
    ) -> list[ChecklistItem]:
        self.task(actor_id, task_id)
        if self.task(actor_id, subtask_id).parent_id != task_id:
            raise NotFound(f"Subtask {subtask_id} not found under task {task_id}")
        return self.checklist_of(actor_id, subtask_id)
