"""Block Kit limit checks, as Slack enforces them.

The Slack fake runs every posted or updated message and view through these checks and answers
`invalid_blocks` when one fails, so a builder that overflows a limit fails a test instead of a
user's click. Each violation names the JSON path, e.g. `blocks[3].text.text: 3012 chars > 3000`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

MESSAGE_MAX_BLOCKS = 50
VIEW_MAX_BLOCKS = 100
VIEW_MAX_BYTES = 250_000
MESSAGE_TEXT_MAX = 40_000
ID_MAX = 255

KNOWN_BLOCKS = frozenset(
    {
        "section",
        "divider",
        "header",
        "context",
        "actions",
        "input",
        "image",
        "rich_text",
        "markdown",
    }
)
_SELECTS = frozenset(
    {
        "static_select",
        "external_select",
        "users_select",
        "conversations_select",
        "channels_select",
        "multi_static_select",
        "multi_external_select",
        "multi_users_select",
        "multi_conversations_select",
        "multi_channels_select",
    }
)
_PICKERS = frozenset({"datepicker", "timepicker", "datetimepicker", "checkboxes", "radio_buttons"})
# Elements that act on their own (actions blocks, section accessories).
_INTERACTIVE = _SELECTS | _PICKERS | {"button", "overflow", "workflow_button"}
# Elements that only collect a value inside an input block.
_INPUT_ONLY = frozenset(
    {
        "plain_text_input",
        "number_input",
        "email_text_input",
        "url_text_input",
        "file_input",
        "rich_text_input",
    }
)
_INPUT_ELEMENTS = _SELECTS | _PICKERS | _INPUT_ONLY
_ACCESSORIES = _INTERACTIVE | {"image"}
_TEXT_TYPES = frozenset({"plain_text", "mrkdwn"})


class _Checker:
    """Collects violations while walking one payload."""

    def __init__(self) -> None:
        self.violations: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.violations.append(f"{path}: {message}")

    def max_len(self, path: str, value: Any, limit: int) -> None:
        if value is None:
            return
        if not isinstance(value, str):
            self.fail(path, "must be a string")
        elif len(value) > limit:
            self.fail(path, f"{len(value)} chars > {limit}")

    def text(
        self, path: str, obj: Any, limit: int, *, plain_only: bool = False, required: bool = True
    ) -> None:
        """A text object: {"type": "plain_text"|"mrkdwn", "text": "..."}."""
        if obj is None:
            if required:
                self.fail(path, "is required")
            return
        if not isinstance(obj, dict):
            self.fail(path, "must be a text object")
            return
        kind = obj.get("type")
        if kind not in _TEXT_TYPES:
            self.fail(f"{path}.type", f"must be plain_text or mrkdwn, not {kind!r}")
        elif plain_only and kind != "plain_text":
            self.fail(f"{path}.type", "must be plain_text")
        value = obj.get("text")
        if not isinstance(value, str) or not value:
            self.fail(f"{path}.text", "must be a non-empty string")
        else:
            self.max_len(f"{path}.text", value, limit)

    def count(self, path: str, items: Any, *, low: int, high: int) -> list[Any]:
        """Checks a list's length; returns the list (or [] when it is not one)."""
        if not isinstance(items, list):
            self.fail(path, "must be a list")
            return []
        if not low <= len(items) <= high:
            self.fail(path, f"has {len(items)} items, allowed {low}..{high}")
        return items

    def blocks(self, path: str, blocks: Any, max_blocks: int) -> None:
        seen_ids: set[str] = set()
        for index, block in enumerate(self.count(path, blocks, low=0, high=max_blocks)):
            where = f"{path}[{index}]"
            if not isinstance(block, dict):
                self.fail(where, "must be an object")
                continue
            block_id = block.get("block_id")
            if block_id is not None:
                self.max_len(f"{where}.block_id", block_id, ID_MAX)
                if block_id in seen_ids:
                    self.fail(f"{where}.block_id", f"duplicate block_id {block_id!r}")
                seen_ids.add(block_id)
            kind = block.get("type")
            check = self._block_checks().get(kind) if isinstance(kind, str) else None
            if check is None:
                self.fail(f"{where}.type", f"unknown or missing block type {kind!r}")
            else:
                check(where, block)

    def _block_checks(self) -> dict[str, Callable[[str, dict[str, Any]], None]]:
        return {
            "section": self.section,
            "divider": lambda _path, _block: None,
            "header": self.header,
            "context": self.context,
            "actions": self.actions,
            "input": self.input,
            "image": self.image,
            "rich_text": self.rich_text,
            "markdown": self.markdown,
        }

    def header(self, path: str, block: dict[str, Any]) -> None:
        self.text(f"{path}.text", block.get("text"), 150, plain_only=True)

    def rich_text(self, path: str, block: dict[str, Any]) -> None:
        elements = block.get("elements")
        if not isinstance(elements, list) or not elements:
            self.fail(f"{path}.elements", "must be a non-empty list")

    def section(self, path: str, block: dict[str, Any]) -> None:
        if block.get("text") is None and block.get("fields") is None:
            self.fail(path, "a section needs text or fields")
        self.text(f"{path}.text", block.get("text"), 3000, required=False)
        if block.get("fields") is not None:
            for index, field in enumerate(
                self.count(f"{path}.fields", block["fields"], low=1, high=10)
            ):
                self.text(f"{path}.fields[{index}]", field, 2000)
        if block.get("accessory") is not None:
            self.element(f"{path}.accessory", block["accessory"], _ACCESSORIES)

    def context(self, path: str, block: dict[str, Any]) -> None:
        for index, item in enumerate(
            self.count(f"{path}.elements", block.get("elements"), low=1, high=10)
        ):
            where = f"{path}.elements[{index}]"
            if isinstance(item, dict) and item.get("type") == "image":
                self.image_element(where, item)
            else:
                self.text(where, item, 3000)

    def actions(self, path: str, block: dict[str, Any]) -> None:
        action_ids: set[str] = set()
        for index, item in enumerate(
            self.count(f"{path}.elements", block.get("elements"), low=1, high=25)
        ):
            where = f"{path}.elements[{index}]"
            self.element(where, item, _INTERACTIVE)
            action_id = item.get("action_id") if isinstance(item, dict) else None
            if action_id is not None:
                if action_id in action_ids:
                    self.fail(f"{where}.action_id", f"duplicate action_id {action_id!r}")
                action_ids.add(action_id)

    def input(self, path: str, block: dict[str, Any]) -> None:
        self.text(f"{path}.label", block.get("label"), 2000, plain_only=True)
        self.text(f"{path}.hint", block.get("hint"), 2000, plain_only=True, required=False)
        if block.get("element") is None:
            self.fail(f"{path}.element", "is required")
        else:
            self.element(f"{path}.element", block["element"], _INPUT_ELEMENTS)

    def image(self, path: str, block: dict[str, Any]) -> None:
        self.image_element(path, block)
        self.text(f"{path}.title", block.get("title"), 2000, plain_only=True, required=False)

    def image_element(self, path: str, item: dict[str, Any]) -> None:
        if item.get("image_url") is None and item.get("slack_file") is None:
            self.fail(path, "an image needs image_url or slack_file")
        self.max_len(f"{path}.image_url", item.get("image_url"), 3000)
        alt_text = item.get("alt_text")
        if not isinstance(alt_text, str) or not alt_text:
            self.fail(f"{path}.alt_text", "must be a non-empty string")
        else:
            self.max_len(f"{path}.alt_text", alt_text, 2000)

    def markdown(self, path: str, block: dict[str, Any]) -> None:
        value = block.get("text")
        if not isinstance(value, str) or not value:
            self.fail(f"{path}.text", "must be a non-empty string")
        else:
            self.max_len(f"{path}.text", value, 12_000)

    def element(self, path: str, item: Any, allowed: frozenset[str]) -> None:
        if not isinstance(item, dict):
            self.fail(path, "must be an object")
            return
        kind = item.get("type")
        if kind not in allowed:
            self.fail(f"{path}.type", f"element type {kind!r} is not allowed here")
            return
        if kind == "image":
            self.image_element(path, item)
            return
        self.max_len(f"{path}.action_id", item.get("action_id"), ID_MAX)
        self.text(
            f"{path}.placeholder", item.get("placeholder"), 150, plain_only=True, required=False
        )
        if item.get("confirm") is not None:
            self.confirm(f"{path}.confirm", item["confirm"])
        if kind == "button":
            self.text(f"{path}.text", item.get("text"), 75, plain_only=True)
            self.max_len(f"{path}.value", item.get("value"), 2000)
            self.max_len(f"{path}.url", item.get("url"), 3000)
            if item.get("style") not in (None, "primary", "danger"):
                self.fail(f"{path}.style", "must be primary or danger")
        elif kind == "overflow":
            self.options(f"{path}.options", item.get("options"), high=5, plain_only=True)
        elif kind in ("checkboxes", "radio_buttons"):
            self.options(f"{path}.options", item.get("options"), high=10, plain_only=False)
        elif kind in ("static_select", "multi_static_select"):
            self.select_options(path, item)
        elif kind == "plain_text_input":
            for name in ("min_length", "max_length"):
                length = item.get(name)
                if length is not None and not (isinstance(length, int) and 0 <= length <= 3000):
                    self.fail(f"{path}.{name}", "must be an integer 0..3000")

    def select_options(self, path: str, item: dict[str, Any]) -> None:
        options, groups = item.get("options"), item.get("option_groups")
        if (options is None) == (groups is None):
            self.fail(path, "a static select needs exactly one of options or option_groups")
        if options is not None:
            self.options(f"{path}.options", options, high=100, plain_only=True)
        if groups is not None:
            for index, group in enumerate(
                self.count(f"{path}.option_groups", groups, low=1, high=100)
            ):
                where = f"{path}.option_groups[{index}]"
                if not isinstance(group, dict):
                    self.fail(where, "must be an object")
                    continue
                self.text(f"{where}.label", group.get("label"), 75, plain_only=True)
                self.options(f"{where}.options", group.get("options"), high=100, plain_only=True)

    def options(self, path: str, options: Any, *, high: int, plain_only: bool) -> None:
        for index, option in enumerate(self.count(path, options, low=1, high=high)):
            where = f"{path}[{index}]"
            if not isinstance(option, dict):
                self.fail(where, "must be an object")
                continue
            self.text(f"{where}.text", option.get("text"), 75, plain_only=plain_only)
            value = option.get("value")
            if value is None:
                self.fail(f"{where}.value", "is required")
            self.max_len(f"{where}.value", value, 150)
            self.text(f"{where}.description", option.get("description"), 75, required=False)
            self.max_len(f"{where}.url", option.get("url"), 3000)

    def confirm(self, path: str, dialog: Any) -> None:
        if not isinstance(dialog, dict):
            self.fail(path, "must be an object")
            return
        self.text(f"{path}.title", dialog.get("title"), 100, plain_only=True)
        self.text(f"{path}.text", dialog.get("text"), 300)
        self.text(f"{path}.confirm", dialog.get("confirm"), 30, plain_only=True)
        self.text(f"{path}.deny", dialog.get("deny"), 30, plain_only=True)


