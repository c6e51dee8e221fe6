"""Quick capture: "Fix login #Website @maria fri p1 +auth -- details" to a draft to confirm.

Grammar (markers may appear anywhere; everything else is the title, in order):
- `#Website`, `#mobile-app`, `#"Mobile App"`: projects (`#123` stays in the title);
- `@maria`, `@me`, `<@U0MARIA>`, `<@U0MARIA|maria>`: people (`@here`, `@channel` stay);
- `+backend`: tags;
- `p1`..`p4`, `!1`..`!4`, `priority:high`: priority (p1 = Critical ... p4 = Low); `!!!` is High,
  as in Apple Reminders; when several are given the last wins and the others stay in the title;
- `due:fri`, `due fri`, `due next week` (1-3 date words), or failing those any date phrase
  (`dates.find_date`, future direction): the due date;
- `start:mon`: the start date (only with the colon: "start" is a common title word);
- ` -- ` then free text: the description (a lone em or en dash counts: Slack turns "--" into one).

Nothing is dropped and nothing raises: each token of the normalised input ends up either in
the title or in `consumed_tokens`. Slack's `<!channel>`, `<!here>` and `<#C1|general>` stay in
the title as literal text; escaping them on display is the UI's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Final, Literal

from bot.parsing.dates import MAX_DATE_WORDS, find_date, parse_date

PersonKind = Literal["slack", "name", "me"]

PRIORITY_LABELS: Final = ("Critical", "High", "Medium", "Low")
DESCRIPTION_SEPARATOR: Final = "--"
MAX_UNUSED: Final = 10  # words reported as unused (the rest stay in the title unmentioned)

# Curly double quotes (left, right, low-9) and single quotes (left, right).
_QUOTES: Final = str.maketrans(
    dict.fromkeys("\u201c\u201d\u201e", '"') | dict.fromkeys("\u2018\u2019", "'")
)
_LONE_DASH: Final = re.compile(r"(?<!\S)[\u2013\u2014](?!\S)")  # en dash, em dash
_TOKEN: Final = re.compile(r"\S+")
_TRAILING_PUNCTUATION: Final = ".,;:!?)"
_BROADCASTS: Final = frozenset({"here", "channel", "everyone"})

_PROJECT: Final = re.compile(r'#(?P<name>[^\s#"<>]+)')
# No < or > inside: a Slack mention or <!channel> must stay in the title.
_QUOTED_PROJECT: Final = re.compile(r'#"(?P<name>[^"\s<>](?:[^"<>]*[^"\s<>])?)"')
_SLACK_USER: Final = re.compile(r"<@(?P<id>[UW][A-Z0-9]{2,})(?:\|[^<>]*)?>")
_PERSON_NAME: Final = re.compile(r"@(?P<name>\w[\w.\-']*)")
_TAG: Final = re.compile(r"\+(?P<tag>\w[\w\-./]*)")
_PRIORITY: Final = re.compile(
    r"(?:[p!](?P<rank>[1-4])|priority:p?(?P<named_rank>[1-4])"
    r"|priority:(?P<label>critical|high|medium|low)|(?P<bangs>!!!))",
    re.IGNORECASE | re.ASCII,
)
_DUE_LABELS: Final = ("due:", "due")
_START_LABELS: Final = ("start:",)


@dataclass(frozen=True)
class PersonRef:
    """A person as typed: a Slack user id, an Astravue name or handle, or "me"."""

    kind: PersonKind
    value: str


@dataclass(frozen=True)
class CaptureDraft:
    """What quick capture understood; the caller previews it before creating anything."""

    title: str
    project_refs: list[str]
    people_refs: list[PersonRef]
    due: date | None
    start: date | None
    priority: str | None
    tags: list[str]
    description: str | None
    consumed_tokens: list[str]
    # (words, what they looked like) left in the title because one of those was taken:
    # ("p2", "priority") before a later p1, ("mon", "due date") beside "due fri"
    unused: list[tuple[str, str]] = field(default_factory=list)


def normalise(text: str) -> str:
    """Straight quotes for curly ones, and `--` for a lone em or en dash."""
    return _LONE_DASH.sub(DESCRIPTION_SEPARATOR, text.translate(_QUOTES))


def parse_capture(text: str, *, today: date, day_first: bool = False) -> CaptureDraft:
    """Read a quick-capture line; never raises, never loses a token (see the module doc).
    `day_first` orders numeric dates ("31/12"), from the user's locale."""
    normalised = normalise(text)
    matches = list(_TOKEN.finditer(normalised))
    tokens = [match[0] for match in matches]
    separator = next(
        (i for i, token in enumerate(tokens) if token == DESCRIPTION_SEPARATOR), len(tokens)
    )
    description = None
    if separator < len(tokens):
        description = normalised[matches[separator].end() :].strip() or None

    scan = _Scan(tokens, list(range(separator)), day_first)
    projects, people, tags = scan.take_markers()
    priority = scan.take_last_priority()
    start = scan.take_labelled_date(_START_LABELS, today)
    due = scan.take_labelled_date(_DUE_LABELS, today) or scan.take_any_date(today)
    unused = scan.unused_markers(today)
    in_title = set(scan.remaining)
    return CaptureDraft(
        title=" ".join(tokens[i] for i in scan.remaining),
        project_refs=projects,
        people_refs=people,
        due=due,
        start=start,
        priority=priority,
        tags=tags,
        description=description,
        consumed_tokens=[token for i, token in enumerate(tokens) if i not in in_title],
        unused=unused,
    )


