"""What every lazy listener runs inside: one `Invocation`, and errors turned into words.

Bolt only logs a lazy function's exception, in one line without traceback, and never calls
`@app.error` for it; `safe_lazy` logs it fully with the Slack ids and tells the user the cause
and the next step.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import metrics
from bot.astravue.budget import WAIT_OBSERVER
from bot.astravue.errors import AstravueError, ReauthorizationRequired
from bot.container import NotConnected, OrgMissing, ServiceContainer, working
from bot.db.models import LinkStatus
from bot.domain.errors import AmbiguousProject, AmbiguousTask, DomainError
from bot.domain.links import LinkInfo
from bot.listeners import audience
from bot.listeners.payloads import Payload
from bot.listeners.task_choices import choices_message
from bot.ui import account as account_ui
from bot.ui import shared as shared_ui
from bot.ui.errors import (
    UserFacingError,
    busy_notice,
    connect_prompt,
    describe,
    error_message,
)

log = logging.getLogger(__name__)


@dataclass
class Invocation:
    """One Slack request, as a lazy function sees it. Ids come from the payload, never from
    button values or private_metadata: the actor is who Slack says acted."""

    services: ServiceContainer
    client: AsyncWebClient
    body: dict[str, Any]
    context: AsyncBoltContext
    respond: AsyncRespond | None
    answered: bool = False  # a reply went out
    told_busy: bool = False  # the "will arrive in ~N s" notice went out
    # The acting user's link, read once per request: the linked-or-not gate and the command
    # both ask (three reads of one row were a third of a command's SQL, issue 18).
    _link: LinkInfo | None = field(default=None, init=False, repr=False)
    _link_read: bool = field(default=False, init=False, repr=False)

    @property
    def payload(self) -> Payload:
        """Typed access to the request body."""
        return Payload(self.body)

    @property
    def team_id(self) -> str:
        # An org-wide install keys links by the enterprise id (bot.slack.team_clients).
        team = self.context.get("link_team_id") or self.context.team_id or self.payload.team_id
        return str(team or "")

    @property
    def user_id(self) -> str:
        return str(self.context.user_id or "")

    @property
    def channel_id(self) -> str | None:
        return self.context.channel_id

    @property
    def trigger_id(self) -> str | None:
        return self.payload.trigger_id

    @property
    def ids(self) -> str:
        """For log lines: team, user and the action, callback or command."""
        payload = self.payload
        what = (
            payload.command
            or payload.view.get("callback_id")
            or ",".join(payload.action_ids)
            or payload.callback_id
            or payload.event.get("type")
        )
        return f"team={self.team_id} user={self.user_id} what={what}"

    async def link(self) -> LinkInfo:
        """The acting user's working link (else NotConnected), as it was when first read in
        this request: a listener that changes the link does not read it back."""
        return working(await self._read_link())

    async def linked(self) -> bool:
        link = await self._read_link()
        return link is not None and link.status == LinkStatus.ACTIVE

    async def _read_link(self) -> LinkInfo | None:
        if not self._link_read:
            self._link = await self.services.link(self.team_id, self.user_id)
            self._link_read = True
        return self._link

    @property
    def from_home(self) -> bool:
        """Made in the App Home tab, which is then on screen."""
        return self.payload.view.get("type") == "home"

    @property
    def may_replace(self) -> bool:
        """The clicked message may be rewritten for this user (bot.listeners.audience)."""
        return audience.may_replace(self.body, self.user_id)

    async def reply(
        self, payload: dict[str, Any], *, replace: bool = False, share: bool = False
    ) -> tuple[str, str] | None:
        """Answer the user: through the response_url when there is one, else ephemerally in
        the channel, else as a DM (App Home clicks have neither). `replace` rewrites the
        clicked message only when `may_replace`; otherwise the answer is the user's alone.
        A shared message records its author, so only they can rewrite it later, and carries
        no control that acts for them (bot.ui.shared). Returns `tell_privately`'s answer."""
        self.answered = True
        return await self._answer(payload, replace=replace, share=share)

    async def tell_busy(self, seconds: float) -> None:
        """The user's Astravue budget makes this request wait `seconds`: say so at once (once),
        unless the answer already went out or nobody waits for one (an event)."""
        if self.answered or self.told_busy or self.payload.event:
            return
        self.told_busy = True
        log.info("%s: waiting %.1f s for the Astravue budget; told the user", self.ids, seconds)
        await self._answer(busy_notice(seconds), replace=False, share=False)

    async def _answer(
        self, payload: dict[str, Any], *, replace: bool, share: bool
    ) -> tuple[str, str] | None:
        if replace and not self.may_replace:
            log.info(
                "%s: not rewriting a message someone else shared; answering privately", self.ids
            )
            replace = share = False
        if self.respond is not None and self.context.response_url:
            author = self.user_id if share else audience.author_of(self.body) if replace else None
            if share:
                payload = shared_ui.for_channel(payload, self.user_id)
            await self.respond(
                **payload,
                replace_original=replace,
                response_type="in_channel" if share else "ephemeral",
                metadata=audience.shared_by(author) if author else None,
            )
            return None
        return await self.tell_privately(payload, self.channel_id)

    async def tell_privately(
        self, payload: dict[str, Any], channel: str | None
    ) -> tuple[str, str] | None:
        """Ephemerally in `channel`; as a DM when there is none, it is a DM, or Slack refuses
        (e.g. the app is not in that channel). A DM's (channel, ts) is returned: unlike an
        ephemeral message, it can be edited later."""
        if channel and not channel.startswith("D"):
            try:
                await self.client.chat_postEphemeral(channel=channel, user=self.user_id, **payload)
                return None
            except SlackApiError as exc:
                log.info("ephemeral failed (%s); sending a DM", exc.response.get("error"))
        posted = await self.client.chat_postMessage(channel=self.user_id, **payload)
        dm, ts = posted.get("channel"), posted.get("ts")
        return (str(dm), str(ts)) if dm and ts else None

    async def connect_prompt(self, resume: str | None = None) -> None:
        """The connect button, to this user alone; `resume` (the command that asked for it)
        runs once they are connected. The response_url is kept (to say "Connected" in place
        of the prompt) only where what it replaces is theirs alone: a click in a shared
        message would otherwise turn it into "Connected as ..."."""
        keep = audience.only_clicker_sees(self.body)
        url = await self.services.linking.begin(
            team_id=self.team_id,
            slack_user_id=self.user_id,
            channel_id=self.channel_id,
            response_url=self.context.response_url if keep else None,
            command=resume,
        )
        await self.reply(connect_prompt(url, resume=resume))


