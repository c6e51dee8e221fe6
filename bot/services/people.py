"""Who is who: Slack users to Astravue users and back, and names typed after `@`.

Astravue has no "list users" endpoint, so the organisation's directory is built from the
people the bot sees in task payloads (owners, creators, editors) and from linked accounts.
Limits: someone who never appeared on a task the acting user can see, and never connected
their own account, is unknown here; such people are reported as "cannot be mapped" rather
than guessed. The directory is per process and per organisation, and entries expire.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.astravue.models import TaskDto, UserDto
from bot.db.models import AstravueLink, LinkStatus
from bot.slack.profiles import Profiles
from bot.ttl_cache import TTLCache

DIRECTORY_TTL_SECONDS = 3600.0


@dataclass(frozen=True)
class Person:
    user_id: int
    name: str
    email: str | None

    def matches(self, word: str) -> bool:
        """`@maria`, `@maria@acme.test`, `@lopez` or `@maria.lopez` all name Maria Lopez."""
        word = word.lower().lstrip("@")
        email = (self.email or "").lower()
        parts = self.name.lower().split()
        return bool(word) and (
            word in (email, email.split("@")[0], ".".join(parts)) or word in parts
        )


class PeopleDirectory:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], profiles: Profiles) -> None:
        self.sessions = sessions
        self.profiles = profiles
        self._orgs: dict[int, TTLCache[int, Person]] = {}

    def observe(self, org_id: int, tasks: Iterable[TaskDto]) -> None:
        """Remember the people named on these tasks."""
        for task in tasks:
            for user in (*task.owners, task.created_by, task.modified_by):
                self.remember(org_id, user)

    def remember(self, org_id: int, user: UserDto | None) -> None:
        if user is None or user.user_id is None or not (user.first_name or user.email):
            return  # a bare id says nothing about who it is
        person = Person(user.user_id, user.display_name, user.email)
        directory = self._orgs.setdefault(org_id, TTLCache(DIRECTORY_TTL_SECONDS))
        directory.put(user.user_id, person)

    def known(self, org_id: int) -> list[Person]:
        directory = self._orgs.get(org_id)
        return directory.values() if directory is not None else []

    def by_name(self, org_id: int, word: str) -> list[Person]:
        return [p for p in self.known(org_id) if p.matches(word)]

    def by_id(self, org_id: int, user_id: int) -> Person | None:
        return next((p for p in self.known(org_id) if p.user_id == user_id), None)

    async def slack_name(self, slack_user_id: str) -> str:
        """How to name a Slack user in plain text: their Slack name, else their id."""
        return (await self.profiles.get(slack_user_id)).name or slack_user_id

    async def astravue_user_for(
        self, team_id: str, slack_user_id: str, org_id: int
    ) -> Person | None:
        """The Astravue user behind a Slack user: their own link first, else the same email."""
        async with self.sessions() as session:
            link = (
                await session.scalars(
                    select(AstravueLink).where(
                        AstravueLink.team_id == team_id, AstravueLink.slack_user_id == slack_user_id
                    )
                )
            ).one_or_none()
        if (
            link is not None
            and link.status == LinkStatus.ACTIVE
            and link.org_id == org_id
            and link.astravue_user_id is not None
        ):
            return Person(
                link.astravue_user_id,
                link.astravue_name or link.astravue_email or slack_user_id,
                link.astravue_email,
            )
        email = (await self.profiles.get(slack_user_id)).email
        if not email:
            return None
        return next(
            (p for p in self.known(org_id) if p.email and p.email.lower() == email.lower()), None
        )
