"""Link unfurls: what a shared Astravue URL shows, read with the SHARER's own token.

No working link, no details: the caller asks Slack for its authentication prompt instead.
A task, project or space the sharer cannot see (403, 404) is left alone, as is one Astravue
cannot serve right now: an unfurl is a courtesy, never an error message in a channel.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from bot.astravue.errors import AstravueError, Forbidden, NotFound, ReauthorizationRequired
from bot.astravue.models import SpaceDto
from bot.db.models import LinkStatus
from bot.domain.app_urls import AppLink, ProjectLink, SpaceLink, TaskLink, parse_app_url
from bot.domain.links import LinkInfo
from bot.domain.unfurls import Preview, ProjectPreview, SpacePreview, TaskPreview
from bot.services.astravue_access import AstravueAccess
from bot.services.links import Links, OrgMissing
from bot.services.tasks import TaskService

log = logging.getLogger(__name__)

MAX_URLS = 10  # Slack sends a handful per message; a flood is not read
PROJECTS_IN_SPACE = 10


@dataclass
class UnfurlPlan:
    """What to tell Slack: the previews by exact shared URL, or that the sharer must connect."""

    needs_connect: bool = False
    previews: dict[str, Preview] = field(default_factory=dict)


class UnfurlService:
    def __init__(
        self, links: Links, astravue: AstravueAccess, tasks: TaskService, *, app_url: str
    ) -> None:
        self.links = links
        self.astravue = astravue
        self.tasks = tasks
        self.app_url = app_url

    def ours(self, urls: list[str]) -> dict[str, AppLink]:
        """The shared URLs that are Astravue links of a form we read, keyed by the exact URL."""
        found: dict[str, AppLink] = {}
        for url in urls:
            parsed = parse_app_url(url, self.app_url)
            if parsed is not None and len(found) < MAX_URLS:
                found[url] = parsed
        return found

    async def plan(self, team_id: str, sharer: str, urls: list[str]) -> UnfurlPlan:
        wanted = self.ours(urls)
        if not wanted:
            return UnfurlPlan()
        link = await self.links.link(team_id, sharer)
        if link is None or link.status != LinkStatus.ACTIVE:
            return UnfurlPlan(needs_connect=True)
        plan = UnfurlPlan()
        for url, target in wanted.items():
            try:
                plan.previews[url] = await self._read(link, target)
            except ReauthorizationRequired:
                return UnfurlPlan(needs_connect=True)
            except OrgMissing:
                log.info(
                    "unfurl team=%s user=%s: no organisation set; not unfurled", team_id, sharer
                )
                return UnfurlPlan()
            except (NotFound, Forbidden) as exc:
                log.info(
                    "unfurl team=%s user=%s: %s not visible to the sharer (%s); not unfurled",
                    team_id,
                    sharer,
                    type(target).__name__,
                    type(exc).__name__,
                )
            except AstravueError as exc:
                log.warning(
                    "unfurl team=%s user=%s: Astravue error %s; not unfurled",
                    team_id,
                    sharer,
                    type(exc).__name__,
                )
        return plan

    async def _read(self, link: LinkInfo, target: AppLink) -> Preview:
        client = self.astravue(link)
        if isinstance(target, TaskLink):
            task = await self.tasks.get(link, target.ref)
            project = None
            if task.space_id is not None and task.project_id is not None:
                try:
                    project = await client.projects.get(
                        space_id=task.space_id, project_id=task.project_id
                    )
                except AstravueError:
                    project = None  # the task is shown; only its project's name is missing
            return TaskPreview(task, project)
        if isinstance(target, ProjectLink):
            found = await client.projects.get(
                space_id=target.space_id, project_id=target.project_id
            )
            try:
                space: SpaceDto | None = await client.spaces.get(space_id=target.space_id)
            except AstravueError:
                space = None
            return ProjectPreview(found, space)
        assert isinstance(target, SpaceLink)
        space_dto = await client.spaces.get(space_id=target.space_id)
        page = await client.projects.list(space_id=target.space_id, size=PROJECTS_IN_SPACE)
        return SpacePreview(space_dto, list(page.projects)[:PROJECTS_IN_SPACE])
