"""A user's notification and timer-reminder preferences, as plain values."""

from __future__ import annotations

from dataclasses import dataclass, field


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
