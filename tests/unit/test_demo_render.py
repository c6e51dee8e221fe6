"""The demo's Block Kit drawing: every element type the app uses, numbered as the user types."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console

from bot.demo.render import Style, mrkdwn, render_blocks, render_surface


def _text(value: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": value}


def _option(label: str, value: str) -> dict[str, Any]:
    return {"text": _text(label), "value": value}


BLOCKS: list[dict[str, Any]] = [
    {"type": "header", "text": _text("Task card")},
    {
        "type": "section",
        "block_id": "card",
        "text": {"type": "mrkdwn", "text": "*Pay &lt;b&gt;*"},
        "fields": [
            {"type": "mrkdwn", "text": "*Status*\nTo Do"},
            {"type": "mrkdwn", "text": "*Due*\n<!date^1700000000^{date}|Nov 14>"},
        ],
        "accessory": {
            "type": "button",
            "action_id": "task.complete",
            "text": _text("Complete"),
            "value": "p:1",
            "style": "primary",
        },
    },
    {
        "type": "context",
        "elements": [
            {"type": "mrkdwn", "text": "Owner <@U0DEV>"},
            {"type": "image", "image_url": "x", "alt_text": "avatar"},
        ],
    },
    {"type": "divider"},
    {
        "type": "actions",
        "block_id": "acts",
        "elements": [
            {"type": "button", "action_id": "task.edit", "text": _text("Edit"), "value": "p:1"},
            {
                "type": "overflow",
                "action_id": "task.overflow",
                "options": [_option("Delete", "d"), _option("Copy link", "c")],
            },
            {
                "type": "static_select",
                "action_id": "pick",
                "placeholder": _text("Priority"),
                "option_groups": [
                    {
                        "label": _text("Usual"),
                        "options": [_option("High", "2"), _option("Low", "4")],
                    }
                ],
            },
            {"type": "external_select", "action_id": "select.task", "placeholder": _text("Task")},
            {"type": "datepicker", "action_id": "due", "initial_date": "2026-01-31"},
            {
                "type": "checkboxes",
                "action_id": "notif.select",
                "options": [_option("First", "1"), _option("Second", "2")],
                "initial_options": [_option("Second", "2")],
            },
        ],
    },
    {
        "type": "input",
        "block_id": "title",
        "label": _text("Title"),
        "element": {"type": "plain_text_input", "action_id": "v", "placeholder": _text("What?")},
    },
    {
        "type": "input",
        "block_id": "hours",
        "label": _text("Hours"),
        "optional": True,
        "element": {
            "type": "number_input",
            "action_id": "v",
            "is_decimal_allowed": True,
            "initial_value": "1.5",
        },
    },
    {
        "type": "input",
        "block_id": "at",
        "label": _text("Stopped at"),
        "element": {"type": "timepicker", "action_id": "v"},
    },
    {
        "type": "input",
        "block_id": "who",
        "label": _text("Owner"),
        "element": {"type": "users_select", "action_id": "v"},
    },
]


def _printed(renderable: Any) -> str:
    out = io.StringIO()
    Console(file=out, width=120, no_color=True).print(renderable)
    return out.getvalue()


def test_every_element_type_draws_with_numbers_in_reading_order() -> None:
    rendered = render_blocks(BLOCKS, style=Style(names={"U0DEV": "dev"}))
    text = _printed(rendered.renderable)
    kinds = [c.kind for c in rendered.controls]
    assert kinds == [
        "button",
        "button",
        "overflow",
        "static_select",
        "external_select",
        "datepicker",
        "checkboxes",
    ]
    assert [c.number for c in rendered.controls] == list(range(1, 8))
    assert [c.block_id for c in rendered.controls] == ["card"] + ["acts"] * 6
    for line in (
        "[1] ( Complete )",
        "[2] ( Edit )",
        "[3] ⋯ overflow: 1) Delete · 2) Copy link",
        "[4] ▾ Priority: 1) High · 2) Low",
        "(search: select 5 <text>)",
        "[6] 📅 2026-01-31  (select 6 YYYY-MM-DD)",
        "☐ 1) First · ☑ 2) Second",
    ):
        assert line in text, line
    assert "Task card" in text and "Pay <b>" in text and "Nov 14" in text
    assert "Owner @dev" in text and "[avatar]" in text
    assert "*Pay" not in text  # mrkdwn markers become styles


def test_input_fields_are_named_and_show_values_placeholders_and_requirement() -> None:
    rendered = render_blocks(BLOCKS, values={"title": "Buy milk"})
    text = _printed(rendered.renderable)
    fields = {f.block_id: f for f in rendered.fields}
    assert list(fields) == ["title", "hours", "at", "who"]
    assert [f.number for f in rendered.fields] == [1, 2, 3, 4]
    assert fields["hours"].optional and not fields["title"].optional
    assert "✎ 1. Title [title] *: Buy milk" in text
    assert "✎ 2. Hours [hours]: 1.5" in text
    assert "(fill at HH:MM)" in text and "(fill who @name)" in text
    assert "(What?)" not in text  # typed value replaces the placeholder
    assert "(What?)" in _printed(render_blocks(BLOCKS).renderable)


def test_numbering_continues_from_first_number_and_modal_shows_its_buttons() -> None:
    view = {
        "type": "modal",
        "title": _text("Stop timer"),
        "submit": _text("Stop"),
        "close": _text("Cancel"),
        "blocks": BLOCKS,
    }
    rendered = render_surface("Modal", view, first_number=4)
    text = _printed(rendered.renderable)
    assert rendered.controls[0].number == 4 and "[4] ( Complete )" in text
    assert "Modal: Stop timer" in text and "[submit: Stop]  [close: Cancel]" in text


def test_text_only_message_and_mrkdwn_links() -> None:
    text = _printed(
        render_surface("Reply", {"text": "See <https://a.test/x|the task> &amp; go"}).renderable
    )
    assert "See the task & go" in text
    styled = mrkdwn("*<https://a.test|Bold link>* `*raw*` ~old~ _it_", Style())
    assert styled.plain == "Bold link *raw* old it"
    assert {span.style for span in styled.spans} >= {
        "bold",
        "underline",
        "bold cyan",
        "strike",
        "italic",
    }
    assert mrkdwn(":bell: hi", Style(emoji=True)).plain == "🔔 hi"


def test_channel_mentions_show_the_channel_name_as_slack_does() -> None:
    style = Style(channels={"C0GENERAL": "general"})
    assert mrkdwn("<#C0GENERAL> follows it", style).plain == "#general follows it"
    assert mrkdwn("<#C0OTHER|random> and <#C0UNKNOWN>", style).plain == "#random and #C0UNKNOWN"
