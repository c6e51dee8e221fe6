"""Project feeds in words: channel posts (a change, the daily digest), the pause DM, and the
replies of `/astravue feed`, `feeds` and `unfeed`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.feed_changes import (
    Digest,
    FeedChange,
    FeedError,
    FeedTask,
    NotSubscribed,
    TooManyFeeds,
)
from bot.ui.components import (
    button,
    confirm_dialog,
    context,
    escape,
    header,
    message,
    section,
    truncate_escaped,
)
from bot.ui.words import plural, show_wire_day

REMOVE_ACTION = "feeds.remove"
DIGEST_LINES = 15
DIGEST_SECTION_BUDGET = 2800  # of a section's 3,000 characters, leaving room for the rest
USAGE = (
    "Usage: `/astravue feed <project> [#channel] [--digest 09:00 | --no-digest]` follows a "
    "project in a channel; `/astravue feeds` lists this channel's feeds; "
    "`/astravue unfeed <project>` stops one."
)


def _task_link(app_url: str, task: FeedTask) -> str:
    title = truncate_escaped(task.title or f"Task {task.task_id}", 150).replace("|", "¦")
    return f"<{app_url.rstrip('/')}/tasks/{task.task_id}|{title}>"


def _day(iso: str | None) -> str:
    """A due date is a calendar date: the same day in every reader's zone."""
    try:
        return show_wire_day(datetime.fromisoformat(iso) if iso else None, "no due date")
    except ValueError:
        return escape(iso[:10]) if iso else "no due date"


def _by(task: FeedTask) -> str:
    return f" by {escape(task.by)}" if task.by else ""


def change_post(post: dict[str, Any], app_url: str) -> dict[str, Any]:
    """One change of a followed project, as posted to the channel."""
    change = FeedChange.from_json(post["change"])
    task, project = change.task, escape(str(post.get("project") or ""))
    link = _task_link(app_url, task)
    owners = ", ".join(escape(n) for n in task.owner_names) or "nobody"
    match change.kind:
        case "created":
            line = f":new: {link} was created{_by(task)}"
            fallback = f"New task: {task.title}"
        case "completed":
            line = f":white_check_mark: {link} was completed{_by(task)}"
            fallback = f"Completed: {task.title}"
        case "reopened":
            line = f":leftwards_arrow_with_hook: {link} was reopened{_by(task)}"
            fallback = f"Reopened: {task.title}"
        case "assigned":
            added = ", ".join(escape(n) for n in change.added_owners) or owners
            line = f":bust_in_silhouette: {link} was assigned to {added}{_by(task)}"
            fallback = f"Assigned: {task.title}"
        case _:
            line = (
                f":calendar: {link} is now due {_day(task.due)} "
                f"(was {_day(change.previous_due)}){_by(task)}"
            )
            fallback = f"Due date changed: {task.title}"
    details = f"*{project}* · owners: {owners} · due {_day(task.due)}"
    return message(f"{post.get('project')}: {fallback}", [section(line), context(details)])


def digest_post(post: dict[str, Any], app_url: str) -> dict[str, Any]:
    digest = Digest.from_json(post["digest"])
    project = str(post.get("project") or "")
    blocks = [header(f"{project}: due today and overdue")]
    for title, tasks in (("Overdue", digest.overdue), ("Due today", digest.today)):
        if not tasks:
            continue
        lines: list[str] = []
        used = 0
        for t in tasks[:DIGEST_LINES]:
            owners = truncate_escaped(", ".join(t.owner_names) or "nobody", 80)
            line = f"• {_task_link(app_url, t)} · {_day(t.due)} · {owners}"
            if used + len(line) > DIGEST_SECTION_BUDGET:
                break
            lines.append(line)
            used += len(line) + 1
        if len(tasks) > len(lines):
            lines.append(f"…and {len(tasks) - len(lines)} more")
        blocks.append(section(f"*{title}* ({len(tasks)})\n" + "\n".join(lines)))
    fallback = f"{project}: {len(digest.overdue)} overdue, {len(digest.today)} due today"
    return message(fallback, blocks)


def paused_dm(post: dict[str, Any]) -> dict[str, Any]:
    feeds = post.get("feeds") or []
    names = ", ".join(
        f"*{escape(str(f.get('project')))}* in <#{escape(str(f.get('channel')))}>" for f in feeds
    )
    cause = (
        "your Astravue account was disconnected"
        if post.get("reason") == "removed"
        else "your Astravue connection stopped working"
    )
    return message(
        "Your project feeds are paused",
        [
            section(
                f":double_vertical_bar: Your project feeds are paused because {cause}: "
                f"{names}. They are read with your Astravue account, so nothing is posted "
                "until you reconnect. Run `/astravue connect` and they resume by themselves."
            )
        ],
    )


