"""Project feeds, the commands' side: subscribe a channel to a project, list, remove.

Only someone who can see a project can subscribe a channel to it: the project is found among
the projects the acting user's own token lists (the matcher `task list #project` uses). The
subscription then reads the project with that user's token (bot.services.feeds_poll).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.astravue.models import TaskDto
from bot.db.base import utcnow
from bot.db.feed_models import FeedSubscription
from bot.db.session import session_scope
from bot.domain.feed_changes import FeedTask, NotSubscribed, TooManyFeeds
from bot.domain.links import LinkInfo
from bot.domain.tasks import is_done
from bot.services.projects import ProjectInfo, name_matches
from bot.services.tasks import TaskService
from bot.services.zones import UserZones

MAX_PER_CHANNEL = 25


@dataclass(frozen=True)
class FeedInfo:
    id: int
    team_id: str
    channel_id: str
    subscriber_id: str
    space_id: int
    project_id: int
    project_name: str
    digest_time: str | None
    paused_at: datetime | None


def feed_info(row: FeedSubscription) -> FeedInfo:
    return FeedInfo(
        id=row.id,
        team_id=row.team_id,
        channel_id=row.channel_id,
        subscriber_id=row.subscriber_id,
        space_id=row.space_id,
        project_id=row.project_id,
        project_name=row.project_name,
        digest_time=row.digest_time,
        paused_at=row.paused_at,
    )


def feed_task(task: TaskDto) -> FeedTask:
    """What a feed keeps of one task as the API returned it."""
    return FeedTask(
        task_id=task.task_id,
        title=task.task_title,
        done=is_done(task),
        owner_ids=tuple(o.user_id for o in task.owners if o.user_id is not None),
        owner_names=tuple(o.display_name for o in task.owners if o.user_id is not None),
        due=task.due_date.isoformat() if task.due_date else None,
        by=task.modified_by.display_name if task.modified_by else None,
    )


class FeedSubscriptions:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], tasks: TaskService, zones: UserZones
    ) -> None:
        self.sessions = sessions
        self.tasks = tasks
        self.zones = zones

    async def project(self, link: LinkInfo, words: str) -> ProjectInfo:
        """The one project `words` names among those this user can see (else a domain
        error: none, or several)."""
        return await self.tasks.one_project(link, words)

    async def zone(self, link: LinkInfo) -> str:
        return await self.zones.name(link.slack_user_id)

    async def subscribe(
        self,
        link: LinkInfo,
        channel_id: str,
        project: ProjectInfo,
        *,
        digest_time: str | None,
        zone: str,
    ) -> tuple[FeedInfo, bool]:
        """Subscribe the channel (True), or update who reads it and its digest (False): the
        newest subscriber's token reads the project from then on."""
        async with session_scope(self.sessions) as session:
            row = await session.scalar(
                select(FeedSubscription).where(
                    FeedSubscription.team_id == link.team_id,
                    FeedSubscription.channel_id == channel_id,
                    FeedSubscription.project_id == project.project_id,
                )
            )
            created = row is None
            if row is None:
                count = len(
                    (
                        await session.scalars(
                            select(FeedSubscription.id).where(
                                FeedSubscription.team_id == link.team_id,
                                FeedSubscription.channel_id == channel_id,
                            )
                        )
                    ).all()
                )
                if count >= MAX_PER_CHANNEL:
                    raise TooManyFeeds(MAX_PER_CHANNEL)
                row = FeedSubscription(
                    team_id=link.team_id,
                    channel_id=channel_id,
                    project_id=project.project_id,
                    snapshot={},
                    initialized=False,
                    next_poll_at=utcnow(),
                    failures=0,
                )
                session.add(row)
            row.subscriber_id = link.slack_user_id
            row.space_id = project.space_id
            row.project_name = project.project_name[:200]
            row.digest_time = digest_time
            row.zone = zone[:64]
            row.paused_at = None
            await session.flush()
            return feed_info(row), created

    async def in_channel(self, team_id: str, channel_id: str) -> list[FeedInfo]:
        async with self.sessions() as session:
            rows = await session.scalars(
                select(FeedSubscription)
                .where(
                    FeedSubscription.team_id == team_id, FeedSubscription.channel_id == channel_id
                )
                .order_by(FeedSubscription.project_name, FeedSubscription.id)
            )
            return [feed_info(row) for row in rows]

    async def remove(
        self, team_id: str, feed_id: int, *, channel_id: str | None = None
    ) -> FeedInfo | None:
        """Remove one subscription of the team (and of `channel_id` when given); its pending
        posts go with it."""
        async with session_scope(self.sessions) as session:
            row = await session.get(FeedSubscription, feed_id)
            if row is None or row.team_id != team_id:
                return None
            if channel_id is not None and row.channel_id != channel_id:
                return None
            info = feed_info(row)
            await session.execute(delete(FeedSubscription).where(FeedSubscription.id == feed_id))
            return info

    async def remove_named(self, team_id: str, channel_id: str, words: str) -> FeedInfo:
        """Remove the channel's subscription to the project `words` names (by the name it had
        when subscribed, or its id): no Astravue call, so it works for anyone in the channel."""
        feeds = await self.in_channel(team_id, channel_id)
        ids = name_matches(words, [(f.project_id, f.project_name) for f in feeds])
        if len(ids) != 1:
            raise NotSubscribed(words)
        found = next(f for f in feeds if f.project_id == ids[0])
        removed = await self.remove(team_id, found.id)
        if removed is None:
            raise NotSubscribed(words)
        return removed
