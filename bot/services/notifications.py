"""Notification use cases the listeners call: preferences, mutes, digests by project, the
card of a delivered notification and the list of a user's notifications.

The poller that delivers them is `bot.services.notification_poller`; where each one goes is
`bot.services.notification_rules`.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.astravue.models import NotificationDto
from bot.db.repositories import settings_for
from bot.db.session import session_scope
from bot.domain.links import LinkInfo
from bot.domain.notifications import LIST_LIMIT, NotificationCard, NotificationPrefs
from bot.services.astravue_access import AstravueAccess
from bot.services.delivery_ledger import delivered_payload, restore
from bot.services.notification_cards import CardBuilder
from bot.services.notification_rules import prefs_of

PAGE_SIZE = 50


class NotificationService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        astravue: AstravueAccess,
        *,
        app_url: str,
    ) -> None:
        self.sessions = sessions
        self.astravue = astravue
        self.app_url = app_url

    async def prefs(self, team_id: str, user_id: str) -> NotificationPrefs:
        async with session_scope(self.sessions) as session:
            return prefs_of(await settings_for(session, team_id, user_id))

    async def save_prefs(self, team_id: str, user_id: str, prefs: NotificationPrefs) -> None:
        async with session_scope(self.sessions) as session:
            row = await settings_for(session, team_id, user_id)
            row.notifications_enabled = prefs.enabled
            row.type_modes = dict(prefs.type_modes)
            row.quiet_start, row.quiet_end = prefs.quiet_start, prefs.quiet_end
            row.skip_own_actions = prefs.skip_own_actions
            row.mark_read_on_delivery = prefs.mark_read_on_delivery
            row.timer_limit_minutes = prefs.timer_limit_minutes
            row.workday_end = prefs.workday_end

    async def mute_task(self, team_id: str, user_id: str, task_id: int) -> None:
        async with session_scope(self.sessions) as session:
            row = await settings_for(session, team_id, user_id)
            row.muted_task_ids = sorted({*row.muted_task_ids, task_id})

    async def digest_project(self, team_id: str, user_id: str, project_id: int) -> None:
        async with session_scope(self.sessions) as session:
            row = await settings_for(session, team_id, user_id)
            row.digest_project_ids = sorted({*row.digest_project_ids, project_id})

    async def card(self, link: LinkInfo, notification_id: int) -> NotificationCard:
        """The card of a notification already delivered (for updating its DM)."""
        payload = await delivered_payload(self.sessions, link.id, notification_id)
        return await CardBuilder(self.astravue(link), self.app_url).build(
            restore(payload, notification_id)
        )

    async def listing(self, link: LinkInfo, *, only_unread: bool) -> list[NotificationDto]:
        client = self.astravue(link)
        found = []
        async for n in client.notifications.iter(
            size=PAGE_SIZE, read=False if only_unread else None
        ):
            found.append(n)
            if len(found) > LIST_LIMIT:
                break
        return found
