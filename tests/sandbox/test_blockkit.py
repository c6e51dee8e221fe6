"""Block Kit limit checks: every rule fires on its own, and a big valid payload passes."""

from __future__ import annotations

from typing import Any

import pytest

from bot.sandbox.blockkit import validate_message, validate_view


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def section(text: str = "hello", **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": mrkdwn(text), **extra}


def button(action_id: str = "go", text: str = "Go", **extra: Any) -> dict[str, Any]:
    return {"type": "button", "action_id": action_id, "text": plain(text), **extra}


def option(text: str = "One", value: str = "1") -> dict[str, Any]:
    return {"text": plain(text), "value": value}


def select(options: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"type": "static_select", "action_id": "pick", "options": options, **extra}


def actions(*elements: dict[str, Any]) -> dict[str, Any]:
    return {"type": "actions", "elements": list(elements)}


def confirm(
    title: str = "Sure?", text: str = "Really", yes: str = "Yes", no: str = "No"
) -> dict[str, Any]:
    return {"title": plain(title), "text": mrkdwn(text), "confirm": plain(yes), "deny": plain(no)}


def modal(blocks: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"type": "modal", "title": plain("Tasks"), "blocks": blocks, **extra}


def text_input(**extra: Any) -> dict[str, Any]:
    return {
        "type": "input",
        "label": plain("Name"),
        "element": {"type": "plain_text_input", "action_id": "name"},
        **extra,
    }


def big_valid_message() -> dict[str, Any]:
    """50 blocks, every element at (not over) its limit."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": plain("H" * 150)},
        section(
            "s" * 3000,
            accessory=button(
                "acc",
                "b" * 75,
                value="v" * 2000,
                url="https://x.test/" + "u" * 2980,
                confirm=confirm("t" * 100, "x" * 300, "y" * 30, "n" * 30),
            ),
        ),
        {"type": "section", "fields": [mrkdwn("f" * 2000) for _ in range(10)]},
        actions(
            *(button(f"b{i}") for i in range(24)),
            select(
                [option("o" * 75, f"{i:0150d}") for i in range(100)], placeholder=plain("p" * 150)
            ),
        ),
        {
            "type": "context",
            "elements": [mrkdwn("c")] * 9
            + [{"type": "image", "image_url": "https://x.test/i.png", "alt_text": "a"}],
        },
        {"type": "divider", "block_id": "d" * 255},
        {"type": "image", "image_url": "https://x.test/i.png", "alt_text": "pic"},
        {"type": "rich_text", "elements": [{"type": "rich_text_section", "elements": []}]},
        {"type": "markdown", "text": "m" * 12_000},
    ]
    blocks += [section(f"row {i} \u05e9\u05dc\u05d5\u05dd \U0001f600") for i in range(41)]
    return {"text": "t" * 39_000, "blocks": blocks}


def test_big_valid_message_passes() -> None:
    payload = big_valid_message()
    assert len(payload["blocks"]) == 50
    assert validate_message(payload) == []


def test_big_valid_modal_passes() -> None:
    view = modal(
        [text_input(block_id=f"b{i}", hint=plain("h" * 2000)) for i in range(100)],
        submit=plain("s" * 24),
        close=plain("c" * 24),
        callback_id="c" * 255,
        private_metadata="m" * 3000,
    )
    assert validate_view(view) == []


MESSAGE_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("51 blocks", {"blocks": [section()] * 51}, "blocks: has 51 items"),
    ("text over 40k", {"text": "x" * 40_001}, "text: 40001 chars > 40000"),
    ("section text", {"blocks": [section("x" * 3001)]}, "blocks[0].text.text: 3001 chars"),
    (
        "11 fields",
        {"blocks": [{"type": "section", "fields": [mrkdwn("f")] * 11}]},
        "blocks[0].fields: has 11 items",
    ),
    (
        "long field",
        {"blocks": [{"type": "section", "fields": [mrkdwn("f" * 2001)]}]},
        "blocks[0].fields[0].text: 2001 chars > 2000",
    ),
    ("section without text", {"blocks": [{"type": "section"}]}, "needs text or fields"),
    (
        "header length",
        {"blocks": [{"type": "header", "text": plain("h" * 151)}]},
        "blocks[0].text.text: 151 chars > 150",
    ),
    (
        "header mrkdwn",
        {"blocks": [{"type": "header", "text": mrkdwn("h")}]},
        "blocks[0].text.type: must be plain_text",
    ),
    (
        "26 actions",
        {"blocks": [actions(*(button(f"b{i}") for i in range(26)))]},
        "blocks[0].elements: has 26 items",
    ),
    (
        "11 context",
        {"blocks": [{"type": "context", "elements": [mrkdwn("c")] * 11}]},
        "blocks[0].elements: has 11 items",
    ),
    ("block_id length", {"blocks": [section(block_id="b" * 256)]}, "block_id: 256 chars > 255"),
    (
        "duplicate block_id",
        {"blocks": [section(block_id="x"), section(block_id="x")]},
        "duplicate block_id 'x'",
    ),
    ("action_id length", {"blocks": [actions(button("a" * 256))]}, "action_id: 256 chars"),
    (
        "duplicate action_id",
        {"blocks": [actions(button("same"), button("same"))]},
        "duplicate action_id 'same'",
    ),
    (
        "button text",
        {"blocks": [actions(button(text="b" * 76))]},
        "elements[0].text.text: 76 chars > 75",
    ),
    (
        "button mrkdwn",
        {"blocks": [actions({**button(), "text": mrkdwn("Go")})]},
        "elements[0].text.type: must be plain_text",
    ),
    ("button value", {"blocks": [actions(button(value="v" * 2001))]}, "value: 2001 chars"),
    ("button url", {"blocks": [actions(button(url="u" * 3001))]}, "url: 3001 chars"),
    ("button style", {"blocks": [actions(button(style="green"))]}, "must be primary or danger"),
    (
        "option text",
        {"blocks": [actions(select([option("o" * 76)]))]},
        "options[0].text.text: 76 chars > 75",
    ),
    (
        "option value",
        {"blocks": [actions(select([option(value="v" * 151)]))]},
        "options[0].value: 151 chars > 150",
    ),
    (
        "option mrkdwn",
        {"blocks": [actions(select([{"text": mrkdwn("o"), "value": "1"}]))]},
        "options[0].text.type: must be plain_text",
    ),
    ("101 options", {"blocks": [actions(select([option()] * 101))]}, "options: has 101 items"),
    (
        "placeholder",
        {"blocks": [actions(select([option()], placeholder=plain("p" * 151)))]},
        "placeholder.text: 151 chars > 150",
    ),
    (
        "confirm title",
        {"blocks": [actions(button(confirm=confirm(title="t" * 101)))]},
        "confirm.title.text: 101 chars > 100",
    ),
    (
        "confirm text",
        {"blocks": [actions(button(confirm=confirm(text="t" * 301)))]},
        "confirm.text.text: 301 chars > 300",
    ),
    (
        "confirm yes",
        {"blocks": [actions(button(confirm=confirm(yes="y" * 31)))]},
        "confirm.confirm.text: 31 chars > 30",
    ),
    (
        "confirm no",
        {"blocks": [actions(button(confirm=confirm(no="n" * 31)))]},
        "confirm.deny.text: 31 chars > 30",
    ),
    ("missing type", {"blocks": [{"text": mrkdwn("x")}]}, "unknown or missing block type"),
    ("unknown type", {"blocks": [{"type": "carousel"}]}, "unknown or missing block type"),
    (
        "input in actions",
        {"blocks": [actions({"type": "plain_text_input", "action_id": "x"})]},
        "element type 'plain_text_input' is not allowed here",
    ),
    ("empty text", {"blocks": [section("")]}, "blocks[0].text.text: must be a non-empty string"),
    (
        "image alt",
        {"blocks": [{"type": "image", "image_url": "https://x.test/i.png"}]},
        "alt_text: must be a non-empty string",
    ),
    ("markdown", {"blocks": [{"type": "markdown", "text": "m" * 12_001}]}, "12001 chars > 12000"),
]


@pytest.mark.parametrize(
    ("payload", "expected"), [c[1:] for c in MESSAGE_CASES], ids=[c[0] for c in MESSAGE_CASES]
)
def test_message_rule_fires(payload: dict[str, Any], expected: str) -> None:
    violations = validate_message(payload)
    assert any(expected in v for v in violations), violations


def test_long_text_under_40k_is_only_advice() -> None:
    assert validate_message({"text": "x" * 4_001}) == []


VIEW_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("101 blocks", modal([section()] * 101), "blocks: has 101 items"),
    ("no title", {"type": "modal", "blocks": []}, "title: is required"),
    ("long title", modal([], title=plain("t" * 25)), "title.text: 25 chars > 24"),
    ("mrkdwn title", modal([], title=mrkdwn("t")), "title.type: must be plain_text"),
    ("long submit", modal([], submit=plain("s" * 25)), "submit.text: 25 chars > 24"),
    ("long close", modal([], close=plain("c" * 25)), "close.text: 25 chars > 24"),
    ("input needs submit", modal([text_input()]), "submit: is required"),
    (
        "input label",
        modal([text_input(label=plain("l" * 2001))], submit=plain("OK")),
        "label.text: 2001 chars > 2000",
    ),
    (
        "input hint",
        modal([text_input(hint=plain("h" * 2001))], submit=plain("OK")),
        "hint.text: 2001 chars > 2000",
    ),
    (
        "input without element",
        modal([{"type": "input", "label": plain("L")}], submit=plain("OK")),
        "blocks[0].element: is required",
    ),
    (
        "input without label",
        modal(
            [{"type": "input", "element": {"type": "plain_text_input", "action_id": "a"}}],
            submit=plain("OK"),
        ),
        "blocks[0].label: is required",
    ),
    (
        "button in input",
        modal([text_input(element=button())], submit=plain("OK")),
        "element type 'button' is not allowed here",
    ),
    (
        "private_metadata",
        modal([], private_metadata="m" * 3001),
        "private_metadata: 3001 chars > 3000",
    ),
    ("callback_id", modal([], callback_id="c" * 256), "callback_id: 256 chars > 255"),
    ("bad type", {"type": "dialog", "blocks": []}, "type: must be modal or home"),
    (
        "too large",
        {"type": "home", "blocks": [section("x" * 3000, block_id=f"b{i}") for i in range(90)]},
        "bytes > 250000",
    ),
]


@pytest.mark.parametrize(
    ("view", "expected"), [c[1:] for c in VIEW_CASES], ids=[c[0] for c in VIEW_CASES]
)
def test_view_rule_fires(view: dict[str, Any], expected: str) -> None:
    violations = validate_view(view)
    assert any(expected in v for v in violations), violations


def test_home_needs_no_title_and_allows_100_blocks() -> None:
    assert validate_view({"type": "home", "blocks": [section()] * 100}) == []
