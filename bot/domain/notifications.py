"""Notifications as plain values: a user's preferences (and timer reminders), the card a DM
shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.astravue.models import NotificationDto
from bot.domain.tasks import TaskRef

LIST_LIMIT = 50  # what a notification list shows at most (five checkbox groups of ten)


@dataclass
class NotificationPrefs:
    """What the settings modal edits, as plain values."""

    enabled: bool = True
    type_modes: dict[str, str] = field(default_factory=dict)
    quiet_start: str | None = None
    quiet_end: str | None = None
    skip_own_actions: bool = True
    mark_read_on_delivery: bool = False
    timer_limit_minutes: int = 480  # remind about a timer running this long (0 = never)
    workday_end: str | None = None  # "HH:MM" in the user's zone: remind past it

    def mode(self, kind: str) -> str:
        return self.type_modes.get(kind, "instant")


@dataclass(frozen=True)
class NotificationCard:
    """A notification with what the DM shows about its task (all optional: fetches fail)."""

    notification: NotificationDto
    task_title: str | None = None
    project_name: str | None = None
    task_ref: TaskRef | None = None
    url: str | None = None
    comment: str | None = None  # what was said, for mentions, comments and replies
    comment_url: str | None = None  # the task's page at that comment

    @property
    def about_a_comment(self) -> bool:
        """A mention, comment or reply on a task: the DM quotes it and links to it."""
        return self.comment_url is not None
