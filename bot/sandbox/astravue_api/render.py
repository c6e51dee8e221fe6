"""Rendering the state's records as the API's DTOs."""

from __future__ import annotations

from datetime import datetime

from bot.sandbox.astravue_api.requests import JSON
from bot.sandbox.astravue_state import (
    ROLE_IDS,
    AstravueState,
    ChecklistItem,
    Comment,
    Notification,
    Priority,
    Project,
    Space,
    Status,
    Task,
    TimeEntry,
    Timesheet,
    iso,
)


def opt_iso(moment: datetime | None) -> str | None:
    return iso(moment) if moment is not None else None


class Render:
    """DTOs as openapi.yaml names them, built from state records."""

    def __init__(self, state: AstravueState) -> None:
        self.state = state

    def user(self, user_id: int | None) -> JSON | None:
        user = self.state.users.get(user_id) if user_id is not None else None
        if user is None:
            return None
        return {
            "userId": user.user_id,
            "firstName": user.first_name,
            "lastName": user.last_name,
            "email": user.email,
            "profilePicURL": None,
            "profilePicName": None,
            "profilePicColor": "#607D8B",
            "provider": "keycloak",
            "newUser": False,
            "isTourCompleted": True,
            "about": "",
            "updateTime": iso(user.created_at),
            "expiryDate": None,
            "status": "ACTIVE",
            "role": {"orgRoleId": ROLE_IDS[user.role], "roleName": user.role},
        }

    def status(self, status: Status) -> JSON:
        return {
            "tenantId": status.org_id,
            "taskStatusId": status.status_id,
            "statusName": status.name,
            "color": status.color,
            "statusCategory": status.category,
            "projectId": status.project_id,
            "spaceId": status.space_id,
            "createdBy": self.user(status.created_by),
            "modifiedBy": self.user(status.created_by),
        }

    def priority(self, priority: Priority) -> JSON:
        return {
            "tenantId": priority.org_id,
            "taskPriorityId": priority.priority_id,
            "priorityLabel": priority.label,
            "color": priority.color,
            "createdBy": self.user(priority.created_by),
            "modifiedBy": self.user(priority.created_by),
            "default": priority.is_default,
            "primary": priority.is_default,
        }

    def task(self, task: Task) -> JSON:
        return {
            "tenantId": task.org_id,
            "taskId": task.task_id,
            "taskTitle": task.title,
            "description": task.description,
            "descriptionMentionedUserIds": list(task.mentioned_ids),
            "startDate": opt_iso(task.start_date),
            "dueDate": opt_iso(task.due_date),
            "completion": task.completion,
            "priority": self.priority(self.state.priority_of(task)),
            "status": self.status(self.state.status_of(task)),
            "owners": [self.user(uid) for uid in task.owner_ids],
            "tags": list(task.tags),
            "projectId": task.project_id,
            "spaceId": task.space_id,
            "parentTaskId": task.parent_id,
            "createdBy": self.user(task.created_by),
            "modifiedBy": self.user(task.modified_by),
            "createTime": iso(task.created_at),
            "updateTime": iso(task.updated_at),
        }

    def space(self, space: Space) -> JSON:
        return {
            "tenantId": space.org_id,
            "spaceId": space.space_id,
            "spaceName": space.name,
            "description": space.description,
            "color": space.color,
            "createdBy": self.user(space.created_by),
            "createTime": iso(space.created_at),
            "updateTime": iso(space.updated_at),
        }

    def project(self, project: Project) -> JSON:
        return {
            "tenantId": project.org_id,
            "projectId": project.project_id,
            "spaceId": project.space_id,
            "projectName": project.name,
            "description": project.description,
            "status": project.status,
            "priority": project.priority,
            "health": project.health,
            "startDate": opt_iso(project.start_date),
            "endDate": opt_iso(project.end_date),
            "budget": project.budget,
            "createdBy": self.user(project.created_by),
            "createTime": iso(project.created_at),
            "updateTime": iso(project.updated_at),
        }

    def comment(self, comment: Comment) -> JSON:
        return {
            "commentId": comment.comment_id,
            "taskId": comment.task_id,
            "comment": comment.text,
            "mentionedUserIds": list(comment.mentioned_ids),
            "parentCommentId": comment.parent_comment_id,
            "createdBy": self.user(comment.created_by),
            "createTime": iso(comment.created_at),
            "updateTime": iso(comment.updated_at),
        }

    def checklist_item(self, item: ChecklistItem) -> JSON:
        return {
            "checkListId": item.checklist_id,
            "taskId": item.task_id,
            "title": item.title,
            "completed": item.completed,
            "position": item.position,
            "createdBy": self.user(item.created_by),
            "createTime": iso(item.created_at),
        }

    def entry(self, entry: TimeEntry) -> JSON:
        return {
            "timeTrackerId": entry.entry_id,
            "taskId": entry.task_id,
            "projectId": entry.project_id,
            "userId": entry.user_id,
            "startTime": iso(entry.start),
            "endTime": opt_iso(entry.end),
            "duration": entry.duration_ms(self.state.now()),
            "billable": entry.billable,
            "notes": entry.notes,
            "entryType": entry.entry_type,
            "running": entry.running,
        }

    def timer(self, entry: TimeEntry) -> JSON:
        task = self.state.tasks[entry.task_id]
        return {
            "timeTrackerId": entry.entry_id,
            "taskId": entry.task_id,
            "taskTitle": task.title,
            "projectId": task.project_id,
            "spaceId": task.space_id,
            "startTime": iso(entry.start),
            "elapsed": entry.duration_ms(self.state.now()),
            "status": "RUNNING",
        }

    def notification(self, notification: Notification) -> JSON:
        return {
            "notificationId": notification.notification_id,
            "type": notification.type,
            "message": notification.message,
            "read": notification.read,
            "createTime": iso(notification.created_at),
            "actor": self.user(notification.actor_id),
            "taskId": notification.task_id,
            "projectId": notification.project_id,
            "spaceId": notification.space_id,
            "commentId": notification.comment_id,
        }

    def timesheet(self, sheet: Timesheet) -> JSON:
        key_name = "userId" if sheet.group_by == "member" else "projectId"
        return {
            "groupBy": sheet.group_by,
            **totals(sheet.total_ms, sheet.billable_ms),
            "entries": [self.entry(e) for e in sheet.entries],
            # Not in the reconstructed schema, which has nowhere to put the grouping.
            "groups": [
                {
                    key_name: g.key,
                    "name": g.name,
                    "entryCount": len(g.entries),
                    **totals(g.total_ms, g.billable_ms),
                }
                for g in sheet.groups
            ],
        }


def totals(total_ms: int, billable_ms: int) -> JSON:
    return {
        "totalDuration": total_ms,
        "billableDuration": billable_ms,
        "nonBillableDuration": total_ms - billable_ms,
    }
