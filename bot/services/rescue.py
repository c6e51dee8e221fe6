"""The forgotten-timer rescue: a scheduler job that DMs once about a timer left running."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta, tzinfo

from sqlalchemy import or_, select, update

from bot.db.models import AstravueLink, LinkStatus, UserSettings
from bot.db.session import session_scope
from bot.domain.links import LinkInfo
from bot.parsing import parse_clock_time, resolve_zone
from bot.parsing.durations import ClockTimeError, format_duration
from bot.services.container import ServiceContainer, link_info
from bot.slack.team_clients import acting_for
from bot.ui.timers import rescue_dm

log = logging.getLogger(__name__)


def overdue_reason(
    start: datetime, now: datetime, limit_minutes: int, workday_end: str | None, zone: tzinfo
) -> str | None:
    """Why a timer started at `start` counts as forgotten at `now`, or None.

    Past `limit_minutes` of running, or past the end of the working day it started in (a
    timer started after hours runs until the next day's end)."""
    limit = timedelta(minutes=limit_minutes)
    if limit_minutes > 0 and now - start >= limit:
        return f"it has run for more than {format_duration(limit)}"
    if not workday_end:
        return None
    try:
        end_time = parse_clock_time(workday_end)
    except ClockTimeError:
        return None
    local_start = start.astimezone(zone)
    end = datetime.combine(local_start.date(), end_time, tzinfo=zone)
    if end <= local_start:
        end = datetime.combine(local_start.date() + timedelta(days=1), end_time, tzinfo=zone)
    if now >= end:
        return f"your working day ended at {workday_end}"
    return None


async def rescue_forgotten_timers(services: ServiceContainer) -> int:
    """One pass over connected users; returns how many reminders were sent."""
    async with services.runtime.sessions() as session:
        links = [
            link_info(link)
            for link in (
                await session.scalars(
                    select(AstravueLink).where(
                        AstravueLink.status == LinkStatus.ACTIVE, AstravueLink.org_id.is_not(None)
                    )
                )
            ).all()
        ]
    sent = 0
    for link in links:
        try:
            sent += await _rescue(services, link)
        except Exception as exc:  # one user's failure must not stop the others
            log.warning(
                "timer rescue failed for %s/%s: %s",
                link.team_id,
                link.slack_user_id,
                type(exc).__name__,
            )
    return sent


async def _claim_reminder(services: ServiceContainer, link: LinkInfo, tracker_id: int) -> bool:
    """Mark the reminder for this timer as sent, atomically: with several processes running
    the job, exactly one of them sends it."""
    async with session_scope(services.runtime.sessions) as session:
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


async def _rescue(services: ServiceContainer, link: LinkInfo) -> int:
    acting_for(link.team_id)  # profiles and the DM use this team's token (distributed mode)
    timer = await services.timers.running(link)
    if timer is None or timer.start_time is None:
        return 0
    settings = await services.timers.settings(link)
    if settings.timer_reminded_id == timer.time_tracker_id:
        return 0
    zone = resolve_zone((await services.profiles.get(link.slack_user_id)).tz)
    now = datetime.now(UTC)
    why = overdue_reason(
        timer.start_time, now, settings.timer_limit_minutes, settings.workday_end, zone
    )
    if why is None:
        return 0
    if not await _claim_reminder(services, link, timer.time_tracker_id):
        return 0  # another process is sending this reminder
    try:
        client = await services.runtime.team_clients.for_team(link.team_id)
        await client.chat_postMessage(
            channel=link.slack_user_id, **rescue_dm(timer, zone, now, why)
        )
    except Exception:
        await services.timers.remember(link, timer_reminded_id=settings.timer_reminded_id)
        raise  # not sent: the next pass tries again
    log.info("reminded %s/%s of a forgotten timer", link.team_id, link.slack_user_id)
    return 1
