"""The notification poller: claim due links, fetch, deliver each notification exactly once.

Exactly once: a `pending` row (unique per link and notification) is
committed before the DM is posted with metadata naming the notification, then marked `sent`
with the ts. A `pending` row met again was left by a crash: the DM channel's history is
searched for that metadata before anything is posted again.

The link's lease is what keeps two pollers from posting the same row: every write of the
ledger and every post is preceded by a conditional renewal of the lease that fails once
another poller has taken the link, and that poll then stops. That holds while one post
takes less than a lease (the Slack client gives up after 10 s; a lease is 30 s or more, and a
live poller renews its leases while its tick runs, see bot/services/poll_leases.py).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

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
)
from bot.db.polling import PollTarget, read_targets
from bot.db.repositories import settings_for
from bot.db.session import session_scope
from bot.domain.links import LinkInfo
from bot.services.astravue_access import AstravueAccess
from bot.services.claimed_polls import poll_claimed
from bot.services.delivery_ledger import (
    Row,
    insert_rows,
    mark_digested,
    mark_sent,
    payload_of,
    restore,
    rows_in,
)
from bot.services.links import link_info
from bot.services.notification_cards import CardBuilder
from bot.services.notification_feed import fetch_new
from bot.services.notification_outbox import NotificationOutbox
from bot.services.notification_rules import Rules, in_quiet_hours, prefs_of
from bot.services.poll_leases import EARLY, LeaseLost, PollLeases
from bot.services.zones import UserZones
from bot.slack.clients import TeamNotInstalled
from bot.slack.team_clients import acting_for

log = logging.getLogger(__name__)

BATCH = 50
CONCURRENCY = 20  # polls in flight per process; the HTTP pool holds 100
PAGE_SIZE = 50
MAX_PAGES = 5
# At Slack's 1 DM per second per channel, 20 take 20 s; with the workspace budget (4/s)
# shared by CONCURRENCY polls, at most about 100 s: a backlog is spread over several polls.
DMS_PER_POLL = 20
DIGEST_PERIOD = timedelta(hours=1)


class NotificationPoller:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        astravue: AstravueAccess,
        zones: UserZones,
        outbox: NotificationOutbox,
        leases: PollLeases,
        *,
        interval_seconds: float,
        app_url: str,
    ) -> None:
        self.sessions = sessions
        self.astravue = astravue
        self.zones = zones
        self.outbox = outbox
        self.app_url = app_url
        self.interval = timedelta(seconds=interval_seconds)
        self.leases = leases
        self.dms_per_poll = DMS_PER_POLL
        self._targets: dict[int, PollTarget] = {}  # claimed, read, not yet polled
        self._unchanged: list[int] = []  # polled, nothing changed, lease not yet given back

    # ---- the tick ------------------------------------------------------------------------

    @metrics.timed_poll_cycle
    async def tick(self) -> int:
        """Poll every link that was due when the tick began, once; returns how many.

        The links are claimed in batches and polled a few at a time (bot.services.claimed_polls).
        A polled link is due again one interval after the tick began, not after its poll
        ended: ticks come at least once per interval, so each link is polled once per interval.
        """
        started = utcnow()
        due_again = started + self.interval

        async def poll(link_id: int) -> None:
            await self.poll_link(link_id, due_again)

        async def claim_batch() -> tuple[int, list[int]]:
            claimed, targets = await self.leases.claim_and_read(
                BATCH, due_by=started + self.interval * EARLY
            )
            self._targets.update(targets)
            return len(claimed), claimed

        async with self.leases.kept_alive():
            try:
                return await poll_claimed(
                    claim_batch,
                    poll,
                    batch=BATCH,
                    concurrency=CONCURRENCY,
                )
            finally:
                self.leases.let_lapse(self._targets)  # claimed, not polled: a cancelled tick
                self._targets.clear()
                await self._release_unchanged(due_again)

    @property
    def tick_seconds(self) -> float:
        """How often the scheduler ticks: every interval, and often enough that a dead
        poller's claims are taken over within about a lease."""
        return min(self.interval, self.leases.lease / 2).total_seconds()

    async def poll_link(self, link_id: int, due_again: datetime | None = None) -> None:
        """One user's poll, due again at `due_again` (one interval from now by default); its
        failure backs that user off and touches no one else."""
        error: str | None = None
        target = self._targets.pop(link_id, None)
        try:
            if target is None:  # not claimed by a tick (a direct call)
                async with self.sessions() as session:
                    target = (await read_targets(session, [link_id])).get(link_id)
            if target is not None and target.link.status == LinkStatus.ACTIVE:
                with self.astravue.tokens.reading(target.link):  # its token: from this row
                    await self._poll(target)
        except LeaseLost:
            log.info("notifications: link %s was taken over by another poller", link_id)
        except TeamNotInstalled as exc:
            log.info("notifications: link %s: no installation for team %s", link_id, exc.team_id)
        except Exception as exc:  # one user's failure must never stop the tick
            error = _describe(exc)
            log.warning(
                "notifications: poll of link %s failed: %s",
                link_id,
                error,
                exc_info=not isinstance(exc, AstravueError),
            )
        if error is not None or target is None or target.had_failed:
            await self.leases.release(link_id, error, due_again)
            return
        if due_again is None:  # a direct call: nothing to batch with
            await self.leases.release_unchanged([link_id], utcnow() + self.interval)
            return
        # Nothing to write of its own: the lease goes back, and the next poll is set, in a batch.
        self._unchanged.append(link_id)
        if len(self._unchanged) >= BATCH:
            await self._release_unchanged(due_again)

    async def _release_unchanged(self, due_again: datetime) -> None:
        ids, self._unchanged = self._unchanged, []
        await self.leases.release_unchanged(ids, due_again)

    # ---- one link ------------------------------------------------------------------------

    async def _poll(self, target: PollTarget) -> None:
        info = link_info(target.link)
        cursor, initialized, channel = target.cursor, target.initialized, target.link.dm_channel_id
        # Rows left pending (a crash) or held (a digest): none in the usual poll, which then
        # skips the reconcile, delivery and digest queries below.
        unfinished = target.unfinished
        client = self.astravue(info)
        channel = channel or await self._open_dm(info)
        if unfinished:
            await self._reconcile(info, channel)
        fresh = await fetch_new(client, cursor, page_size=PAGE_SIZE, max_pages=MAX_PAGES)
        if not initialized:
            await self._first_poll(info, channel, fresh)
            return
        if not (fresh or unfinished):
            return
        row = target.settings
        if row is None:
            async with session_scope(self.sessions) as session:
                row = await settings_for(session, info.team_id, info.slack_user_id)
        prefs, muted = prefs_of(row), frozenset(row.muted_task_ids)
        digest_projects = frozenset(row.digest_project_ids)
        acting_for(info.team_id)  # distributed mode: users.info with this team's token
        zone = await self.zones.zone(info.slack_user_id)
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
            await self._flush_digest(info, channel)

    async def _open_dm(self, link: LinkInfo) -> str:
        channel = await self.outbox.open_dm(link.team_id, link.slack_user_id)
        async with session_scope(self.sessions) as session:
            await session.execute(
                update(AstravueLink).where(AstravueLink.id == link.id).values(dm_channel_id=channel)
            )
        return channel

    async def _first_poll(
        self, link: LinkInfo, channel: str, existing: list[NotificationDto]
    ) -> None:
        """What is already there counts as seen; at most one summary DM."""
        async with session_scope(self.sessions) as session:
            await self.leases.hold(session, link.id)
            poll = await session.get(PollState, link.id)
            if poll is None or poll.initialized:
                return
            await insert_rows(
                session, link.id, [(n, DeliveryStatus.SKIPPED, None) for n in existing]
            )
            poll.initialized = True
            poll.last_seen_id = _advance(poll.last_seen_id, existing)
        unread = sum(1 for n in existing if not n.read)
        if unread:
            await self.outbox.send_summary(link.team_id, channel, unread)

    async def _record(self, link_id: int, fresh: list[NotificationDto], rules: Rules) -> None:
        """Ledger rows for new notifications, and the cursor, in one transaction."""
        if not fresh:
            return
        rows: list[Row] = []
        for n in fresh:
            routing = rules.route(n)
            payload = (
                None
                if routing.status == DeliveryStatus.SKIPPED
                else payload_of(n, held_for=routing.held_for)
            )
            rows.append((n, routing.status, payload))
        async with session_scope(self.sessions) as session:
            await self.leases.hold(session, link_id)
            await insert_rows(session, link_id, rows)
            poll = await session.get(PollState, link_id)
            if poll is not None:
                poll.last_seen_id = _advance(poll.last_seen_id, fresh)

    # ---- exactly-once delivery -----------------------------------------------------------

    async def _reconcile(self, link: LinkInfo, channel: str) -> None:
        """Pending rows found before posting were left by a crash: were they posted?"""
        link_id = link.id
        pending = await rows_in(self.sessions, link_id, DeliveryStatus.PENDING)
        if not pending:
            return
        oldest = min(row.created_at for row in pending) - timedelta(minutes=5)
        posted = await self.outbox.posted_notifications(link.team_id, channel, link_id, oldest)
        found = {
            row.notification_id: posted[row.notification_id]
            for row in pending
            if row.notification_id in posted
        }
        if found:
            log.info(
                "notifications: link %s: %d pending DM(s) were already posted", link_id, len(found)
            )
            async with session_scope(self.sessions) as session:
                for notification_id, ts in found.items():
                    await mark_sent(session, link_id, notification_id, channel, ts)

    async def _deliver_pending(
        self, link: LinkInfo, channel: str, client: AstravueClient
    ) -> list[int]:
        """The oldest `dms_per_poll` pending rows; the rest wait for the next poll."""
        pending = await rows_in(
            self.sessions, link.id, DeliveryStatus.PENDING, limit=self.dms_per_poll
        )
        sent: list[int] = []
        cards = CardBuilder(client, self.app_url)
        for row in pending:
            card = await cards.build(restore(row.payload, row.notification_id))
            ts = await self.outbox.send_card(
                link.team_id,
                channel,
                card,
                link_id=link.id,
                before_send=partial(self.leases.claim_row, link.id, row.notification_id),
            )
            async with session_scope(self.sessions) as session:
                await mark_sent(session, link.id, row.notification_id, channel, ts)
            sent.append(row.notification_id)
        return sent

    # ---- digests -------------------------------------------------------------------------

    async def _flush_digest(self, link: LinkInfo, channel: str) -> None:
        """Held rows become one DM when quiet hours are over or the digest period has passed.

        The rows are tagged with a digest key (committed) before the post, so a crash after
        posting is found in the history by that key rather than posted twice."""
        now, link_id = utcnow(), link.id
        held = list(await rows_in(self.sessions, link_id, DeliveryStatus.HELD))
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
            posted = await self.outbox.posted_digests(
                link.team_id, channel, link_id, min(row.created_at for row in held)
            )
            held = [row for row in held if (row.payload or {}).get("digest_key") not in posted]
            await mark_digested(
                self.sessions,
                link_id,
                [r.notification_id for r in held if (r.payload or {}).get("digest_key") in posted],
                channel,
                None,
            )
        if not held:
            return
        key = f"{held[0].notification_id}-{held[-1].notification_id}"
        ids = [row.notification_id for row in held]
        async with session_scope(self.sessions) as session:
            await self.leases.hold(session, link_id)
            for row in held:
                await session.execute(
                    update(NotificationDelivery)
                    .where(NotificationDelivery.id == row.id)
                    .values(payload={**(row.payload or {}), "digest_key": key})
                )
        ts = await self.outbox.send_digest(
            link.team_id,
            channel,
            [restore(row.payload, row.notification_id) for row in held],
            link_id=link_id,
            digest_key=key,
            before_send=partial(self.leases.renew, link_id),
        )
        await mark_digested(self.sessions, link_id, ids, channel, ts)


def _advance(cursor: int | None, seen: list[NotificationDto]) -> int | None:
    """The cursor never moves backwards."""
    ids = [n.notification_id for n in seen]
    return max([*ids, *([cursor] if cursor is not None else [])], default=None)


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]
