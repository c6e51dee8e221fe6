"""A user's link to Astravue, as plain facts (never its tokens)."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class LinkStatus(enum.StrEnum):
    ACTIVE = "active"
    NEEDS_RELINK = "needs_relink"
    DISCONNECTED = "disconnected"
    SUSPENDED = "suspended"  # its Slack workspace uninstalled the app; a reinstall restores it


@dataclass(frozen=True)
class LinkInfo:
    """Plain facts about a link, safe to pass around (no tokens)."""

    id: int
    team_id: str
    slack_user_id: str
    status: LinkStatus
    org_id: int | None
    astravue_user_id: int | None
    email: str | None
    name: str | None
