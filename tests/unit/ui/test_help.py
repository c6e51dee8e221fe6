"""Help: about ten commands with a button per area, aliases only in an area, one-line typos."""

from __future__ import annotations

from bot.listeners.router import AREAS, GRAMMAR
from bot.ui.help import help_message, unknown_command, unknown_topic
from bot.ui.ids import Action


def _text(payload: dict) -> str:  # type: ignore[type-arg]
    return "\n".join(
        str((b.get("text") or {}).get("text") or "")
        + "".join(str(e.get("text", "")) for e in b.get("elements") or [] if isinstance(e, dict))
        for b in payload["blocks"]
    )


def _buttons(payload: dict) -> list[dict]:  # type: ignore[type-arg]
    return [
        e for b in payload["blocks"] for e in b.get("elements") or [] if e.get("type") == "button"
    ]


def test_short_help_has_about_ten_commands_no_aliases_and_area_buttons() -> None:
    short = help_message(list(GRAMMAR), AREAS)
    lines = [line for line in _text(short).split("\n") if line.startswith("`/astravue ")]
    assert 8 <= len(lines) <= 12 and "also" not in _text(short)
    assert "New here?" not in _text(short)
    assert {b["value"] for b in _buttons(short)} >= {"help tasks", "help timers", "help spaces"}
    assert len({b["action_id"] for b in _buttons(short)}) == len(_buttons(short))
    assert "New here?" in _text(help_message(list(GRAMMAR), AREAS, linked=False))


def test_an_area_lists_every_command_with_its_aliases() -> None:
    tasks = _text(help_message(list(GRAMMAR), AREAS, topic="Tasks"))
    assert "/astravue task delete" in tasks and "`rm`" in tasks and "`ls`" in tasks
    assert "/astravue timer" not in tasks


def test_unknown_words_answer_in_one_line() -> None:
    typo = unknown_command("task shwo", ["task show"], args="14")
    assert len(typo["blocks"]) == 1
    assert "Did you mean `/astravue task show 14`?" in _text(typo)
    assert typo["blocks"][0]["accessory"]["value"] == "task show 14"
    assert typo["blocks"][0]["accessory"]["action_id"] == Action.RUN_COMMAND
    nothing = unknown_command("zzz", [])
    assert len(nothing["blocks"]) == 1 and "/astravue help" in _text(nothing)
    topic = unknown_topic("frobs", [], AREAS)
    assert "no help on `frobs`" in _text(topic) and _buttons(topic)
