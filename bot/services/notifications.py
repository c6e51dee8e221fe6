"""The notification poller: claim due links, fetch, deliver each notification exactly once.

Exactly once: a `pending` row (unique per link and notification) is
committed before the DM is posted with metadata naming the notification, then marked `sent`
with the ts. A `pending` row met again was left by a crash: the DM channel's history is
searched for that metadata before anything is posted again.

The link's lease is what keeps two pollers from posting the same row: every write of the
ledger and every post is preceded by a conditional renewal of the lease that fails once
another poller has taken the link, and that poll then stops. That holds while one post
takes less than a lease (the Slack client gives up after 10 s; a lease is 5 minutes or more).
A poll sends at most `DMS_PER_POLL` DMs, so even a backlog keeps a poll well within its lease.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import and_, select, update

from bot import metrics
from bot.astravue.client import AstravueClient
from bot.astravue.errors import AstravueError
from bot.astravue.models import NotificationDto
from bot.db.base import utcnow
from bot.db.models import (
    AstravueLink,
    DeliveryStatus,
    LinkStatus,
    NotificationDelivery,
    PollState,
    UserSettings,
)
from bot.db.polling import Claim, PollTarget, claim_and_read, read_targets, release_leases
from bot.db.repositories import settings_for
from bot.db.session import session_scope
from bot.domain.notifications import NotificationPrefs
from bot.domain.tasks import TaskRef
from bot.services.messenger import Messenger
from bot.services.notification_feed import fetch_new
from bot.ui import notifications as ui

if TYPE_CHECKING:
    from bot.domain.links import LinkInfo
    from bot.services.container import ServiceContainer

log = logging.getLogger(__name__)

BATCH = 50
CONCURRENCY = 20  # polls in flight per process; the HTTP pool holds 100
PAGE_SIZE = 50
MAX_PAGES = 5
HISTORY_PAGES = 5
MAX_BACKOFF = timedelta(hours=1)
# A tick also takes links falling due this fraction of an interval after its start: ticks
# start a little late by varying amounts, and a link must not miss one for being due a few
# milliseconds after it began.
EARLY = 0.1
# At Slack's 1 DM per second per channel, 20 take 20 s; with the workspace budget (4/s)
# shared by CONCURRENCY polls, at most about 100 s: well within the 5-minute minimum lease.
DMS_PER_POLL = 20
DIGEST_PERIOD = timedelta(hours=1)
CATEGORIES = {
    "assignment": "assignment",
    "mention": "mention",
    "comment": "comment",
    "reply": "comment",
    "status_change": "status_change",
    "status change": "status_change",
}


class LeaseLost(Exception):
    """Another poller took the link over (this poll outlasted its lease): post nothing more."""


def category(kind: str | None) -> str:
    return CATEGORIES.get((kind or "").lower(), "other")


def prefs_of(row: UserSettings) -> NotificationPrefs:
    return NotificationPrefs(
        enabled=row.notifications_enabled,
        type_modes=dict(row.type_modes),
        quiet_start=row.quiet_start,
        quiet_end=row.quiet_end,
        skip_own_actions=row.skip_own_actions,
        mark_read_on_delivery=row.mark_read_on_delivery,
        timer_limit_minutes=row.timer_limit_minutes,
        workday_end=row.workday_end,
    )


def in_quiet_hours(prefs: NotificationPrefs, now: datetime, zone: ZoneInfo) -> bool:
    if not (prefs.quiet_start and prefs.quiet_end) or prefs.quiet_start == prefs.quiet_end:
        return False
    local = now.astimezone(zone).time()
    start, end = time.fromisoformat(prefs.quiet_start), time.fromisoformat(prefs.quiet_end)
    return start <= local < end if start < end else local >= start or local < end


@dataclass(frozen=True)
class Routing:
    """Where one notification goes; `held_for` is "quiet" or "digest" when held."""

    status: DeliveryStatus
    held_for: str | None = None


@dataclass
class Rules:
    prefs: NotificationPrefs
    own_user_id: int | None
    muted_task_ids: frozenset[int]
    digest_project_ids: frozenset[int]
    quiet: bool

    def route(self, n: NotificationDto) -> Routing:
        mode = self.prefs.mode(category(n.type))
        if (
            not self.prefs.enabled
            or mode == "off"
            or n.task_id in self.muted_task_ids
            or (
                self.prefs.skip_own_actions
                and n.actor is not None
                and n.actor.user_id is not None
                and n.actor.user_id == self.own_user_id
            )
        ):
            return Routing(DeliveryStatus.SKIPPED)
        if self.quiet:
            return Routing(DeliveryStatus.HELD, "quiet")
        if mode == "digest" or n.project_id in self.digest_project_ids:
            return Routing(DeliveryStatus.HELD, "digest")
        return Routing(DeliveryStatus.PENDING)


def _payload(n: NotificationDto, **extra: Any) -> dict[str, Any]:
    return {"notification": n.model_dump(mode="json", by_alias=True), **extra}


def _restore(payload: dict[str, Any] | None, notification_id: int) -> NotificationDto:
    if payload and "notification" in payload:
        return NotificationDto.model_validate(payload["notification"])
    return NotificationDto(notification_id=notification_id)


class NotificationService:
    def __init__(self, services: ServiceContainer) -> None:
        self.services = services
        self.runtime = services.runtime
        self.interval = timedelta(seconds=self.runtime.settings.notify_poll_seconds)
        self.lease = max(timedelta(minutes=5), self.interval * 5)
        self.dms_per_poll = DMS_PER_POLL
        self.owner = f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._targets: dict[int, PollTarget] = {}  # claimed, read, not yet polled
        self._unchanged: list[int] = []  # polled, nothing changed, lease not yet given back
        settings = self.runtime.settings
        # Its own client, without the shared one's rate-limit retries: the Messenger paces.
        self.messenger = Messenger(
            AsyncWebClient(
                token=settings.slack_bot_token, base_url=settings.slack_api_url, timeout=10
            )
        )

    @property
    def slack(self) -> AsyncWebClient:
        return self.messenger.client

    # ---- the tick ------------------------------------------------------------------------

    @metrics.timed_poll_cycle
    async def tick(self) -> int:
        """Poll every link that was due when the tick began, once; returns how many.

        Workers take claimed links from a short queue while the next batch is claimed, so a
        slow poll never holds up a whole batch; links falling due during the tick wait for the
        next one, so a tick always ends even when a pass takes longer than the interval.
        A polled link is due again one interval after the tick began, not after its poll
        ended: the scheduler ticks once per interval, so each link is polled once per tick.
        """
        started = utcnow()
        due_again = started + self.interval
        queue: asyncio.Queue[int | None] = asyncio.Queue(maxsize=BATCH)
        polled = 0

        async def worker() -> None:
            nonlocal polled
            while (link_id := await queue.get()) is not None:
                await self.poll_link(link_id, due_again)
                polled += 1

        workers = [asyncio.create_task(worker()) for _ in range(CONCURRENCY)]
        try:
            while True:
                claimed = await self.claim(
                    BATCH, due_by=started + self.interval * EARLY, due_again=due_again
                )
                for link_id in claimed:
                    await queue.put(link_id)
                if len(claimed) < BATCH:
                    break
        finally:
            for _ in workers:
                await queue.put(None)
            await asyncio.gather(*workers)
            self._targets.clear()  # any claimed but not polled (a cancelled tick) lapse
            await self._release_unchanged()
        return polled

    async def claim(
        self, limit: int, *, due_by: datetime | None = None, due_again: datetime | None = None
    ) -> list[int]:
        """Lease up to `limit` active links due by `due_by` (now) and read what their polls
        need, in one transaction (bot/db/polling.py); next poll at `due_again`."""
        now = utcnow()
        due_again = due_again or now + self.interval
        # The lease lasts until shortly before the link is due again (a writing poll renews it).
        lease = max(due_again - self.interval * EARLY, now + self.interval * EARLY)
        claimed, targets = await claim_and_read(
            self.runtime.sessions,
            Claim(self.owner, limit, now, due_by or now, due_again, min(now + self.lease, lease)),
        )
        self._targets.update(targets)
        return claimed

    async def poll_link(self, link_id: int, due_again: datetime | None = None) -> None:
        """One user's poll, due again at `due_again` (one interval from now by default); its
        failure backs that user off and touches no one else."""
        error: str | None = None
        target = self._targets.pop(link_id, None)
        try:
            if target is None:  # not claimed by a tick (a direct call)
                async with self.runtime.sessions() as session:
                    target = (await read_targets(session, [link_id])).get(link_id)
            if target is not None and target.link.status == LinkStatus.ACTIVE:
                with self.services.tokens.reading(target.link):  # its token: from this row
                    await self._poll(target)
        except LeaseLost:
            log.info("notifications: link %s was taken over by another poller", link_id)
        except Exception as exc:  # one user's failure must never stop the tick
            error = _describe(exc)
            log.warning(
                "notifications: poll of link %s failed: %s",
                link_id,
                error,
                exc_info=not isinstance(exc, AstravueError),
            )
        if error is not None or target is None or target.had_failed:
            await self._release(link_id, error, due_again)
            return
        # Nothing changed: the claim set the next poll; the lease goes back with a batch.
        self._unchanged.append(link_id)
        if len(self._unchanged) >= BATCH or due_again is None:
            await self._release_unchanged()

    async def _release_unchanged(self) -> None:
        ids, self._unchanged = self._unchanged, []
        if ids:
            async with session_scope(self.runtime.sessions) as session:
                await release_leases(session, self.owner, ids)

    async def _release(self, link_id: int, error: str | None, due_again: datetime | None) -> None:
        now = utcnow()
        async with session_scope(self.runtime.sessions) as session:
            poll = await session.get(PollState, link_id)
            if poll is None or poll.lease_owner != self.owner:
                return  # disconnected meanwhile, or the lease was lost
            poll.lease_owner, poll.lease_expires_at = None, None
            poll.last_polled_at = now
            poll.last_error = error[:300] if error else None
            poll.failures = poll.failures + 1 if error else 0
            poll.next_poll_at = (
                now + min(self.interval * 2**poll.failures, MAX_BACKOFF)
                if error
                else due_again or now + self.interval
            )

    async def _hold_lease(self, session: Any, link_id: int) -> None:
        """Renew this poller's lease on the link within `session`'s transaction, or raise
        LeaseLost. One conditional UPDATE: a concurrent claim waits for it (a row lock on
        PostgreSQL, the write lock on SQLite) and then finds the lease held."""
        renewed = await session.execute(
            update(PollState)
            .where(PollState.link_id == link_id, PollState.lease_owner == self.owner)
            .values(lease_expires_at=utcnow() + self.lease)
        )
        if not renewed.rowcount:
            raise LeaseLost(link_id)

    async def _renew_lease(self, link_id: int) -> None:
        async with session_scope(self.runtime.sessions) as session:
            await self._hold_lease(session, link_id)

    async def _claim_row(self, link_id: int, notification_id: int) -> None:
        """Just before a DM goes out: the lease is still ours (renewed) and the row pending."""
        async with session_scope(self.runtime.sessions) as session:
            await self._hold_lease(session, link_id)
            status = await session.scalar(
                select(NotificationDelivery.status).where(
                    NotificationDelivery.link_id == link_id,
                    NotificationDelivery.notification_id == notification_id,
                )
            )
        if status != DeliveryStatus.PENDING:
            raise LeaseLost(link_id)

    # ---- one link ------------------------------------------------------------------------

    async def _poll(self, target: PollTarget) -> None:
        from bot.services.container import link_info

        info = link_info(target.link)
        cursor, initialized, channel = target.cursor, target.initialized, target.link.dm_channel_id
        # Rows left pending (a crash) or held (a digest): none in the usual poll, which then
        # skips the reconcile, delivery and digest queries below.
        unfinished = target.unfinished
        client = self.services.astravue(info)
        channel = channel or await self._open_dm(info)
        if unfinished:
            await self._reconcile(info.id, channel)
        fresh = await self._fetch_new(client, cursor)
        if not initialized:
            await self._first_poll(info, channel, fresh)
            return
        if not (fresh or unfinished):
            return
        row = target.settings
        if row is None:
            async with session_scope(self.runtime.sessions) as session:
                row = await settings_for(session, info.team_id, info.slack_user_id)
        prefs, muted = prefs_of(row), frozenset(row.muted_task_ids)
        digest_projects = frozenset(row.digest_project_ids)
        zone = (await self.services.profiles.get(info.slack_user_id)).zone
        rules = Rules(
            prefs,
            info.astravue_user_id,
            muted,
            digest_projects,
            in_quiet_hours(prefs, utcnow(), zone),
        )
        await self._record(info.id, fresh, rules)
        sent = await self._deliver_pending(info, channel, client)
        if sent and prefs.mark_read_on_delivery:
            await client.notifications.mark_read(notification_ids=sent)
        if not rules.quiet:
            await self._flush_digest(info.id, channel)

    async def _open_dm(self, link: LinkInfo) -> str:
        opened = await self.slack.conversations_open(users=link.slack_user_id)
        channel = str(opened["channel"]["id"])
        async with session_scope(self.runtime.sessions) as session:
            await session.execute(
                update(AstravueLink).where(AstravueLink.id == link.id).values(dm_channel_id=channel)
            )
        return channel

    async def _fetch_new(self, client: AstravueClient, cursor: int | None) -> list[NotificationDto]:
        """Notifications newer than the cursor, oldest first, whatever the API's order."""
        return await fetch_new(client, cursor, page_size=PAGE_SIZE, max_pages=MAX_PAGES)

    async def _first_poll(
        self, link: LinkInfo, channel: str, existing: list[NotificationDto]
    ) -> None:
        """What is already there counts as seen; at most one summary DM."""
        async with session_scope(self.runtime.sessions) as session:
            await self._hold_lease(session, link.id)
            poll = await session.get(PollState, link.id)
            if poll is None or poll.initialized:
                return
            await self._insert_rows(
                session, link.id, [(n, DeliveryStatus.SKIPPED, None) for n in existing]
            )
            poll.initialized = True
            poll.last_seen_id = _advance(poll.last_seen_id, existing)
        unread = sum(1 for n in existing if not n.read)
        if unread:
            await self.messenger.post(channel, ui.summary_dm(unread))

    async def _record(self, link_id: int, fresh: list[NotificationDto], rules: Rules) -> None:
        """Ledger rows for new notifications, and the cursor, in one transaction."""
        if not fresh:
            return
        rows = []
        for n in fresh:
            routing = rules.route(n)
            payload = (
                None
                if routing.status == DeliveryStatus.SKIPPED
                else _payload(n, held_for=routing.held_for)
            )
            rows.append((n, routing.status, payload))
        async with session_scope(self.runtime.sessions) as session:
            await self._hold_lease(session, link_id)
            await self._insert_rows(session, link_id, rows)
            poll = await session.get(PollState, link_id)
            if poll is not None:
                poll.last_seen_id = _advance(poll.last_seen_id, fresh)

    @staticmethod
    async def _insert_rows(
        session: Any,
        link_id: int,
        rows: list[tuple[NotificationDto, DeliveryStatus, dict[str, Any] | None]],
    ) -> None:
        known = set(
            (
                await session.scalars(
                    select(NotificationDelivery.notification_id).where(
                        NotificationDelivery.link_id == link_id,
                        NotificationDelivery.notification_id.in_(
                            [n.notification_id for n, _, _ in rows]
                        ),
                    )
                )
            ).all()
        )
        for n, status, payload in rows:
            if n.notification_id not in known:
                session.add(
                    NotificationDelivery(
                        link_id=link_id,
                        notification_id=n.notification_id,
                        status=status,
                        task_id=n.task_id,
                        project_id=n.project_id,
                        payload=payload,
                    )
                )
        await session.flush()

    # ---- exactly-once delivery -----------------------------------------------------------

    async def _reconcile(self, link_id: int, channel: str) -> None:
        """Pending rows found before posting were left by a crash: were they posted?"""
        async with self.runtime.sessions() as session:
            pending = (
                await session.scalars(
                    select(NotificationDelivery).where(
                        NotificationDelivery.link_id == link_id,
                        NotificationDelivery.status == DeliveryStatus.PENDING,
                    )
                )
            ).all()
        if not pending:
            return
        oldest = min(row.created_at for row in pending) - timedelta(minutes=5)
        posted = await self._posted_ids(channel, link_id, oldest)
        found = {
            row.notification_id: posted[row.notification_id]
            for row in pending
            if row.notification_id in posted
        }
        if found:
            log.info(
                "notifications: link %s: %d pending DM(s) were already posted", link_id, len(found)
            )
            async with session_scope(self.runtime.sessions) as session:
                for notification_id, ts in found.items():
                    await self._mark_sent(session, link_id, notification_id, channel, ts)

    async def _posted_ids(self, channel: str, link_id: int, oldest: datetime) -> dict[int, str]:
        """notification id -> ts of our DMs in the channel since `oldest`."""
        posted: dict[int, str] = {}
        cursor: str | None = None
        for _ in range(HISTORY_PAGES):
            reply = await self.slack.conversations_history(
                channel=channel,
                oldest=f"{oldest.timestamp():.6f}",
                limit=200,
                include_all_metadata=True,
                cursor=cursor,
            )
            for msg in reply.get("messages") or []:
                meta = msg.get("metadata") or {}
                body = meta.get("event_payload") or {}
                if (
                    meta.get("event_type") == ui.EVENT_TYPE
                    and body.get("link_id") == link_id
                    and "notification_id" in body
                ):
                    posted[int(body["notification_id"])] = str(msg["ts"])
            cursor = (reply.get("response_metadata") or {}).get("next_cursor")
            if not reply.get("has_more") or not cursor:
                break
        return posted

    async def _deliver_pending(
        self, link: LinkInfo, channel: str, client: AstravueClient
    ) -> list[int]:
        """The oldest `dms_per_poll` pending rows; the rest wait for the next poll."""
        async with self.runtime.sessions() as session:
            pending = (
                await session.scalars(
                    select(NotificationDelivery)
                    .where(
                        NotificationDelivery.link_id == link.id,
                        NotificationDelivery.status == DeliveryStatus.PENDING,
                    )
                    .order_by(NotificationDelivery.notification_id)
                    .limit(self.dms_per_poll)
                )
            ).all()
        sent: list[int] = []
        cards = CardBuilder(client, self.runtime.settings.astravue_app_url)
        for row in pending:
            card = await cards.build(_restore(row.payload, row.notification_id))
            metadata = {
                "event_type": ui.EVENT_TYPE,
                "event_payload": {"notification_id": row.notification_id, "link_id": link.id},
            }
            ts = await self.messenger.post(
                channel,
                ui.notification_dm(card),
                metadata,
                before_send=partial(self._claim_row, link.id, row.notification_id),
            )
            async with session_scope(self.runtime.sessions) as session:
                await self._mark_sent(session, link.id, row.notification_id, channel, ts)
            sent.append(row.notification_id)
        return sent

    @staticmethod
    async def _mark_sent(
        session: Any, link_id: int, notification_id: int, channel: str, ts: str
    ) -> None:
        now = utcnow()
        await session.execute(
            update(NotificationDelivery)
            .where(
                NotificationDelivery.link_id == link_id,
                NotificationDelivery.notification_id == notification_id,
            )
            .values(status=DeliveryStatus.SENT, channel_id=channel, message_ts=ts, sent_at=now)
        )
        await session.execute(
            update(PollState).where(PollState.link_id == link_id).values(last_delivery_at=now)
        )

    # ---- digests -------------------------------------------------------------------------

    async def _flush_digest(self, link_id: int, channel: str) -> None:
        """Held rows become one DM when quiet hours are over or the digest period has passed.

        The rows are tagged with a digest key (committed) before the post, so a crash after
        posting is found in the history by that key rather than posted twice."""
        now = utcnow()
        async with self.runtime.sessions() as session:
            held = (
                await session.scalars(
                    select(NotificationDelivery)
                    .where(
                        NotificationDelivery.link_id == link_id,
                        NotificationDelivery.status == DeliveryStatus.HELD,
                    )
                    .order_by(NotificationDelivery.notification_id)
                )
            ).all()
        if not held:
            return
        started = {(row.payload or {}).get("digest_key") for row in held} - {None}
        due = (
            started
            or any((row.payload or {}).get("held_for") == "quiet" for row in held)
            or min(row.created_at for row in held) <= now - DIGEST_PERIOD
        )
        if not due:
            return
        if started:
            posted = await self._posted_digests(
                channel, link_id, min(row.created_at for row in held)
            )
            held = [row for row in held if (row.payload or {}).get("digest_key") not in posted]
            await self._mark_digested(
                link_id,
                [r.notification_id for r in held if (r.payload or {}).get("digest_key") in posted],
                channel,
                None,
            )
        if not held:
            return
        key = f"{held[0].notification_id}-{held[-1].notification_id}"
        ids = [row.notification_id for row in held]
        async with session_scope(self.runtime.sessions) as session:
            await self._hold_lease(session, link_id)
            for row in held:
                await session.execute(
                    update(NotificationDelivery)
                    .where(NotificationDelivery.id == row.id)
                    .values(payload={**(row.payload or {}), "digest_key": key})
                )
        metadata = {
            "event_type": ui.DIGEST_EVENT_TYPE,
            "event_payload": {"link_id": link_id, "digest_key": key},
        }
        ts = await self.messenger.post(
            channel,
            ui.digest_dm([_restore(row.payload, row.notification_id) for row in held]),
            metadata,
            before_send=partial(self._renew_lease, link_id),
        )
        await self._mark_digested(link_id, ids, channel, ts)

    async def _posted_digests(self, channel: str, link_id: int, oldest: datetime) -> set[str]:
        reply = await self.slack.conversations_history(
            channel=channel,
            oldest=f"{(oldest - timedelta(minutes=5)).timestamp():.6f}",
            limit=200,
            include_all_metadata=True,
        )
        keys = set()
        for msg in reply.get("messages") or []:
            meta = msg.get("metadata") or {}
            body = meta.get("event_payload") or {}
            if meta.get("event_type") == ui.DIGEST_EVENT_TYPE and body.get("link_id") == link_id:
                keys.add(str(body.get("digest_key")))
        return keys

    async def _mark_digested(
        self, link_id: int, ids: list[int], channel: str, ts: str | None
    ) -> None:
        if not ids:
            return
        async with session_scope(self.runtime.sessions) as session:
            await session.execute(
                update(NotificationDelivery)
                .where(
                    and_(
                        NotificationDelivery.link_id == link_id,
                        NotificationDelivery.notification_id.in_(ids),
                    )
                )
                .values(
                    status=DeliveryStatus.DIGESTED,
                    channel_id=channel,
                    message_ts=ts,
                    sent_at=utcnow(),
                )
            )

    # ---- what listeners call -------------------------------------------------------------

    async def prefs(self, team_id: str, user_id: str) -> NotificationPrefs:
        async with session_scope(self.runtime.sessions) as session:
            return prefs_of(await settings_for(session, team_id, user_id))

    async def save_prefs(self, team_id: str, user_id: str, prefs: NotificationPrefs) -> None:
        async with session_scope(self.runtime.sessions) as session:
            row = await settings_for(session, team_id, user_id)
            row.notifications_enabled = prefs.enabled
            row.type_modes = dict(prefs.type_modes)
            row.quiet_start, row.quiet_end = prefs.quiet_start, prefs.quiet_end
            row.skip_own_actions = prefs.skip_own_actions
            row.mark_read_on_delivery = prefs.mark_read_on_delivery
            row.timer_limit_minutes = prefs.timer_limit_minutes
            row.workday_end = prefs.workday_end

    async def mute_task(self, team_id: str, user_id: str, task_id: int) -> None:
        async with session_scope(self.runtime.sessions) as session:
            row = await settings_for(session, team_id, user_id)
            row.muted_task_ids = sorted({*row.muted_task_ids, task_id})

    async def digest_project(self, team_id: str, user_id: str, project_id: int) -> None:
        async with session_scope(self.runtime.sessions) as session:
            row = await settings_for(session, team_id, user_id)
            row.digest_project_ids = sorted({*row.digest_project_ids, project_id})

    async def card(self, link: LinkInfo, notification_id: int) -> ui.NotificationCard:
        """The card of a notification already delivered (for updating its DM)."""
        async with self.runtime.sessions() as session:
            row = (
                await session.scalars(
                    select(NotificationDelivery).where(
                        NotificationDelivery.link_id == link.id,
                        NotificationDelivery.notification_id == notification_id,
                    )
                )
            ).one_or_none()
        return await CardBuilder(
            self.services.astravue(link), self.runtime.settings.astravue_app_url
        ).build(_restore(row.payload if row else None, notification_id))

    async def listing(self, link: LinkInfo, *, only_unread: bool) -> list[NotificationDto]:
        client = self.services.astravue(link)
        found = []
        async for n in client.notifications.iter(
            size=PAGE_SIZE, read=False if only_unread else None
        ):
            found.append(n)
            if len(found) > ui.LIST_LIMIT:
                break
        return found


