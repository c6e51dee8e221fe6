"""A space and a project as their forms edit them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass
class ProjectFields:
    """A project form's values; dates are the user's local days."""

    name: str
    description: str | None = None
    status: str | None = None
    priority: str | None = None
    health: str | None = None
    start: date | None = None
    end: date | None = None
    budget: float | None = None


@dataclass(frozen=True)
class SpaceFields:
    """A space form's values."""

    name: str
    description: str | None = None
    color: str | None = None
