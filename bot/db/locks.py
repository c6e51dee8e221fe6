"""Row locks that mean something on PostgreSQL and degrade to nothing on SQLite.

SQLite has no row locks; there the in-process asyncio locks of the callers are the guard, and
the tests that need real cross-process locking run on PostgreSQL only.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession


def supports_row_locks(session: AsyncSession) -> bool:
    bind = session.get_bind()
    return bind.dialect.name == "postgresql"


def for_update(
    query: Select[Any], session: AsyncSession, *, skip_locked: bool = False
) -> Select[Any]:
    """`SELECT ... FOR UPDATE [SKIP LOCKED]` where the database has it."""
    if supports_row_locks(session):
        return query.with_for_update(skip_locked=skip_locked)
    return query
