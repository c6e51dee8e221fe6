"""The forgotten-timer rescue: a scheduler job that DMs once about a timer left running.

It decides here; `bot.outbound.rescue` words and sends the DM."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Protocol

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.astravue.models import TimerData
from bot.db.models import AstravueLink, LinkStatus, UserSettings
from bot.db.session import session_scope
from bot.domain.links import LinkInfo
from bot.parsing import first_local_time_after, parse_clock_time
from bot.parsing.durations import ClockTimeError, duration_in_words
from bot.services.links import link_info
from bot.services.timer_cards import CardPlace, TimerCards
from bot.services.timers import TimerService
from bot.services.zones import UserZones
from bot.slack.team_clients import acting_for

log = logging.getLogger(__name__)


def overdue_reason(
    start: datetime, now: datetime, limit_minutes: int, workday_end: str | None, zone: tzinfo
) -> str | None:
    """Why a timer started at `start` counts as forgotten at `now`, or None.

    Past `limit_minutes` of running, or past the end of the working day it started in (a
    timer started after hours runs until the next day's end)."""
    limit = timedelta(minutes=limit_minutes)
    if limit_minutes > 0 and now - start >= limit:
        return f"it has run for more than {duration_in_words(limit)}"
    if not workday_end:
        return None
    try:
        end_time = parse_clock_time(workday_end)
    except ClockTimeError:
        return None
    if now >= first_local_time_after(start, end_time, zone):
        return f"your working day ended at {workday_end}"
    return None


class RescueSender(Protocol):
    async def send(
        self, link: LinkInfo, timer: TimerData, zone: tzinfo, now: datetime, why: str
    ) -> tuple[str, str] | None:
        """The DM posted (channel, ts); None when nothing may be sent to the user's team."""
        ...


class TimerRescue:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        timers: TimerService,
        zones: UserZones,
        sender: RescueSender,
        cards: TimerCards,
    ) -> None:
        self.sessions = sessions
        self.timers = timers
        self.zones = zones
        self.sender = sender
        self.cards = cards

    async def run(self) -> int:
        """One pass over connected users; returns how many reminders were sent."""
        async with self.sessions() as session:
            links = [
                link_info(link)
                for link in (
                    await session.scalars(
                        select(AstravueLink).where(
                            AstravueLink.status == LinkStatus.ACTIVE,
                            AstravueLink.org_id.is_not(None),
                        )
                    )
                ).all()
            ]
        sent = 0
        for link in links:
            try:
                sent += await self._rescue(link)
            except Exception as exc:  # one user's failure must not stop the others
                log.warning(
                    "timer rescue failed for %s/%s: %s",
                    link.team_id,
                    link.slack_user_id,
                    type(exc).__name__,
                )
        return sent

    async def _claim_reminder(self, link: LinkInfo, tracker_id: int) -> bool:
        """Mark the reminder for this timer as sent, atomically: with several processes
        running the job, exactly one of them sends it."""
        async with session_scope(self.sessions) as session:
            claimed = await session.execute(
                update(UserSettings)
                .where(
                    UserSettings.team_id == link.team_id,
                    UserSettings.slack_user_id == link.slack_user_id,
                    or_(
                        UserSettings.timer_reminded_id.is_(None),
                        UserSettings.timer_reminded_id != tracker_id,
                    ),
                )
                .values(timer_reminded_id=tracker_id)
                .execution_options(synchronize_session=False)
            )
        return bool(claimed.rowcount)  # type: ignore[attr-defined]

    async def _rescue(self, link: LinkInfo) -> int:
        timer = await self.timers.running(link)
        if timer is None or timer.start_time is None:
            return 0
        settings = await self.timers.settings(link)
        if settings.timer_reminded_id == timer.time_tracker_id:
            return 0
        acting_for(link.team_id)  # distributed mode: users.info with this team's token
        zone = await self.zones.zone(link.slack_user_id)
        now = datetime.now(UTC)
        why = overdue_reason(
            timer.start_time, now, settings.timer_limit_minutes, settings.workday_end, zone
        )
        if why is None:
            return 0
        if not await self._claim_reminder(link, timer.time_tracker_id):
            return 0  # another process is sending this reminder
        try:
            posted = await self.sender.send(link, timer, zone, now, why)
        except Exception:
            await self.timers.remember(link, timer_reminded_id=settings.timer_reminded_id)
            raise  # not sent: the next pass tries again
        if posted is None:  # the team has no installation: skip this user
            await self.timers.remember(link, timer_reminded_id=settings.timer_reminded_id)
            return 0
        # The reminder shows the timer: a stop from anywhere rewrites it too.
        place = CardPlace(channel=posted[0], ts=posted[1])
        await self.cards.remember(link.team_id, link.slack_user_id, timer.time_tracker_id, [place])
        log.info("reminded %s/%s of a forgotten timer", link.team_id, link.slack_user_id)
        return 1