def validate_message(payload: dict[str, Any]) -> list[str]:
    """Violations of a message payload (chat.postMessage/update, response_url); [] if valid.

    A `text` over 4,000 chars is allowed (Slack only recommends staying below it).
    """
    checker = _Checker()
    checker.max_len("text", payload.get("text"), MESSAGE_TEXT_MAX)
    blocks = payload.get("blocks")
    if blocks is not None:
        checker.blocks("blocks", blocks, MESSAGE_MAX_BLOCKS)
    return checker.violations


def validate_view(view: dict[str, Any]) -> list[str]:
    """Violations of a modal or Home tab view; [] if valid."""
    checker = _Checker()
    kind = view.get("type")
    if kind not in ("modal", "home"):
        checker.fail("type", f"must be modal or home, not {kind!r}")
    checker.blocks("blocks", view.get("blocks"), VIEW_MAX_BLOCKS)
    if kind == "modal":
        checker.text("title", view.get("title"), 24, plain_only=True)
        checker.text("close", view.get("close"), 24, plain_only=True, required=False)
        has_input = any(
            isinstance(b, dict) and b.get("type") == "input" for b in view.get("blocks") or []
        )
        checker.text("submit", view.get("submit"), 24, plain_only=True, required=has_input)
    checker.max_len("private_metadata", view.get("private_metadata"), 3000)
    checker.max_len("callback_id", view.get("callback_id"), ID_MAX)
    checker.max_len("external_id", view.get("external_id"), ID_MAX)
    size = view_size(view)
    if size > VIEW_MAX_BYTES:
        checker.fail("view", f"{size} bytes > {VIEW_MAX_BYTES}")
    return checker.violations


def view_size(view: dict[str, Any]) -> int:
    """Bytes of the view as JSON, the size Slack's 250 kB limit applies to."""
    return len(json.dumps(view, ensure_ascii=False).encode())