LazyHandler = Callable[[Invocation], Awaitable[None]]


def safe_lazy(services: ServiceContainer, handler: LazyHandler) -> Callable[..., Awaitable[None]]:
    """Wrap a handler as a Bolt lazy function that never loses an error."""

    async def run(
        body: dict[str, Any],
        context: AsyncBoltContext,
        client: AsyncWebClient,
        respond: AsyncRespond,
    ) -> None:
        inv = Invocation(
            services=services, client=client, body=body, context=context, respond=respond
        )
        task = asyncio.current_task()
        in_flight = services.lazy_work  # shutdown waits for these (Runtime.close)
        in_flight.add(task)  # type: ignore[arg-type]  # always set inside a task
        waits_told = WAIT_OBSERVER.set(partial(_tell_busy, inv))
        try:
            await services.ack_gate.wait_for_acks()
            await metrics.timed_lazy(handler, inv)
        except Exception as exc:  # the one place lazy errors are caught, logged and explained
            await report_failure(inv, exc)
        finally:
            WAIT_OBSERVER.reset(waits_told)
            in_flight.discard(task)

    run.__name__ = f"lazy_{handler.__name__}"
    run.__qualname__ = run.__name__
    return run


async def _tell_busy(inv: Invocation, seconds: float) -> None:
    try:
        await inv.tell_busy(seconds)
    except Exception:  # the answer itself still follows; a lost notice is only logged
        log.exception("%s: could not tell the user to wait", inv.ids)


async def report_failure(inv: Invocation, exc: Exception) -> None:
    if isinstance(exc, UserFacingError | DomainError):
        log.info("%s: %s", inv.ids, describe(exc))
    elif isinstance(exc, NotConnected | ReauthorizationRequired):
        log.info("%s: not connected", inv.ids)
    elif isinstance(exc, OrgMissing):
        log.info("%s: organisation not set", inv.ids)
    elif isinstance(exc, AstravueError):
        log.warning("%s: Astravue error: %s", inv.ids, exc)
    else:
        log.exception("%s: listener failed", inv.ids)
    try:
        if isinstance(exc, NotConnected | ReauthorizationRequired):
            await inv.connect_prompt()
        elif isinstance(exc, OrgMissing):
            await inv.reply(account_ui.org_prompt())
        elif isinstance(exc, AmbiguousTask | AmbiguousProject):
            await inv.reply(choices_message(inv.body, exc))
        else:
            await inv.reply(error_message(exc))
    except Exception:  # telling the user failed too; the log already has the cause
        log.exception("%s: could not tell the user about the failure", inv.ids)