def _advance(cursor: int | None, seen: list[NotificationDto]) -> int | None:
    """The cursor never moves backwards."""
    ids = [n.notification_id for n in seen]
    return max([*ids, *([cursor] if cursor is not None else [])], default=None)


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


class CardBuilder:
    """Task title, project and link for DMs; failures leave them out, never the DM."""

    def __init__(self, client: AstravueClient, app_url: str) -> None:
        self.client = client
        self.app_url = app_url.rstrip("/")
        self._projects: dict[tuple[int, int], str | None] = {}

    async def build(self, n: NotificationDto) -> ui.NotificationCard:
        if n.task_id is None:
            return ui.NotificationCard(n)
        ref = (
            TaskRef(n.task_id, n.space_id, n.project_id)
            if n.project_id is not None and n.space_id is not None
            else TaskRef(n.task_id)
        )
        title = project = None
        try:
            if ref.personal:
                task = await self.client.tasks.get(task_id=n.task_id)
            else:
                assert ref.space_id is not None and ref.project_id is not None
                task = await self.client.project_tasks.get(
                    space_id=ref.space_id, project_id=ref.project_id, task_id=n.task_id
                )
                project = await self._project(ref.space_id, ref.project_id)
            title = task.task_title
        except AstravueError as exc:
            log.info(
                "notification %s: task %s not loaded (%s)",
                n.notification_id,
                n.task_id,
                type(exc).__name__,
            )
        return ui.NotificationCard(n, title, project, ref, f"{self.app_url}/tasks/{n.task_id}")

    async def _project(self, space_id: int, project_id: int) -> str | None:
        key = (space_id, project_id)
        if key not in self._projects:
            try:
                found = await self.client.projects.get(space_id=space_id, project_id=project_id)
                self._projects[key] = found.project_name
            except AstravueError:
                self._projects[key] = None
        return self._projects[key]