def render(post: dict[str, Any], app_url: str) -> dict[str, Any]:
    kind = post.get("kind")
    if kind == "digest":
        return digest_post(post, app_url)
    if kind == "paused":
        return paused_dm(post)
    return change_post(post, app_url)


# ---- command replies -------------------------------------------------------------------


def subscribed(
    project: str, channel_id: str, digest_time: str | None, created: bool
) -> dict[str, Any]:
    digest = (
        f"a digest of what is due today or overdue every day at {digest_time} (your time)"
        if digest_time
        else "no daily digest"
    )
    verb = "now follows" if created else "already followed; updated:"
    return message(
        f"Feed for {project}",
        [
            section(
                f":satellite_antenna: <#{escape(channel_id)}> {verb} *{escape(project)}*: new, "
                f"completed, reopened and assigned tasks and due date changes, and {digest}. "
                "It reads the project with your Astravue account. `/astravue feeds` lists "
                "this channel's feeds."
            )
        ],
    )


def announcement(user_id: str, project: str, digest_time: str | None) -> dict[str, Any]:
    """Posted in the channel when a feed starts (it also proves the app may post there)."""
    digest = f", and a daily digest at {digest_time}" if digest_time else ""
    return message(
        f"This channel now follows {project}",
        [
            section(
                f":satellite_antenna: <@{escape(user_id)}> subscribed this channel to "
                f"*{escape(project)}*: task changes will appear here{digest}."
            )
        ],
    )


def not_in_channel(channel_id: str) -> dict[str, Any]:
    return message(
        "Astravue is not in that channel",
        [
            section(
                f":warning: I can't post in <#{escape(channel_id)}> because I'm not a member. "
                "Add me with `/invite @Astravue` in that channel, then run the command again."
            )
        ],
    )


def channel_by_name(name: str) -> dict[str, Any]:
    return message(
        "Pick the channel",
        [
            section(
                f"I can't tell which channel `{escape(name[:80])}` is. Run the command in that "
                "channel (it is the default), or pick the channel from Slack's `#` "
                "autocomplete so it arrives as a link."
            )
        ],
    )


def feed_list(channel_id: str, feeds: list[Any]) -> dict[str, Any]:
    if not feeds:
        return message(
            "No feeds here",
            [
                section(
                    f"<#{escape(channel_id)}> follows no project. "
                    "`/astravue feed <project>` starts one."
                )
            ],
        )
    blocks = [header("Project feeds in this channel")]
    for feed in feeds:
        state = (
            " · :double_vertical_bar: paused (the subscriber must reconnect)"
            if feed.paused_at
            else ""
        )
        digest = f"digest at {feed.digest_time}" if feed.digest_time else "no digest"
        blocks.append(
            section(
                f"*{escape(feed.project_name)}* · by <@{escape(feed.subscriber_id)}> · "
                f"{digest}{state}",
                accessory=button(
                    "Remove",
                    REMOVE_ACTION,
                    str(feed.id),
                    style="danger",
                    confirm=confirm_dialog(
                        "Remove this feed?",
                        f"<#{escape(channel_id)}> stops following {escape(feed.project_name)}.",
                        "Remove",
                        danger=True,
                    ),
                ),
            )
        )
    return message(plural(len(feeds), "project feed"), blocks)


def removed(project: str, channel_id: str) -> dict[str, Any]:
    return message(
        f"Feed of {project} removed",
        [section(f"<#{escape(channel_id)}> no longer follows *{escape(project)}*.")],
    )


def already_removed() -> dict[str, Any]:
    return message("Already removed", [section("That feed was already removed.")])


def usage(problem: str | None = None) -> dict[str, Any]:
    text = f"{escape(problem)}\n{USAGE}" if problem else USAGE
    return message("How to use feeds", [section(text)])


def error(exc: FeedError) -> dict[str, Any]:
    match exc:
        case NotSubscribed(words=words):
            return message(
                "No such feed",
                [
                    section(
                        f"This channel doesn't follow a project called “{escape(words[:80])}”. "
                        "`/astravue feeds` lists its feeds."
                    )
                ],
            )
        case TooManyFeeds(limit=limit):
            return message(
                "Too many feeds",
                [section(f"A channel can follow at most {limit} projects. Remove one first.")],
            )
    return usage()
