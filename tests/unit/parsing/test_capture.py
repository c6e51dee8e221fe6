"""Quick capture: the grammar by example, and the never-raise, never-lose properties."""

from __future__ import annotations

import time as clock
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.parsing.capture import CaptureDraft, PersonRef, normalise, parse_capture

PROPERTY = settings(max_examples=500, deadline=None)
WEDNESDAY = date(2026, 6, 10)
MARKERS = [
    "#Website",
    '#"Mobile',
    'App"',
    "#mobile-app",
    "@maria",
    "@me",
    "<@U0MARIA>",
    "<@U0DEV|dev>",
    "+backend",
    "p1",
    "!2",
    "!!!",
    "priority:high",
    "due:fri",
    "due",
    "fri",
    "start:mon",
    "next",
    "week",
    "5",
    "dec",
    "--",
    "\u2014",
    "tomorrow",
    "#123",
]
SLACK_SPECIALS = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<#C123|general>",
    "<!subteam^S1>",
    "@here",
    "@channel",
]
# A quoted project may swallow plain words (`#"Mobile Web App"`), so the order property skips it.
UNQUOTED_MARKERS = [marker for marker in MARKERS if '"' not in marker]
# Letters that spell no date word, priority or marker, so such words always stay in the title.
PLAIN_WORDS = st.text(alphabet="bcdfgjklqvxzBCDFG", min_size=5, max_size=10)


def capture(text: str) -> CaptureDraft:
    return parse_capture(text, today=WEDNESDAY)


def test_the_full_example() -> None:
    draft = capture("Fix login #Website @maria fri p1 +auth -- Users see a 500 on submit")
    assert draft == CaptureDraft(
        title="Fix login",
        project_refs=["Website"],
        people_refs=[PersonRef("name", "maria")],
        due=date(2026, 6, 12),
        start=None,
        priority="Critical",
        tags=["auth"],
        description="Users see a 500 on submit",
        consumed_tokens=[
            "#Website",
            "@maria",
            "fri",
            "p1",
            "+auth",
            "--",
            "Users",
            "see",
            "a",
            "500",
            "on",
            "submit",
        ],
    )


@pytest.mark.parametrize(
    ("text", "projects"),
    [
        ("Task #Website", ["Website"]),
        ('Task #"Mobile App" now', ["Mobile App"]),
        ("Task #\u201cMobile App\u201d", ["Mobile App"]),
        ("Task #mobile-app, #Ops.", ["mobile-app", "Ops"]),
        ('Task #"unclosed words', []),
        ('Task #" spaced " #"x"', ["x"]),
        ('Task #"" #"', []),
        ('Task #"Ask <!here> now"', []),
        ("Fix bug #123", []),
        ("Post in <#C123|general>", []),
    ],
)
def test_projects(text: str, projects: list[str]) -> None:
    assert capture(text).project_refs == projects


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("Review @maria", [PersonRef("name", "maria")]),
        ("Review @Me", [PersonRef("me", "me")]),
        ("Review <@U0MARIA>", [PersonRef("slack", "U0MARIA")]),
        (
            "Review <@U0MARIA|maria>, @dev.",
            [PersonRef("slack", "U0MARIA"), PersonRef("name", "dev")],
        ),
        ("Ping @here and @channel", []),
        ("Mail dev@acme.test", []),
    ],
)
def test_people(text: str, people: list[PersonRef]) -> None:
    assert capture(text).people_refs == people


@pytest.mark.parametrize(
    ("text", "priority", "title"),
    [
        ("Fix p1", "Critical", "Fix"),
        ("Fix P2", "High", "Fix"),
        ("Fix p3", "Medium", "Fix"),
        ("Fix p4", "Low", "Fix"),
        ("Fix !1", "Critical", "Fix"),
        ("Fix !!!", "High", "Fix"),
        ("Fix priority:low", "Low", "Fix"),
        ("Fix priority:Critical", "Critical", "Fix"),
        ("Fix priority:2", "High", "Fix"),
        ("Fix p1 then p4", "Low", "Fix p1 then"),
        ("Fix p5 priority:whenever", None, "Fix p5 priority:whenever"),
    ],
)
def test_priority(text: str, priority: str | None, title: str) -> None:
    draft = capture(text)
    assert (draft.priority, draft.title) == (priority, title)


