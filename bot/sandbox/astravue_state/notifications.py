"""Notifications: what each change tells whom, and reading or clearing them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.sandbox.astravue_state.directory import Directory
from bot.sandbox.astravue_state.entities import Notification, Task, User
from bot.sandbox.astravue_state.errors import NotFound
from bot.sandbox.astravue_state.values import ASSIGNMENT, MENTION, STATUS_CHANGE


class Notifications(Directory):
    """Notifications of assignments, mentions and status changes."""

    def add_notification(
        self,
        user_id: int,
        type_: str,
        message: str,
        *,
        actor_id: int,
        task_id: int | None = None,
        comment_id: int | None = None,
        created_at: datetime | None = None,
    ) -> Notification:
        task = self.tasks.get(task_id) if task_id is not None else None
        notification = Notification(
            self._next_id("notification"),
            self.user(user_id).org_id,
            user_id,
            type_,
            message,
            actor_id,
            False,
            created_at or self.now(),
            task_id,
            task.project_id if task else None,
            task.space_id if task else None,
            comment_id,
        )
        self.notifications[notification.notification_id] = notification
        return notification

    def notifications_for(self, user_id: int) -> list[Notification]:
        """Newest first."""
        mine = [n for n in self.notifications.values() if n.user_id == user_id]
        return sorted(mine, key=lambda n: (n.created_at, n.notification_id), reverse=True)

    def _own_notifications(self, user_id: int, ids: Sequence[int]) -> list[Notification]:
        found = []
        for notification_id in ids:
            notification = self.notifications.get(notification_id)
            if notification is None or notification.user_id != user_id:
                raise NotFound(f"Notification {notification_id} not found")
            found.append(notification)
        return found

    def mark_notifications_read(self, user_id: int, ids: Sequence[int] | None) -> list[int]:
        """Mark `ids` (all when None) read; returns the ids that were unread."""
        chosen = (
            self.notifications_for(user_id)
            if ids is None
            else self._own_notifications(user_id, ids)
        )
        changed = [n.notification_id for n in chosen if not n.read]
        for notification in chosen:
            notification.read = True
        return changed

    def delete_notifications(self, user_id: int, ids: Sequence[int]) -> list[int]:
        doomed = self._own_notifications(user_id, ids)
        for notification in doomed:
            self.notifications.pop(notification.notification_id, None)
        return list(dict.fromkeys(n.notification_id for n in doomed))

    def _notify_task_change(
        self,
        actor: User,
        task: Task,
        new_owners: set[int],
        new_mentions: set[int],
        old_status_id: int | None,
    ) -> None:
        """Tell people what `actor` did; the actor is never notified of their own action."""
        title = task.title
        for user_id in sorted(new_owners - {actor.user_id}):
            self.add_notification(
                user_id,
                ASSIGNMENT,
                f'{actor.full_name} assigned you to "{title}"',
                actor_id=actor.user_id,
                task_id=task.task_id,
            )
        for user_id in sorted(new_mentions - {actor.user_id}):
            self.add_notification(
                user_id,
                MENTION,
                f'{actor.full_name} mentioned you in "{title}"',
                actor_id=actor.user_id,
                task_id=task.task_id,
            )
        if old_status_id is not None:
            old, new = self.statuses[old_status_id].name, self.status_of(task).name
            for user_id in task.owner_ids:
                if user_id != actor.user_id:
                    self.add_notification(
                        user_id,
                        STATUS_CHANGE,
                        f'{actor.full_name} moved "{title}" from {old} to {new}',
                        actor_id=actor.user_id,
                        task_id=task.task_id,
                    )
