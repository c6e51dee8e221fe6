"""Publishing the App Home: features contribute sections; one failing section never blanks it.

Drawing the Home reads the most from Astravue (every project's tasks, the timer, today's
total), against the user's request budget. So it is drawn fresh when the user opens the tab,
and after our own writes only while it is likely on screen: Slack has no "closed" event, so
that is the `OPEN_WINDOW` after the last open, or a click made in the Home itself; otherwise
the next open draws it. A redraw after a write re-reads only the sections that write changed
and reuses the others drawn in the last `SECTION_TTL` (a task write forgets them all);
redraws asked for while one runs are folded into one more. Both are per process: with
several, a write handled by one that did not see the open leaves the Home as it is until
the next open, or a click in it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.db.models import LinkStatus
from bot.services.linking import LinkingService
from bot.services.links import Links
from bot.ttl_cache import TTLCache
from bot.ui.components import context
from bot.ui.home import home_linked, home_unlinked

if TYPE_CHECKING:
    from bot.domain.links import LinkInfo

log = logging.getLogger(__name__)

Section = list[dict[str, Any]]
SectionProvider = Callable[["LinkInfo"], Awaitable[Section]]
UserKey = tuple[str, str]

OPEN_WINDOW = 600.0  # seconds after app_home_opened during which writes redraw the Home
SECTION_TTL = 60.0  # seconds a drawn section may be shown again in a redraw after a write
MAX_USERS = 10_000  # per cache; past it the cache starts over (bot.ttl_cache)


class HomeService:
    def __init__(
        self, links: Links, linking: LinkingService, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.links = links
        self.linking = linking
        self.providers: list[tuple[str, SectionProvider]] = []
        self._opened: TTLCache[UserKey, bool] = TTLCache(
            OPEN_WINDOW, max_entries=MAX_USERS, clock=clock
        )
        self._drawn: TTLCache[tuple[str, str, str], Section] = TTLCache(
            SECTION_TTL, max_entries=MAX_USERS, clock=clock
        )
        self._pending: dict[UserKey, set[str]] = {}  # sections to re-read at the next redraw

    def add_section(self, name: str, provider: SectionProvider) -> None:
        self.providers.append((name, provider))

    async def opened(self, client: AsyncWebClient, team_id: str, user_id: str) -> None:
        """The user opened the Home tab: draw every section fresh."""
        self._opened.put((team_id, user_id), True)
        await self._publish(client, team_id, user_id, reread=None)

    async def refresh(
        self,
        client: AsyncWebClient,
        team_id: str,
        user_id: str,
        changed: Iterable[str],
        *,
        from_home: bool = False,
    ) -> None:
        """After our own write to the `changed` sections: redraw the Home if it is likely on
        screen (`from_home`: the write was clicked in it). Runs at most one redraw per user at
        a time; a request made meanwhile joins the next one."""
        key = (team_id, user_id)
        for name in changed:
            self._drawn.discard((*key, name))
        if from_home:
            self._opened.put(key, True)
        elif self._opened.get(key) is None:
            return  # not open lately: the next app_home_opened draws it fresh
        running = key in self._pending
        self._pending.setdefault(key, set()).update(changed)
        if running:
            return
        try:
            while self._pending[key]:
                reread, self._pending[key] = self._pending[key], set()
                await self._publish(client, team_id, user_id, reread=reread)
        finally:
            del self._pending[key]

    def forget(self, link: LinkInfo) -> None:
        """A write elsewhere (e.g. a task changed): the next redraw reads every section."""
        for name, _provider in self.providers:
            self._drawn.discard((link.team_id, link.slack_user_id, name))

    async def view_for(
        self, team_id: str, user_id: str, *, reread: set[str] | None = None
    ) -> dict[str, Any]:
        """The Home view; `reread` names the sections to read again (None: all of them)."""
        link = await self.links.link(team_id, user_id)
        if link is None or link.status != LinkStatus.ACTIVE:
            url = await self.linking.begin(
                team_id=team_id, slack_user_id=user_id, channel_id=None, response_url=None
            )
            return home_unlinked(url)
        sections = [
            await self._section(link, name, provider, fresh=reread is None or name in reread)
            for name, provider in self.providers
        ]
        return home_linked(link.name or link.email, sections)

    async def _section(
        self, link: LinkInfo, name: str, provider: SectionProvider, *, fresh: bool
    ) -> Section:
        key = (link.team_id, link.slack_user_id, name)
        drawn = None if fresh else self._drawn.get(key)
        if drawn is not None:
            return drawn
        try:
            drawn = await provider(link)
        except Exception as exc:  # one section failing must not blank the whole Home
            log.warning(
                "home section %s failed for %s/%s: %s",
                name,
                link.team_id,
                link.slack_user_id,
                type(exc).__name__,
            )
            return [context(f":warning: Couldn't load {name} right now.")]
        self._drawn.put(key, drawn)
        return drawn

    async def _publish(
        self, client: AsyncWebClient, team_id: str, user_id: str, *, reread: set[str] | None
    ) -> None:
        view = await self.view_for(team_id, user_id, reread=reread)
        await client.views_publish(user_id=user_id, view=view)
