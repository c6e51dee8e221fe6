"""Product constants of the fake Astravue, its clock helpers and the UNSET marker."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Final

ADMIN_ROLES: Final = frozenset({"Account Admin", "Admin"})
ROLE_IDS: Final = {"Account Admin": 1, "Admin": 2, "Member": 3, "Guest": 4}
# (name, statusCategory, colour) in board order; every project and each org's personal tasks
# get their own copy, as statuses are customisable per project in Astravue.
STATUS_TEMPLATE: Final = (
    ("To Do", "todo", "#9E9E9E"),
    ("In Progress", "in_progress", "#2196F3"),
    ("In Review", "in_progress", "#FF9800"),
    ("Done", "done", "#4CAF50"),
)
PRIORITY_TEMPLATE: Final = (
    ("Low", "#8BC34A"),
    ("Medium", "#FFC107"),
    ("High", "#FF5722"),
    ("Critical", "#D50000"),
)
DEFAULT_PRIORITY: Final = "Medium"
DEFAULT_SPACE_COLOR: Final = "#3F51B5"
DEFAULT_PROJECT_STATUS: Final = "Active"
DEFAULT_HEALTH: Final = "On Track"

ASSIGNMENT: Final = "assignment"
MENTION: Final = "mention"
STATUS_CHANGE: Final = "status_change"

TIMER: Final = "TIMER"
RANGE: Final = "RANGE"
MANUAL: Final = "MANUAL"

MENTION_TOKEN = re.compile(r"(?<![\w.@])@([\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)")


def utc_now() -> datetime:
    # Looked up at every call so time-machine can move it.
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """ISO-8601 in UTC with a `Z`, milliseconds only when there are some."""
    moment = moment.astimezone(UTC)
    spec = "milliseconds" if moment.microsecond else "seconds"
    return moment.replace(tzinfo=None).isoformat(timespec=spec) + "Z"


def millis(span: timedelta) -> int:
    return int(span.total_seconds() * 1000)


class Unset(Enum):
    UNSET = "UNSET"


UNSET: Final = Unset.UNSET
"""Marks a keyword argument of an update as "not given" (None may mean "clear it")."""
