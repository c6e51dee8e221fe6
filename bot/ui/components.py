"""Small Block Kit helpers that keep every output inside Slack's limits."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.ui.words import day_and_clock

Block = dict[str, Any]

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
SECTION_TEXT = 3000
HEADER_TEXT = 150
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
OPTION_TEXT = 75
OPTION_VALUE = 150
CONTEXT_ELEMENTS = 10
FIELD_TEXT = 2000
MODAL_TITLE = 24
PLACEHOLDER = 150


def escape(text: str) -> str:
    """Escape user text for mrkdwn, so `<!channel>` or `<@U1>` cannot be injected."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """At most `limit` characters, ending with an ellipsis when cut."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def truncate_escaped(text: str, limit: int) -> str:
    """Escape, then cut without splitting an `&amp;`-style entity."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    cut = escaped[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "…"


def plain(text: str, limit: int = SECTION_TEXT, *, emoji: bool = True) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, limit) or " ", "emoji": emoji}


def mrkdwn(text: str, limit: int = SECTION_TEXT) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": truncate(text, limit) or " "}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, HEADER_TEXT)}


def section(
    text: str,
    *,
    accessory: dict[str, Any] | None = None,
    fields: list[str] | None = None,
    block_id: str | None = None,
) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if fields:
        block["fields"] = [mrkdwn(f, FIELD_TEXT) for f in fields[:10]]
    if accessory:
        block["accessory"] = accessory
    if block_id:
        block["block_id"] = block_id
    return block


def context(*texts: str) -> Block:
    return {
        "type": "context",
        "elements": [mrkdwn(t, SECTION_TEXT) for t in texts[:CONTEXT_ELEMENTS]],
    }


def divider() -> Block:
    return {"type": "divider"}


def button(
    text: str,
    action_id: str,
    value: str | None = None,
    *,
    style: str | None = None,
    url: str | None = None,
    confirm: dict[str, Any] | None = None,
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": plain(text, BUTTON_TEXT),
        "action_id": action_id,
    }
    if value is not None:
        element["value"] = value[:BUTTON_VALUE]
    if style:
        element["style"] = style
    if url:
        element["url"] = url
    if confirm:
        element["confirm"] = confirm
    return element


def confirm_dialog(
    title: str, text: str, confirm: str = "Yes", deny: str = "Cancel", *, danger: bool = False
) -> dict[str, Any]:
    dialog: dict[str, Any] = {
        "title": plain(title, 100),
        "text": mrkdwn(text, 300),
        "confirm": plain(confirm, 30),
        "deny": plain(deny, 30),
    }
    if danger:
        dialog["style"] = "danger"
    return dialog


def option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text, OPTION_TEXT), "value": value[:OPTION_VALUE]}


def overflow(action_id: str, options: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "type": "overflow",
        "action_id": action_id,
        "options": [option(t, v) for t, v in options[:5]],
    }


def actions(*elements: dict[str, Any], block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements[:25])}
    if block_id:
        block["block_id"] = block_id
    return block


def cap_blocks(blocks: list[Block], limit: int, more: Block | None = None) -> list[Block]:
    """Keep at most `limit` blocks; when cut, the last kept one is `more` (an "and N more")."""
    if len(blocks) <= limit:
        return blocks
    if more is None:
        return blocks[:limit]
    return [*blocks[: limit - 1], more]


def message(text: str, blocks: list[Block] | None = None) -> dict[str, Any]:
    """A message payload. `text`, the notification and accessibility fallback, is given raw
    and escaped here: it often quotes user or Astravue text, and Slack reads it as mrkdwn."""
    payload: dict[str, Any] = {"text": truncate_escaped(text, 3000)}
    if blocks is not None:
        payload["blocks"] = cap_blocks(blocks, MAX_MESSAGE_BLOCKS)
    return payload


def modal(
    title: str,
    blocks: list[Block],
    *,
    callback_id: str,
    submit: str | None = None,
    close: str = "Cancel",
    private_metadata: str = "",
    external_id: str | None = None,
) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, MODAL_TITLE),
        "close": plain(close, MODAL_TITLE),
        "blocks": cap_blocks(blocks, MAX_VIEW_BLOCKS),
        "private_metadata": private_metadata[:3000],
    }
    if submit:
        view["submit"] = plain(submit, MODAL_TITLE)
    if external_id:
        view["external_id"] = external_id
    return view


def date_token(epoch: int, fmt: str = "{date_short_pretty} {time}", fallback: str = "") -> str:
    """Slack renders `<!date^...>` in each reader's own time zone: for moments only (a due
    date is a calendar date: bot.domain.calendar). The fallback is never a bare epoch."""
    shown = fallback or f"{day_and_clock(datetime.fromtimestamp(epoch, UTC))} UTC"
    return f"<!date^{epoch}^{fmt}|{shown}>"
