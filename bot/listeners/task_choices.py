"""A task or project named by words that matched several (or a task matched by words for a
write): the answer offers each candidate as a button that runs the user's own command aimed
at that one, its id in place of the words."""

from __future__ import annotations

import re
from typing import Any

from bot.domain.errors import AmbiguousProject, AmbiguousTask, TaskMatchedByWords
from bot.listeners.payloads import Payload
from bot.listeners.router import normalise
from bot.parsing.retarget import with_id
from bot.ui.choices import project_choices
from bot.ui.ids import Action
from bot.ui.task_choices import task_choices

_DM_PREFIX = re.compile(r"^\s*(?:<@\w+>\s*)?(?:/astravue\s+)?", re.IGNORECASE)


def command_text(body: dict[str, Any]) -> str | None:
    """The `/astravue` text this request ran: typed, clicked ([Run it] or a choice) or sent
    in the app's DM; None for a button or a form, which name their task by id."""
    payload = Payload(body)
    if payload.command:
        return normalise(payload.text)
    for action in body.get("actions") or []:
        if str(action.get("action_id") or "").startswith(Action.RUN_COMMAND):
            return normalise(str(action.get("value") or ""))
    event = payload.event
    if event.get("type") == "message" and event.get("text"):
        return normalise(_DM_PREFIX.sub("", str(event["text"])))
    return None


def choices_message(
    body: dict[str, Any], error: AmbiguousTask | AmbiguousProject
) -> dict[str, Any]:
    text = command_text(body)
    commands = [with_id(text, error.words, i) if text else None for i, _ in error.candidates]
    if isinstance(error, AmbiguousProject):
        return project_choices(error.words, error.candidates, commands)
    by_words = isinstance(error, TaskMatchedByWords)
    return task_choices(error.words, error.candidates, commands, by_words=by_words)
