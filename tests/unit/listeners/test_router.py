"""The `/astravue` grammar: aliases, normalisation, --share, did-you-mean."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.listeners.router import GRAMMAR, CommandRegistry, normalise


@pytest.fixture
def registry() -> CommandRegistry:
    return CommandRegistry()


@pytest.mark.parametrize(
    ("text", "path", "args"),
    [
        ("", "help", ""),
        ("help timers", "help", "timers"),
        ("login", "connect", ""),
        ("signout", "disconnect", ""),
        ("task", "task", ""),
        ("task new Fix login #Website", "task new", "Fix login #Website"),
        ("task add Fix", "task new", "Fix"),
        ("task Fix the login page", "task new", "Fix the login page"),
        ("t ls overdue", "task list", "overdue"),
        ("TIMER START 42", "timer start", "42"),
        ("timer", "timer", ""),
        ("log 1h30 42 yesterday", "log", "1h30 42 yesterday"),
        ("notifs unread", "notifications", "unread"),
        ("space new Ops", "space new", "Ops"),
        ("projects Engineering", "projects", "Engineering"),
    ],
)
def test_resolves_commands_and_aliases(
    registry: CommandRegistry, text: str, path: str, args: str
) -> None:
    resolution = registry.resolve(text)
    assert resolution.spec is not None and resolution.spec.path == path
    assert resolution.args == args


def test_smart_quotes_whitespace_entities_and_share(registry: CommandRegistry) -> None:
    resolution = registry.resolve("  task\u00a0new   \u201cFix\u201d &lt;b&gt; &amp; co --share ")
    assert resolution.spec is not None and resolution.spec.path == "task new"
    assert resolution.args == '"Fix" <b> & co'
    assert resolution.share


def test_unknown_word_suggests_the_closest(registry: CommandRegistry) -> None:
    resolution = registry.resolve("conect now")
    assert resolution.spec is None and resolution.unknown == "conect"
    assert resolution.suggestions == ("connect",)
    assert registry.resolve("zzzz").suggestions == ()


@pytest.mark.parametrize(
    ("text", "meant", "args"),
    [
        ("task shwo 14", ("task show",), "14"),
        ("task lsit", ("task list",), ""),
        ("timer stpo", ("timer stop", "timer status"), ""),
        ("project shwo 3", ("project show",), "3"),
        ("task serach login bug", ("task search",), "login bug"),
        (
            "task delte https://app.astravue.com/tasks/3",
            ("task delete",),
            "https://app.astravue.com/tasks/3",
        ),
    ],
)
def test_a_mistyped_task_sub_command_is_not_a_title(
    registry: CommandRegistry, text: str, meant: tuple[str, ...], args: str
) -> None:
    resolution = registry.resolve(text)
    assert resolution.spec is None and resolution.suggestions == meant
    assert resolution.unknown == " ".join(text.split(" ")[:2])
    assert resolution.args == args


@pytest.mark.parametrize("text", ["task Shop for the party", "task Call the bank", "task Fix it"])
def test_a_title_that_only_resembles_a_sub_command_stays_a_title(
    registry: CommandRegistry, text: str
) -> None:
    resolution = registry.resolve(text)
    assert resolution.spec is not None and resolution.spec.path == "task new"
    assert resolution.args == text.removeprefix("task ")


def test_every_alias_is_unambiguous_within_its_parent() -> None:
    seen: dict[tuple[str, str], str] = {}
    for spec in GRAMMAR:
        parent, _, last = spec.path.rpartition(" ")
        for word in (last, *spec.aliases):
            clash = seen.get((parent, word))
            assert clash is None, f"{word!r} means both {clash} and {spec.path}"
            seen[(parent, word)] = spec.path


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=300))
def test_any_text_resolves_without_raising(text: str) -> None:
    resolution = CommandRegistry().resolve(text)
    assert resolution.spec is not None or resolution.unknown
    assert "\n" not in normalise(text) and "\x00" not in normalise(text)


def test_a_typo_keeps_share_for_the_corrected_command(registry: CommandRegistry) -> None:
    from bot.listeners.commands import local_answer

    answer = local_answer(registry, registry.resolve("task shwo 14 --share"))
    assert answer is not None
    assert answer["blocks"][0]["accessory"]["value"] == "task show 14 --share"
