"""The `/astravue` grammar: one table of sub-commands, aliases and help, and the parser.

Feature modules attach handlers with `registry.handler("task new")`; the grammar lives here so
help, "did you mean" and the unlinked-user check see every command in one place.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

AREAS = ("Account", "Tasks", "Timers and time", "Notifications", "Spaces and projects")


@dataclass(frozen=True)
class CommandSpec:
    path: str  # "task new"
    usage: str
    summary: str
    area: str
    aliases: tuple[str, ...] = ()
    needs_link: bool = True


GRAMMAR: tuple[CommandSpec, ...] = (
    CommandSpec(
        "help",
        "help [topic]",
        "Show commands, or one area: tasks, timers, notifications, spaces, account",
        "Account",
        ("?", "h"),
        needs_link=False,
    ),
    CommandSpec(
        "connect",
        "connect",
        "Connect your Astravue account",
        "Account",
        ("login", "signin", "link"),
        needs_link=False,
    ),
    CommandSpec(
        "disconnect",
        "disconnect",
        "Disconnect your Astravue account",
        "Account",
        ("logout", "signout", "unlink"),
        needs_link=False,
    ),
    CommandSpec(
        "whoami",
        "whoami",
        "Show the Astravue account and organisation you use",
        "Account",
        ("me",),
        needs_link=False,
    ),
    CommandSpec(
        "doctor",
        "doctor",
        "Check your connection and what to fix",
        "Account",
        ("debug", "check"),
        needs_link=False,
    ),
    CommandSpec(
        "org",
        "org [id]",
        "Set the Astravue organisation you work in",
        "Account",
        ("organisation", "organization"),
    ),
    CommandSpec("task", "task", "Open the new-task form", "Tasks", ("t", "tasks")),
    CommandSpec(
        "task new",
        "task new <title> [#project] [@person] [date] [p1-p4] [+tag]",
        "Create a task, with a preview first",
        "Tasks",
        ("add", "create"),
    ),
    CommandSpec(
        "task list",
        "task list [personal|#project] [overdue|today|week]",
        "List tasks",
        "Tasks",
        ("ls",),
    ),
    CommandSpec("task show", "task show <id|url>", "Show a task card", "Tasks", ("view", "open")),
    CommandSpec("task search", "task search <text>", "Search tasks", "Tasks", ("find",)),
    CommandSpec(
        "task done", "task done <id|url>", "Complete a task", "Tasks", ("complete", "close")
    ),
    CommandSpec("task edit", "task edit <id|url>", "Edit a task in a form", "Tasks", ("update",)),
    CommandSpec("task assign", "task assign <id|url> <@person|me>", "Assign a task", "Tasks"),
    CommandSpec("task due", "task due <id|url> <date>", "Set a due date", "Tasks"),
    CommandSpec(
        "task delete",
        "task delete <id|url>",
        "Delete a task (asks first)",
        "Tasks",
        ("rm", "remove"),
    ),
    CommandSpec(
        "todo", "todo <text> [date]", "Create a personal task, with a preview first", "Tasks"
    ),
    CommandSpec(
        "my",
        "my [overdue|today|week]",
        "Your agenda: overdue, today, upcoming",
        "Tasks",
        ("agenda",),
    ),
    CommandSpec("timer", "timer", "Show the running timer", "Timers and time"),
    CommandSpec(
        "timer start",
        "timer start [<id|url>|<text>]",
        "Start a timer (no task: pick one)",
        "Timers and time",
        ("go", "begin"),
    ),
    CommandSpec("timer stop", "timer stop", "Stop the running timer", "Timers and time", ("end",)),
    CommandSpec(
        "timer status", "timer status", "Show the running timer", "Timers and time", ("st",)
    ),
    CommandSpec(
        "timer switch",
        "timer switch <id|url>",
        "Stop the running timer, start another",
        "Timers and time",
        ("sw",),
    ),
    CommandSpec(
        "log",
        "log <1h30|90m|09:00-10:30> <task> [date] [note]",
        "Log time on a task",
        "Timers and time",
        ("track",),
    ),
    CommandSpec(
        "time",
        "time [today|week|month|<task>]",
        "Your time entries (all, or on one task), with edit and delete",
        "Timers and time",
        ("entries",),
    ),
    CommandSpec(
        "timesheet",
        "timesheet [#project] [week|month]",
        "Timesheets and summaries",
        "Timers and time",
        ("report",),
    ),
    CommandSpec(
        "notifications",
        "notifications [unread|all]",
        "Your Astravue notifications, to mark read or delete",
        "Notifications",
        ("notifs", "inbox", "n"),
    ),
    CommandSpec(
        "settings",
        "settings",
        "Notification and timer settings",
        "Notifications",
        ("prefs", "preferences"),
    ),
    CommandSpec("spaces", "spaces", "List spaces", "Spaces and projects"),
    CommandSpec("space", "space", "List spaces", "Spaces and projects"),
    CommandSpec(
        "space new", "space new [name]", "Create a space", "Spaces and projects", ("add", "create")
    ),
    CommandSpec("space edit", "space edit <name|id>", "Edit a space", "Spaces and projects"),
    CommandSpec(
        "space delete",
        "space delete <name|id>",
        "Delete a space (asks first)",
        "Spaces and projects",
        ("rm", "remove"),
    ),
    CommandSpec("projects", "projects [space]", "List projects", "Spaces and projects"),
    CommandSpec("project", "project", "List projects", "Spaces and projects"),
    CommandSpec(
        "project new",
        "project new [space]",
        "Create a project",
        "Spaces and projects",
        ("add", "create"),
    ),
    CommandSpec(
        "project show",
        "project show <#project|id>",
        "Show a project",
        "Spaces and projects",
        ("view",),
    ),
    CommandSpec(
        "project edit", "project edit <#project|id>", "Edit a project", "Spaces and projects"
    ),
    CommandSpec(
        "project delete",
        "project delete <#project|id>",
        "Delete a project (asks first)",
        "Spaces and projects",
        ("rm", "remove"),
    ),
    # Project feeds (bot.listeners.feeds).
    CommandSpec(
        "feed",
        "feed <project> [#channel] [--digest 09:00|--no-digest]",
        "Post a project's task changes (and a daily due digest) to a channel",
        "Spaces and projects",
        ("follow", "subscribe"),
    ),
    CommandSpec(
        "feeds",
        "feeds",
        "This channel's project feeds, to remove",
        "Spaces and projects",
        needs_link=False,
    ),
    CommandSpec(
        "unfeed",
        "unfeed <project>",
        "Stop a project's feed in this channel",
        "Spaces and projects",
        ("unfollow", "unsubscribe"),
        needs_link=False,
    ),
)


HELP_TOPICS = {
    "account": "Account",
    "connect": "Account",
    "tasks": "Tasks",
    "task": "Tasks",
    "timers": "Timers and time",
    "timer": "Timers and time",
    "time": "Timers and time",
    "log": "Timers and time",
    "notifications": "Notifications",
    "settings": "Notifications",
    "spaces": "Spaces and projects",
    "projects": "Spaces and projects",
}

_QUOTES = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u2014": "--",
        "\u2013": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)
_SHARE = re.compile(r"(?:^|\s)--share(?=\s|$)")


def normalise(text: str) -> str:
    """Slack's three entities decoded (it always escapes & < > in command text), smart
    quotes and dashes to ASCII, control characters dropped, whitespace collapsed. The text is
    escaped again wherever it is echoed."""
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    text = text.translate(_QUOTES)
    text = "".join(ch if ch.isprintable() or ch == " " else " " for ch in text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Resolution:
    spec: CommandSpec | None
    args: str
    share: bool = False
    unknown: str | None = None  # the word that matched nothing
    suggestions: tuple[str, ...] = ()


Handler = Callable[..., Awaitable[Any]]
SUGGEST_CUTOFF = 0.6


@dataclass
class CommandRegistry:
    specs: dict[str, CommandSpec] = field(default_factory=lambda: {s.path: s for s in GRAMMAR})
    handlers: dict[str, Handler] = field(default_factory=dict)

    def handler(self, path: str) -> Callable[[Handler], Handler]:
        if path not in self.specs:
            raise KeyError(f"not in the grammar: {path}")

        def register(fn: Handler) -> Handler:
            self.handlers[path] = fn
            return fn

        return register

    def available(self) -> list[CommandSpec]:
        return [spec for spec in self.specs.values() if spec.path in self.handlers]

    def _lookup(self, prefix: str, word: str) -> CommandSpec | None:
        for spec in self.specs.values():
            parent, _, last = spec.path.rpartition(" ")
            if parent == prefix and (last == word or word in spec.aliases):
                return spec
        return None

    def resolve(self, text: str) -> Resolution:
        text = normalise(text)
        share = bool(_SHARE.search(text))
        text = normalise(_SHARE.sub(" ", text))
        if not text:
            return Resolution(self.specs["help"], "", share)
        words = text.split(" ")
        top = self._lookup("", words[0].lower())
        if top is None:
            return Resolution(None, text, share, words[0], self._suggest("", words[0].lower()))
        rest = words[1:]
        if rest:
            sub = self._lookup(top.path, rest[0].lower())
            if sub is not None:
                return Resolution(sub, " ".join(rest[1:]), share)
            if f"{top.path} new" in self.specs and top.path == "task":
                return Resolution(self.specs["task new"], " ".join(rest), share)
        return Resolution(top, " ".join(rest), share)

    def _suggest(self, prefix: str, word: str) -> tuple[str, ...]:
        names: dict[str, str] = {}
        for spec in self.specs.values():
            parent, _, last = spec.path.rpartition(" ")
            if parent == prefix:
                for candidate in (last, *spec.aliases):
                    names[candidate] = spec.path
        scored = sorted(
            ((difflib.SequenceMatcher(None, word, name).ratio(), name) for name in names),
            reverse=True,
        )
        if not scored or scored[0][0] < SUGGEST_CUTOFF:
            return ()
        best = scored[0][0]  # only the best tier: "conect" is connect, not disconnect
        return tuple(dict.fromkeys(names[n] for r, n in scored[:3] if r >= best - 0.1))
