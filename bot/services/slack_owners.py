"""Astravue users back to Slack users, so a form can show a draft's owners as Slack people.

The reverse of `PeopleDirectory.astravue_user_for`: a connected account of the same team
and organisation first, else the Slack user with the same email (`by_email`, which
bot.slack.user_lookup answers).
Someone found neither way stays an Astravue-only owner: the form keeps them through its
metadata instead of showing them in the people picker.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import AstravueLink, LinkStatus
from bot.domain.links import LinkInfo
from bot.services.people import PeopleDirectory

log = logging.getLogger(__name__)


async def slack_ids_for(
    sessions: async_sessionmaker[AsyncSession],
    people: PeopleDirectory,
    by_email: Callable[[str], Awaitable[str | None]],
    link: LinkInfo,
    owner_ids: list[int],
) -> dict[int, str]:
    """Astravue user id -> Slack user id, for the owners that can be found."""
    found: dict[int, str] = {}
    wanted = [i for i in dict.fromkeys(owner_ids) if i]
    if not wanted:
        return found
    async with sessions() as session:
        rows = (
            await session.scalars(
                select(AstravueLink).where(
                    AstravueLink.team_id == link.team_id,
                    AstravueLink.org_id == link.org_id,
                    AstravueLink.astravue_user_id.in_(wanted),
                    AstravueLink.status == LinkStatus.ACTIVE,
                )
            )
        ).all()
    for row in rows:
        if row.astravue_user_id is not None:
            found.setdefault(row.astravue_user_id, row.slack_user_id)
    for user_id in wanted:
        if user_id in found:
            continue
        person = people.by_id(link.org_id or 0, user_id)
        if person is None or not person.email:
            continue
        slack_id = await by_email(person.email)
        if slack_id:
            found[user_id] = slack_id
    return found


def owners_kept(value: object) -> list[tuple[int, str]]:
    """A draft's owners as a form's metadata keeps them (`[[id, name], ...]`); anything else
    (a forged or stale value) is dropped."""
    kept: list[tuple[int, str]] = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, list) and len(item) == 2 and isinstance(item[0], int):
            kept.append((item[0], str(item[1])))
    return kept
