"""A user's link to Astravue, as plain facts (never its tokens)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


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


@dataclass(frozen=True)
class ResumedCommand:
    """An `/astravue` command that had to wait for connect or the organisation, to run once
    they are done: who typed it, where, and where to answer (the response_url while it
    lives). The text is what the user typed; it never holds a token."""

    team_id: str
    user_id: str
    channel_id: str | None
    text: str
    response_url: str | None = field(default=None, repr=False)  # a bearer capability
