"""`/astravue feed`, `feeds`, `unfeed` and the Remove button of the feed list."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError

from bot.domain.feed_changes import DIGEST_DEFAULT, FeedError, parse_clock
from bot.domain.links import LinkInfo
from bot.listeners.registration import Feature
from bot.listeners.router import Resolution
from bot.listeners.safe_lazy import Invocation
from bot.services.feeds import FeedSubscriptions
from bot.services.projects import ProjectInfo
from bot.ui import feeds as ui

log = logging.getLogger(__name__)

# Refusals that mean the app cannot post in the channel: it must be invited first.
NOT_A_MEMBER = frozenset({"not_in_channel", "channel_not_found", "is_archived"})
_CHANNEL_LINK = re.compile(r"^<#([CGD][A-Z0-9]+)(?:\|[^>]*)?>$")


@dataclass(frozen=True)
class FeedArgs:
    project: str
    channel: str | None = None  # an id; None: the current channel
    channel_name: str | None = None  # a bare "#name", which Slack sends unresolved
    digest: str | None = DIGEST_DEFAULT
    problem: str | None = None


def parse_feed_args(text: str) -> FeedArgs:
    """`<project words> [<#C1|name> | #name] [--digest HH:MM | --no-digest]`."""
    words = text.split()
    digest: str | None = DIGEST_DEFAULT
    rest: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if word.lower() == "--no-digest":
            digest = None
        elif word.lower() == "--digest":
            given = words[index + 1] if index + 1 < len(words) else ""
            digest = parse_clock(given)
            if digest is None:
                return FeedArgs("", problem=f"`--digest` needs a time like 09:00, not “{given}”.")
            index += 1
        elif word.lower().startswith("--digest="):
            digest = parse_clock(word.split("=", 1)[1])
            if digest is None:
                return FeedArgs("", problem="`--digest` needs a time like 09:00.")
        else:
            rest.append(word)
        index += 1
    channel = channel_name = None
    if rest and (found := _CHANNEL_LINK.match(rest[-1])):
        channel = found.group(1)
        rest.pop()
    elif len(rest) > 1 and rest[-1].startswith("#"):
        channel_name = rest.pop()
    project = " ".join(rest)
    if not project:
        return FeedArgs("", problem="Which project?")
    return FeedArgs(project, channel, channel_name, digest)


def _feeds(inv: Invocation) -> FeedSubscriptions:
    services = inv.services
    return FeedSubscriptions(services.sessions, services.tasks, services.zones)


async def _answering_feed_errors(inv: Invocation, work: Awaitable[None]) -> None:
    try:
        await work
    except FeedError as exc:
        await inv.reply(ui.error(exc))


async def feed_command(inv: Invocation, resolution: Resolution) -> None:
    args = parse_feed_args(resolution.args)
    if args.problem:
        await inv.reply(ui.usage(args.problem))
        return
    if args.channel_name:
        await inv.reply(ui.channel_by_name(args.channel_name))
        return
    channel = args.channel or inv.channel_id
    if not channel:
        await inv.reply(ui.usage("Run it in the channel that should follow the project."))
        return
    feeds = _feeds(inv)
    link = await inv.link()
    project = await feeds.project(link, args.project)  # only projects this user can see
    zone = await feeds.zone(link)
    await _answering_feed_errors(inv, _subscribe(inv, feeds, link, channel, project, args, zone))


async def _subscribe(
    inv: Invocation,
    feeds: FeedSubscriptions,
    link: LinkInfo,
    channel: str,
    project: ProjectInfo,
    args: FeedArgs,
    zone: str,
) -> None:
    info, created = await feeds.subscribe(
        link, channel, project, digest_time=args.digest, zone=zone
    )
    if created:
        try:
            await inv.client.chat_postMessage(
                channel=channel,
                **ui.announcement(inv.user_id, info.project_name, info.digest_time),
            )
        except SlackApiError as exc:
            await feeds.remove(inv.team_id, info.id)
            if exc.response.get("error") not in NOT_A_MEMBER:
                raise
            log.info("%s: not in channel %s; feed not created", inv.ids, channel)
            await inv.reply(ui.not_in_channel(channel))
            return
    log.info("%s: feed %s of project %s in %s", inv.ids, info.id, info.project_id, channel)
    await inv.reply(ui.subscribed(info.project_name, channel, info.digest_time, created))


async def feeds_command(inv: Invocation, resolution: Resolution) -> None:
    channel = inv.channel_id or ""
    await inv.reply(ui.feed_list(channel, await _feeds(inv).in_channel(inv.team_id, channel)))


async def unfeed_command(inv: Invocation, resolution: Resolution) -> None:
    if not resolution.args.strip():
        await inv.reply(ui.usage("Which project should this channel stop following?"))
        return
    channel = inv.channel_id or ""

    async def work() -> None:
        removed = await _feeds(inv).remove_named(inv.team_id, channel, resolution.args)
        log.info("%s: feed %s removed", inv.ids, removed.id)
        await inv.reply(ui.removed(removed.project_name, channel))

    await _answering_feed_errors(inv, work())


async def remove_clicked(inv: Invocation) -> None:
    value = str((inv.body.get("actions") or [{}])[0].get("value") or "")
    removed = (
        await _feeds(inv).remove(inv.team_id, int(value), channel_id=inv.channel_id)
        if value.isdecimal()
        else None
    )
    if removed is None:
        await inv.reply(ui.already_removed(), replace=True)
        return
    log.info("%s: feed %s removed", inv.ids, removed.id)
    await inv.reply(ui.removed(removed.project_name, removed.channel_id), replace=True)


FEATURE = Feature(
    commands={"feed": feed_command, "feeds": feeds_command, "unfeed": unfeed_command},
    actions_unlinked={ui.REMOVE_ACTION: remove_clicked},
)
