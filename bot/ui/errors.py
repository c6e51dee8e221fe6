"""Every failure a user can meet, in words: what happened and what to do next."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from bot.astravue.errors import (
    AstravueConnectionError,
    AstravueError,
    AstravueTimeout,
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    RateLimited,
    ReauthorizationRequired,
    ResponseValidationError,
    ServerError,
    UnexpectedResponse,
)
from bot.domain import errors as domain
from bot.ui.components import actions, button, context, escape, message, section, truncate_escaped
from bot.ui.ids import Action
from bot.ui.words import show_day

NOT_CONNECTED = "You haven't connected your Astravue account yet."
RECONNECT_NEEDED = "Your Astravue connection stopped working, so I can't act for you."
UNEXPECTED = (
    "Something failed on our side while doing that ({kind}). It is logged with the "
    "details; try again, and if it keeps happening run `/astravue doctor`."
)


class UserFacingError(Exception):
    """A failure whose message is already written for the user (bad input, missing setup)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


_BROADCASTS = re.compile(r"<!(?:channel|here|everyone|subteam)", re.I)
_WIRE_NAME = re.compile(r"\b[a-z]+(?:[A-Z][a-z]*)+\b")
_NAMED = {"taskTitle": "title", "spaceName": "name", "projectName": "name"}


def in_words(text: str) -> str:
    """Astravue's field names as words: "dueDate must not be before startDate" reads
    "due date must not be before start date"."""
    return _WIRE_NAME.sub(
        lambda m: _NAMED.get(m[0]) or re.sub(r"(?<=[a-z])(?=[A-Z])", " ", m[0]).lower(), text
    )


NO_TIMER = "No timer is running. Start one with `/astravue timer start <task>`."


def _domain_words(error: domain.DomainError) -> str:
    """A domain error in words; what it quotes from the user is escaped here."""
    match error:
        case domain.TaskNotGiven():
            return "Which task? Give its id, its Astravue link or words of its title."
        case domain.TaskNotFound(task_id=task_id):
            return (
                f"I can't find task #{task_id} among the tasks you can see in "
                "Astravue. Check the id, or search with `/astravue task search`."
            )
        case domain.NoTaskMatches(words=words):
            return (
                f"No task matches “{escape(words[:100])}”. Try its id or "
                "`/astravue task search <words>`."
            )
        case domain.TaskMatchedByWords(words=words, candidates=[(task_id, title), *_]):
            return (
                f"“{escape(words[:100])}” is not a task's id or whole title; it matches "
                f"#{task_id} {escape(title[:60])}. Nothing was done yet."
            )
        case domain.AmbiguousTask(words=words, candidates=candidates):
            names = "; ".join(f"#{i} {escape(title[:60])}" for i, title in candidates[:5])
            return f"Several tasks match “{escape(words[:100])}”: {names}."
        case domain.NoProjectMatches(words=words):
            return f"No project matches “{escape(words[:80])}”. `/astravue projects` lists them."
        case domain.AmbiguousProject(words=words, candidates=candidates):
            names = ", ".join(escape(label) for _, label in candidates[:5])
            return (
                f"“{escape(words[:80])}” matches several projects: {names}. Type more of the name."
            )
        case domain.UnknownProject(name=name):
            return (
                f"I couldn't find a project called `{escape(name[:60])}`. "
                "`/astravue projects` lists the ones you can see."
            )
        case domain.TitleMissing():
            return "Give the task a title, e.g. `/astravue task new Fix login #Website fri p1`."
        case domain.DraftExpired():
            return "That preview has expired or was already used. Run the command again."
        case domain.NoTimerRunning():
            return NO_TIMER
        case domain.TimerAlreadyStopped(logging_range=True):
            return "That timer was already stopped. `/astravue time` shows your entries."
        case domain.TimerAlreadyStopped():
            return "That timer was already stopped. `/astravue timer` shows what runs now."
        case domain.StopTimeOutOfRange():
            return "Choose a time after the timer started and not in the future."
        case domain.TimeEntryNotFound():
            return (
                "I couldn't find that time entry any more; it may have been "
                "deleted. Run `/astravue time week` to see your entries."
            )
        case domain.DateInFuture(day=day):
            return f"{show_day(day)} is in the future; log time for today or an earlier day."
    return UNEXPECTED.format(kind=type(error).__name__)