@pytest.mark.parametrize(
    ("text", "due", "start", "title"),
    [
        ("Report due:fri", date(2026, 6, 12), None, "Report"),
        ("Report due fri", date(2026, 6, 12), None, "Report"),
        ("Report DUE: next fri", date(2026, 6, 19), None, "Report"),
        ("Report due:next week", date(2026, 6, 15), None, "Report"),
        ("Report due 5 dec 2026 please", date(2026, 12, 5), None, "Report please"),
        ("Plan friday party due:thu", date(2026, 6, 11), None, "Plan friday party"),
        ("Report tomorrow", date(2026, 6, 11), None, "Report"),
        ("Report in 2 weeks", date(2026, 6, 24), None, "Report"),
        ("Migrate start:mon due:fri", date(2026, 6, 12), date(2026, 6, 15), "Migrate"),
        ("Start migration", None, None, "Start migration"),
        ("Pay dues due", None, None, "Pay dues due"),
        ("Report due:someday", None, None, "Report due:someday"),
    ],
)
def test_dates(text: str, due: date | None, start: date | None, title: str) -> None:
    draft = capture(text)
    assert (draft.due, draft.start, draft.title) == (due, start, title)


@pytest.mark.parametrize(
    ("text", "tags"),
    [("Fix +backend +api.", ["backend", "api"]), ("Vote +1", []), ("a + b", [])],
)
def test_tags(text: str, tags: list[str]) -> None:
    assert capture(text).tags == tags


@pytest.mark.parametrize(
    ("text", "title", "description"),
    [
        ("Fix it -- line one\nline two", "Fix it", "line one\nline two"),
        ("Fix it \u2014 as discussed", "Fix it", "as discussed"),
        ("Fix it --", "Fix it", None),
        ("Fix a--b", "Fix a--b", None),
        ("-- only a description", "", "only a description"),
    ],
)
def test_description(text: str, title: str, description: str | None) -> None:
    draft = capture(text)
    assert (draft.title, draft.description) == (title, description)


def test_markers_after_the_separator_belong_to_the_description() -> None:
    draft = capture("Fix -- see #Website p1 tomorrow")
    assert (draft.project_refs, draft.priority, draft.due) == ([], None, None)
    assert draft.description == "see #Website p1 tomorrow"


def test_slack_specials_stay_in_the_title() -> None:
    draft = capture("Tell <!channel> and <!here> in <#C123|general> about <!subteam^S1> fri")
    assert draft.title == "Tell <!channel> and <!here> in <#C123|general> about <!subteam^S1>"


def test_only_markers_gives_an_empty_title() -> None:
    draft = capture("#Website @me tomorrow p2")
    assert draft.title == ""
    assert sorted(draft.consumed_tokens) == sorted(["#Website", "@me", "tomorrow", "p2"])


def test_normalise() -> None:
    curly = "\u201cq\u201d \u2018s\u2019 a \u2013 b a\u2014b"
    assert normalise(curly) == "\"q\" 's' a -- b a\u2014b"


def test_forty_kilobytes_parse_quickly() -> None:
    texts = [
        "Fix #a @b fri p1 +t due:mon " * 1500,
        '#"' * 20_000,
        "due " * 10_000,
        "x" * 40_000,
        " ".join(["ab"] * 13_000),
    ]
    started = clock.perf_counter()
    for text in texts:
        draft = capture(text)
        assert sorted(draft.title.split() + draft.consumed_tokens) == sorted(text.split())
    assert clock.perf_counter() - started < 10


def _assert_nothing_lost(text: str) -> CaptureDraft:
    draft = capture(text)
    tokens = normalise(text).split()
    assert sorted(draft.title.split() + draft.consumed_tokens) == sorted(tokens)
    if draft.title == "":
        assert sorted(draft.consumed_tokens) == sorted(tokens)
    return draft


@PROPERTY
@given(st.text())
def test_any_text_parses_and_loses_nothing(text: str) -> None:
    _assert_nothing_lost(text)


@PROPERTY
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_unicode_including_control_characters_loses_nothing(text: str) -> None:
    _assert_nothing_lost(text)


@PROPERTY
@given(
    st.lists(
        st.one_of(st.sampled_from(MARKERS + SLACK_SPECIALS), PLAIN_WORDS, st.text(max_size=6)),
        max_size=25,
    ),
    st.sampled_from([" ", "\n", "  ", "\t"]),
)
def test_marker_soup_loses_nothing(words: list[str], joiner: str) -> None:
    _assert_nothing_lost(joiner.join(words))


@PROPERTY
@given(
    st.lists(
        st.one_of(st.sampled_from(UNQUOTED_MARKERS + SLACK_SPECIALS), PLAIN_WORDS), max_size=20
    )
)
def test_plain_words_and_slack_specials_stay_in_the_title_in_order(words: list[str]) -> None:
    draft = _assert_nothing_lost(" ".join(words))
    head = words[: words.index("--")] if "--" in words else words
    head = head[: head.index("\u2014")] if "\u2014" in head else head
    kept = [word for word in head if word not in UNQUOTED_MARKERS]
    title_words = draft.title.split()
    assert [word for word in title_words if word not in UNQUOTED_MARKERS] == kept
    if kept:
        assert draft.title
