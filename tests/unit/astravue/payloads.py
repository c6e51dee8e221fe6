"""Payloads shaped like openapi.yaml (the create-task example and the component schemas)."""

from __future__ import annotations

from typing import Any

USER: dict[str, Any] = {
    "userId": 1,
    "firstName": "Maria",
    "lastName": "Lopez",
    "email": "maria@acme.test",
    "profilePicURL": "https://cdn.astravue.test/p/1.png",
    "profilePicName": "1.png",
    "profilePicColor": "#aa00ff",
    "provider": "keycloak",
    "newUser": False,
    "isTourCompleted": True,
    "about": "",
    "updateTime": "2019-08-24T14:15:22Z",
    "expiryDate": "2019-08-24T14:15:22Z",
    "status": "ACTIVE",
    "role": {"orgRoleId": 1, "roleName": "Admin"},
}

TASK: dict[str, Any] = {
    "tenantId": 1,
    "taskId": 7,
    "taskTitle": "Implement authentication module",
    "description": "Implement the authentication module.",
    "descriptionMentionedUserIds": [2],
    "startDate": "2023-10-01T00:00:00Z",
    "dueDate": "2023-10-15T00:00:00Z",
    "completion": 50,
    "priority": {
        "tenantId": 1,
        "taskPriorityId": 3,
        "priorityLabel": "High",
        "color": "#ff0000",
        "createdBy": USER,
        "modifiedBy": USER,
        "default": False,
        "primary": True,
    },
    "status": {
        "tenantId": 1,
        "taskStatusId": 2,
        "statusName": "In Progress",
        "color": "#0000ff",
        "statusCategory": "IN_PROGRESS",
        "projectId": None,
        "spaceId": None,
        "createdBy": USER,
    },
    "owners": [USER],
    "tags": ["backend", "urgent"],
}

TASK_PAGE = {"tasks": [TASK], "page": 0, "size": 20, "totalElements": 1, "totalPages": 1}

SPACE = {
    "tenantId": 1,
    "spaceId": 3,
    "spaceName": "Engineering",
    "description": "All engineering work",
    "color": "#123456",
    "createdBy": USER,
    "createTime": "2024-01-02T03:04:05Z",
}

PROJECT = {
    "tenantId": 1,
    "projectId": 4,
    "spaceId": 3,
    "projectName": "Website",
    "status": "Active",
    "priority": "High",
    "health": "ON_TRACK",
    "startDate": "2024-01-01T00:00:00Z",
    "endDate": "2024-06-30T00:00:00Z",
    "budget": 1000.5,
    "createdBy": USER,
}

PROJECT_PAGE = {"projects": [PROJECT], "page": 0, "size": 20, "totalElements": 1, "totalPages": 1}

COMMENT = {
    "commentId": 11,
    "taskId": 7,
    "comment": "Looks good @Dev",
    "mentionedUserIds": [2],
    "parentCommentId": None,
    "createdBy": USER,
    "createTime": "2024-02-01T10:00:00Z",
}

CHECKLIST = {
    "checkListId": 21,
    "taskId": 7,
    "title": "Write tests",
    "completed": True,
    "position": 1,
}

TIME_ENTRY = {
    "timeTrackerId": 31,
    "taskId": 7,
    "projectId": None,
    "userId": 1,
    "startTime": "2024-03-01T09:00:00Z",
    "endTime": "2024-03-01T10:30:00Z",
    "duration": 5_400_000,
    "billable": True,
    "notes": "pairing",
    "entryType": "RANGE",
    "running": False,
}

ACTIVE_TIMER = {
    "timeTrackerId": 32,
    "taskId": 7,
    "taskTitle": "Implement authentication module",
    "projectId": 4,
    "spaceId": 3,
    "startTime": "2024-03-01T09:00:00Z",
    "elapsed": 125_000,
    "status": "RUNNING",
}

REPORT = {
    "groupBy": "member",
    "totalDuration": 7_200_000,
    "billableDuration": 5_400_000,
    "nonBillableDuration": 1_800_000,
    "entries": [TIME_ENTRY],
}

SUMMARY = {
    "projectId": 4,
    "totalDuration": 7_200_000,
    "billableDuration": 5_400_000,
    "nonBillableDuration": 1_800_000,
}

NOTIFICATION = {
    "notificationId": 41,
    "type": "MENTION",
    "message": "Maria mentioned you",
    "read": False,
    "createTime": "2024-03-02T08:00:00Z",
    "actor": USER,
    "taskId": 7,
    "projectId": 4,
    "spaceId": 3,
    "commentId": 11,
}