def describe(error: BaseException) -> str:
    """One or two sentences: the cause, then the next step."""
    if isinstance(error, UserFacingError | domain.DomainError):
        text = error.text if isinstance(error, UserFacingError) else _domain_words(error)
        # Their authors escape what they quote; this is the net under a missed escape.
        return _BROADCASTS.sub(lambda m: "&lt;" + m[0][1:], text)
    if isinstance(error, ReauthorizationRequired):
        return f"{RECONNECT_NEEDED} Run `/astravue connect` to connect again."
    if isinstance(error, Forbidden):
        return (
            "Astravue says your role doesn't allow that"
            + (f" ({escape(error.message)})" if error.message else "")
            + ". "
            "Ask a space or project admin to do it, or to give you that role."
        )
    if isinstance(error, NotFound):
        return (
            "That item no longer exists in Astravue (or you can't see it). "
            "Check the id, or list what's there with `/astravue task list`."
        )
    if isinstance(error, BadRequest):
        fields = "; ".join(
            f"{in_words(e.field or 'input')}: {in_words(e.message or 'invalid')}"
            for e in error.field_errors
        )
        return (
            f"Astravue rejected that: {escape(fields or error.message)}. Nothing was "
            "changed; fix it and try again."
        )
    if isinstance(error, Conflict):
        return f"Astravue refused: {escape(error.message)}."
    if isinstance(error, RateLimited):
        wait = f" about {int(error.retry_after) + 1} s" if error.retry_after else " a minute"
        return f"Astravue is rate-limiting your requests. Wait{wait} and try again."
    if isinstance(error, AstravueTimeout):
        return "Astravue didn't answer in time. Try again in a moment."
    if isinstance(error, AstravueConnectionError | ServerError):
        return "Astravue is unavailable right now. Nothing was changed; try again in a few minutes."
    if isinstance(error, UnexpectedResponse):
        after = (
            "Nothing was changed."
            if error.method == "GET"
            else "Check in Astravue whether the change was made before you try again."
        )
        return (
            f"Astravue answered `{escape(error.operation)}` in a shape this app doesn't "
            f"know ({escape(error.detail[:200])}), so I stopped rather than show you "
            f"something wrong. {after} An admin can run `astravue-bot api-probe` to see "
            "what differs."
        )
    if isinstance(error, ResponseValidationError):
        return (
            "Astravue answered in a shape I don't understand, so I stopped to be safe. "
            "It is logged; try again later."
        )
    if isinstance(error, AstravueError):
        return UNEXPECTED.format(kind=type(error).__name__)
    return UNEXPECTED.format(kind=type(error).__name__)


def field_errors(error: BadRequest, blocks: Mapping[str, str]) -> dict[str, str]:
    """A refused form's errors by block id (`blocks`: Astravue field -> block): each under its
    input, in words; one about a field the form does not show names it, at the top."""
    placed: dict[str, str] = {}
    for e in error.field_errors:
        why = in_words(e.message or "is invalid")
        block = blocks.get(e.field or "")
        if block is None:
            block, why = f"form:{e.field}", f"{in_words(e.field or 'input')}: {why}"
        placed[block] = why
    return placed or {"form": describe(error)}


def error_message(error: BaseException, *, connect_url: str | None = None) -> dict[str, Any]:
    text = describe(error)
    blocks = [section(f":warning: {text}")]
    if isinstance(error, ReauthorizationRequired) and connect_url:
        blocks.append(
            actions(button("Reconnect Astravue", Action.CONNECT, url=connect_url, style="primary"))
        )
    return message(text, blocks)


def busy_notice(seconds: float) -> dict[str, Any]:
    """Said at once when the user's Astravue request budget makes an answer wait; the answer
    follows by itself. The wait is rounded up to 5 s: an estimate, not a promise."""
    text = f"Astravue is busy for you, this will arrive in ~{max(5, math.ceil(seconds / 5) * 5)} s."
    return message(text, [context(f":hourglass_flowing_sand: {text}")])


def connect_prompt(
    connect_url: str, *, retry_hint: bool = True, resume: str | None = None
) -> dict[str, Any]:
    """What an unlinked user sees, whatever they tried: a way forward, not an error;
    `resume`: the command that runs by itself once they are connected."""
    lines = [
        f":link: {NOT_CONNECTED} Connect it once; every action then runs as you, with "
        "your own Astravue permissions."
    ]
    blocks = [
        section("\n".join(lines)),
        actions(button("Connect Astravue", Action.CONNECT, url=connect_url, style="primary")),
    ]
    if resume:
        blocks.append(context(f"Once connected, I'll run {command_words(resume)} for you."))
    elif retry_hint:
        blocks.append(context("Once connected, run your command again."))
    return message(NOT_CONNECTED, blocks)


def command_words(command: str) -> str:
    """`/astravue <command>` as inline code, escaped and cut to fit a line."""
    words = truncate_escaped(command, 200).replace("`", "'")
    return f"`/astravue {words}`"
