"""Where one notification goes: skipped, held (quiet hours or a digest) or sent now.

Pure rules over a user's preferences; the poller (`bot.services.notification_poller`)
applies them to what it fetched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, tzinfo

from bot.astravue.models import NotificationDto
from bot.db.models import DeliveryStatus, UserSettings
from bot.domain.notifications import NotificationPrefs

CATEGORIES = {
    "assignment": "assignment",
    "mention": "mention",
    "comment": "comment",
    "reply": "comment",
    "status_change": "status_change",
    "status change": "status_change",
}


def category(kind: str | None) -> str:
    return CATEGORIES.get((kind or "").lower(), "other")


def prefs_of(row: UserSettings) -> NotificationPrefs:
    return NotificationPrefs(
        enabled=row.notifications_enabled,
        type_modes=dict(row.type_modes),
        quiet_start=row.quiet_start,
        quiet_end=row.quiet_end,
        skip_own_actions=row.skip_own_actions,
        mark_read_on_delivery=row.mark_read_on_delivery,
        timer_limit_minutes=row.timer_limit_minutes,
        workday_end=row.workday_end,
    )


def in_quiet_hours(prefs: NotificationPrefs, now: datetime, zone: tzinfo) -> bool:
    """Quiet hours are [start, end) in the user's zone; they may span midnight."""
    if not (prefs.quiet_start and prefs.quiet_end) or prefs.quiet_start == prefs.quiet_end:
        return False
    local = now.astimezone(zone).time()
    start, end = time.fromisoformat(prefs.quiet_start), time.fromisoformat(prefs.quiet_end)
    return start <= local < end if start < end else local >= start or local < end


@dataclass(frozen=True)
class Routing:
    """Where one notification goes; `held_for` is "quiet" or "digest" when held."""

    status: DeliveryStatus
    held_for: str | None = None


@dataclass
class Rules:
    prefs: NotificationPrefs
    own_user_id: int | None
    muted_task_ids: frozenset[int]
    digest_project_ids: frozenset[int]
    quiet: bool

    def route(self, n: NotificationDto) -> Routing:
        mode = self.prefs.mode(category(n.type))
        if (
            not self.prefs.enabled
            or mode == "off"
            or n.task_id in self.muted_task_ids
            or (
                self.prefs.skip_own_actions
                and n.actor is not None
                and n.actor.user_id is not None
                and n.actor.user_id == self.own_user_id
            )
        ):
            return Routing(DeliveryStatus.SKIPPED)
        if self.quiet:
            return Routing(DeliveryStatus.HELD, "quiet")
        if mode == "digest" or n.project_id in self.digest_project_ids:
            return Routing(DeliveryStatus.HELD, "digest")
        return Routing(DeliveryStatus.PENDING)
