"""Pure rules of the connect flow: what a well-formed token looks like, when two emails name
the same person, and how identity values are fitted to their columns."""

from __future__ import annotations

import re

# `secrets.token_urlsafe(32)` gives 43 characters; anything else never came from us. Checked
# before a value reaches a query (PostgreSQL refuses NUL bytes with an error, not a miss).
_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{32,64}")
ELLIPSIS = "\u2026"


def well_formed_token(value: object) -> bool:
    return isinstance(value, str) and _TOKEN_RE.fullmatch(value) is not None


def normalized_email(email: str | None) -> str | None:
    """The comparable form of an address (trimmed, case-folded), None when there is none."""
    folded = (email or "").strip().lower()
    return folded or None


def same_email(first: str | None, second: str | None) -> bool:
    """True only when both addresses exist and are equal, ignoring case and outer spaces."""
    left = normalized_email(first)
    return left is not None and left == normalized_email(second)


def fit_name(name: str | None, limit: int) -> str | None:
    """A display name cut to `limit` characters (an ellipsis marks the cut)."""
    name = (name or "").strip()
    if not name:
        return None
    return name if len(name) <= limit else name[: limit - 1].rstrip() + ELLIPSIS


def fit_email(email: str | None, limit: int) -> str | None:
    """An address that fits its column, else None: a cut address would name someone else."""
    email = (email or "").strip()
    return email if email and len(email) <= limit else None
