"""bot.ui.shared (what `--share` posts), bot.ui.task_choices and bot.ui.choices (which task or
project did you mean), and the command retargeting they rely on (bot.parsing.retarget)."""

from __future__ import annotations

from bot.parsing.retarget import with_id
from bot.ui.choices import project_choices
from bot.ui.components import actions, button, message, overflow, section
from bot.ui.ids import Action
from bot.ui.shared import controls, for_channel
from bot.ui.task_choices import task_choices


def test_a_shared_message_keeps_links_and_page_turns_only() -> None:
    card = message(
        "Your tasks",
        [
            section("Fix login", accessory=button("Complete", Action.TASK_COMPLETE, "1")),
            section("Docs", accessory=overflow(Action.TASK_OVERFLOW, [("Edit", "e")])),
            actions(
                button("Open", Action.OPEN_URL, url="https://app.test/t/1"),
                button("Start timer", Action.TIMER_START, "1"),
                button("Next", Action.TASK_PAGE, "list|2"),
            ),
            {"type": "input", "block_id": "x", "element": {"type": "plain_text_input"}},
        ],
    )
    shared = for_channel(card, "U0MARIA")
    kept = [
        e["action_id"]
        for b in shared["blocks"]
        for e in b.get("elements") or []
        if "action_id" in e
    ]
    assert kept == [Action.OPEN_URL, Action.TASK_PAGE]
    assert controls(shared) == 2 and controls(card) == 5
    assert all(b["type"] != "input" for b in shared["blocks"])
    assert "Shared by <@U0MARIA>" in shared["blocks"][-1]["elements"][0]["text"]
    assert card["blocks"][0].get("accessory")  # the original is untouched


def test_retargeting_replaces_the_last_occurrence_of_the_words() -> None:
    assert with_id("log 30m task", "task", 14) == "log 30m 14"
    assert with_id("log 1h Task list yesterday", "task list", 7) == "log 1h 7 yesterday"
    assert with_id("log 30m task", "nothing", 7) is None
    assert with_id("log 30m", " ", 7) is None


def test_choices_are_buttons_and_never_say_use_the_id() -> None:
    answer = task_choices("fix", [(1, "Fix <b>login"), (2, "Fix logout")], ["task done 1", None])
    blocks = answer["blocks"]
    assert blocks[1]["accessory"]["value"] == "task done 1"
    assert "accessory" not in blocks[2] and "&lt;b&gt;" in blocks[1]["text"]["text"]
    assert "Use the id" not in str(answer)
    asked = task_choices("task", [(3, "Offline mode")], ["log 30m 3"], by_words=True)
    assert "Nothing done yet" in asked["blocks"][0]["text"]["text"]


def test_retargeting_tolerates_the_spacing_the_parser_dropped() -> None:
    assert with_id("task list  web   site week", "web site", 7) == "task list  7 week"


def test_project_choices_offer_five_buttons_then_say_how_many_more() -> None:
    candidates = [(i, f"Web {i}") for i in range(1, 8)]
    commands: list[str | None] = [f"timesheet {i}" for i in range(1, 8)]
    answer = project_choices("web", candidates, commands)
    buttons = [b["accessory"] for b in answer["blocks"] if "accessory" in b]
    assert [b["value"] for b in buttons] == [f"timesheet {i}" for i in range(1, 6)]
    assert len({b["action_id"] for b in buttons}) == 5  # each button its own action id
    assert "*Web 1*" in answer["blocks"][1]["text"]["text"]
    assert "…and 2 more: type more of the name." in str(answer["blocks"][-1])
    assert "Use the id" not in str(answer)


def test_project_choices_without_a_command_to_rerun_ask_for_more_of_the_name() -> None:
    answer = project_choices("<b>web", [(1, "Website"), (2, "Web API")], [None, None])
    assert all("accessory" not in b for b in answer["blocks"])
    assert "&lt;b&gt;web" in answer["blocks"][0]["text"]["text"]
    assert "more of the project's name" in str(answer["blocks"][-1])