class _Scan:
    """Token indices not yet placed in a field; each `take_*` removes the ones it uses."""

    def __init__(self, tokens: list[str], remaining: list[int], day_first: bool) -> None:
        self.tokens = tokens
        self.remaining = remaining
        self.day_first = day_first

    def take_markers(self) -> tuple[list[str], list[PersonRef], list[str]]:
        projects: list[str] = []
        people: list[PersonRef] = []
        tags: list[str] = []
        kept: list[int] = []
        position = 0
        while position < len(self.remaining):
            quoted = self._quoted_project(position)
            if quoted is not None:
                name, position = quoted
                projects.append(name)
                continue
            token = self.tokens[self.remaining[position]]
            if (project := _project(token)) is not None:
                projects.append(project)
            elif (person := _person(token)) is not None:
                people.append(person)
            elif (tag := _tag(token)) is not None:
                tags.append(tag)
            else:
                kept.append(self.remaining[position])
            position += 1
        self.remaining = kept
        return projects, people, tags

    def take_last_priority(self) -> str | None:
        for position in range(len(self.remaining) - 1, -1, -1):
            priority = _priority(self.tokens[self.remaining[position]])
            if priority is not None:
                del self.remaining[position]
                return priority
        return None

    def take_labelled_date(self, labels: tuple[str, ...], today: date) -> date | None:
        """The last "label:date" or "label date" (up to 3 date words) that reads as a date."""
        for position in range(len(self.remaining) - 1, -1, -1):
            token = self.tokens[self.remaining[position]]
            for label in labels:
                if not token.lower().startswith(label):
                    continue
                inline = token[len(label) :]
                if inline and not label.endswith(":"):
                    continue  # "dues" or "duet" is a word, not a label
                when = self._date_after(position, inline, today)
                if when is not None:
                    return when
        return None

    def take_any_date(self, today: date) -> date | None:
        found = find_date(self.words(), today=today, day_first=self.day_first)
        if found is None:
            return None
        when, start, length = found
        del self.remaining[start : start + length]
        return when

    def unused_markers(self, today: date) -> list[tuple[str, str]]:
        """Priorities and dates still in the title: one of each was already taken."""
        found = [(self.tokens[i], "priority") for i in self.remaining if _priority(self.tokens[i])]
        found = found[:MAX_UNUSED]
        words, position = self.words(), 0
        while position < len(words) and len(found) < MAX_UNUSED:  # one pass, left to right
            length = self._date_length(words, position, today)
            if length:
                found.append((" ".join(words[position : position + length]), "due date"))
            position += length or 1
        return found

    def _date_length(self, words: list[str], position: int, today: date) -> int:
        """How many words from `position` read as a date (the longest), or 0."""
        for length in range(min(MAX_DATE_WORDS, len(words) - position), 0, -1):
            phrase = " ".join(words[position : position + length])
            if parse_date(phrase, today=today, day_first=self.day_first):
                return length
        return 0

    def words(self, start: int = 0, stop: int | None = None) -> list[str]:
        return [self.tokens[i] for i in self.remaining[start:stop]]

    def _date_after(self, position: int, inline: str, today: date) -> date | None:
        """Read the date following the label at `position`; on success remove label and date."""
        following = self.words(position + 1, position + 1 + MAX_DATE_WORDS)
        lead = [inline] if inline else []
        for extra in range(len(following), -1, -1):
            words = lead + following[:extra]
            if not words or len(words) > MAX_DATE_WORDS:
                continue
            when = parse_date(" ".join(words), today=today, day_first=self.day_first)
            if when is not None:
                del self.remaining[position : position + 1 + extra]
                return when
        return None

    def _quoted_project(self, position: int) -> tuple[str, int] | None:
        """A `#"Two words"` project starting at `position`: its name and the position after."""
        first = self.tokens[self.remaining[position]]
        if not first.startswith('#"'):
            return None
        end = position
        while end < len(self.remaining):
            text = self.tokens[self.remaining[end]]
            if '"' in (text[2:] if end == position else text):
                break
            end += 1
        match = _QUOTED_PROJECT.fullmatch(" ".join(self.words(position, end + 1)))
        return None if match is None else (match["name"], end + 1)


def _project(token: str) -> str | None:
    match = _PROJECT.fullmatch(token.rstrip(_TRAILING_PUNCTUATION))
    if match is None or match["name"].isdecimal():
        return None
    return match["name"]


def _person(token: str) -> PersonRef | None:
    bare = token.rstrip(_TRAILING_PUNCTUATION)
    if slack := _SLACK_USER.fullmatch(bare):
        return PersonRef("slack", slack["id"])
    name = _PERSON_NAME.fullmatch(bare)
    if name is None or name["name"].lower() in _BROADCASTS:
        return None
    if name["name"].lower() == "me":
        return PersonRef("me", "me")
    return PersonRef("name", name["name"])


def _tag(token: str) -> str | None:
    match = _TAG.fullmatch(token.rstrip(_TRAILING_PUNCTUATION))
    if match is None or match["tag"].isdecimal():
        return None
    return match["tag"]


def _priority(token: str) -> str | None:
    match = _PRIORITY.fullmatch(token)
    if match is None:
        return None
    if match["bangs"]:
        return "High"
    if match["label"]:
        return match["label"].capitalize()
    return PRIORITY_LABELS[int(match["rank"] or match["named_rank"]) - 1]
