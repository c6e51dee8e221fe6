"""Block Kit as a terminal shows it: messages, modals and the Home drawn with rich.

Pure functions: a payload in, a renderable plus the numbered controls and named input fields
out. Numbers are what the demo user types (`click 2`, `select 3 1`); input fields are filled by
block id, label or number (`fill title Buy milk`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from rich import box
from rich.console import Group, RenderableType
from rich.emoji import Emoji
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

Element = dict[str, Any]

# Slack mrkdwn: <link|label>, `code`, *bold*, _italic_, ~strike~.
_MRKDWN = re.compile(
    r"<([^<>\n]+)>|`([^`\n]+)`|\*([^*\n]+)\*|(?<![\w])_([^_\n]+)_(?![\w])"
    r"|~([^~\n]+)~"
)
_STYLES = {2: "bold cyan", 3: "bold", 4: "italic", 5: "strike"}
OPTION_ELEMENTS = frozenset(
    {"overflow", "static_select", "multi_static_select", "checkboxes", "radio_buttons"}
)
SEARCH_ELEMENTS = frozenset({"external_select", "multi_external_select"})
_HINTS = {
    "datepicker": "YYYY-MM-DD",
    "timepicker": "HH:MM",
    "datetimepicker": "YYYY-MM-DD HH:MM",
    "users_select": "@name",
    "multi_users_select": "@name,@name",
    "conversations_select": "#channel",
    "channels_select": "#channel",
    "multi_conversations_select": "#a,#b",
    "multi_channels_select": "#a,#b",
}
_ICONS = {
    "datepicker": "📅",
    "timepicker": "🕒",
    "datetimepicker": "📅",
    "users_select": "👤",
    "multi_users_select": "👤",
    "conversations_select": "#",
    "channels_select": "#",
    "multi_conversations_select": "#",
    "multi_channels_select": "#",
}


@dataclass(frozen=True)
class Control:
    """An element the user can act on by number: a button, menu, picker or select."""

    number: int
    block_id: str
    element: Element

    @property
    def kind(self) -> str:
        return str(self.element.get("type", ""))

    @property
    def label(self) -> str:
        return element_label(self.element)


@dataclass(frozen=True)
class InputField:
    """An input block of a modal: filled with `fill <name> <value>`."""

    number: int
    block_id: str
    label: str
    element: Element
    optional: bool


@dataclass
class Rendered:
    renderable: RenderableType
    controls: list[Control] = field(default_factory=list)
    fields: list[InputField] = field(default_factory=list)


@dataclass(frozen=True)
class Style:
    """How to draw: `emoji` turns `:shortcodes:` into emoji; `names` maps user ids to names,
    `channels` channel ids to names."""

    emoji: bool = False
    names: Mapping[str, str] = field(default_factory=dict)
    channels: Mapping[str, str] = field(default_factory=dict)


def plain_text(obj: Any) -> str:
    """The text of a text object (or "" when absent)."""
    return str(obj.get("text", "")) if isinstance(obj, dict) else ""


def options_of(element: Element) -> list[Element]:
    """An element's options, option groups flattened, in the order the user numbers them."""
    groups = element.get("option_groups") or []
    return [*element.get("options", []), *(o for g in groups for o in g.get("options", []))]


def element_label(element: Element) -> str:
    """What the user reads on an element: button text, or the placeholder / current choice."""
    if element.get("type") == "button":
        return plain_text(element.get("text"))
    chosen = element.get("initial_option") or {}
    return (
        plain_text(chosen.get("text"))
        or element.get("initial_date")
        or element.get("initial_time")
        or element.get("initial_user")
        or plain_text(element.get("placeholder"))
        or str(element.get("type", ""))
    )


def mrkdwn(text: str, style: Style, base: str = "") -> Text:
    """Slack mrkdwn as styled text: markers become styles, links and mentions become words."""
    out = Text(style=base)
    position = 0
    for match in _MRKDWN.finditer(text):
        out.append(_decode(text[position : match.start()], style))
        if match.group(1) is not None:
            out.append(_link(match.group(1), style), style="underline")
        else:
            group = next(i for i in range(2, 6) if match.group(i) is not None)
            inner = match.group(group)  # code is literal; other markers may wrap links
            out.append_text(
                Text(_decode(inner, style), style=_STYLES[group])
                if group == 2
                else mrkdwn(inner, style, _STYLES[group])
            )
        position = match.end()
    out.append(_decode(text[position:], style))
    return out


# Slack's names for emoji that rich knows by another.
SLACK_ALIASES = {
    ":large_yellow_circle:": ":yellow_circle:",
    ":large_orange_circle:": ":orange_circle:",
}


def _decode(text: str, style: Style) -> str:
    text = html.unescape(text)
    if not style.emoji:
        return text
    for slack, rich in SLACK_ALIASES.items():
        text = text.replace(slack, rich)
    return Emoji.replace(text)


def _link(inner: str, style: Style) -> str:
    """`<!date^..|fallback>`, `<@U1>`, `<#C1|name>`, `<!here>`, `<url|label>` as plain words."""
    target, _, label = inner.partition("|")
    if target.startswith("!date^"):
        return label or target
    if target.startswith("@"):
        return "@" + style.names.get(target[1:], label or target[1:])
    if target.startswith("#"):
        return "#" + (label or style.channels.get(target[1:], target[1:]))
    if target.startswith("!"):
        return "@" + (label or target[1:].split("^")[0])
    return _decode(label, style) if label else target


def _text_object(obj: Any, style: Style, base: str = "") -> Text:
    if not isinstance(obj, dict):
        return Text("")
    if obj.get("type") == "mrkdwn":
        return mrkdwn(str(obj.get("text", "")), style, base)
    return Text(_decode(str(obj.get("text", "")), style), style=base)


class _Numbers:
    """Hands out the next control and field numbers while a surface is drawn."""

    def __init__(self, first_control: int) -> None:
        self.controls: list[Control] = []
        self.fields: list[InputField] = []
        self.next_control = first_control

    def control(self, block_id: str, element: Element) -> Control:
        control = Control(self.next_control, block_id, element)
        self.next_control += 1
        self.controls.append(control)
        return control


def describe_control(control: Control, style: Style) -> Text:
    """One line for a control: `[n] label`, with its options or the expected input."""
    element, kind = control.element, control.kind
    line = Text(f"[{control.number}] ", style="bold yellow")
    if kind == "button":
        colour = {"primary": "bold green", "danger": "bold red"}.get(
            element.get("style", ""), "bold"
        )
        line.append(f"( {_decode(control.label, style)} )", style=colour)
        if element.get("url"):
            parts = urlsplit(str(element["url"]))
            line.append(f" ↗ {parts.netloc}{parts.path}", style="dim")
        return line
    icon = "⋯" if kind == "overflow" else _ICONS.get(kind, "▾")
    line.append(f"{icon} {_decode(control.label, style)}")
    line.append_text(_choices(f"select {control.number}", element, style))
    return line


def _choices(command: str, element: Element, style: Style) -> Text:
    """The options to pick from (numbered), or how to type a value for this element."""
    kind = str(element.get("type", ""))
    if kind in OPTION_ELEMENTS:
        chosen = {o.get("value") for o in element.get("initial_options", [])}
        chosen.add((element.get("initial_option") or {}).get("value"))
        marks = kind in ("checkboxes", "radio_buttons")
        items = []
        for index, option in enumerate(options_of(element), start=1):
            mark = ("☑ " if option.get("value") in chosen else "☐ ") if marks else ""
            items.append(f"{mark}{index}) {_decode(plain_text(option.get('text')), style)}")
        return Text(": " + " · ".join(items), style="default")
    if kind in SEARCH_ELEMENTS:
        return Text(f"  (search: {command} <text>)", style="dim")
    if kind in _HINTS:
        return Text(f"  ({command} {_HINTS[kind]})", style="dim")
    return Text("")


def _field_line(entry: InputField, current: str | None, style: Style) -> Text:
    line = Text(f"✎ {entry.number}. ", style="bold yellow")
    line.append(_decode(entry.label, style), style="bold")
    line.append(f" [{entry.block_id}]" + ("" if entry.optional else " *"), style="dim")
    line.append(": ")
    initial = (
        entry.element.get("initial_value") or element_label(entry.element)
        if _has_initial(entry.element)
        else None
    )
    marked = entry.element.get("type") in ("checkboxes", "radio_buttons")
    if current is not None:
        line.append(current, style="green")
    elif marked:
        line.append("pick", style="dim")  # the ☑ marks below show what is chosen
    elif initial:
        line.append(_decode(str(initial), style))
    else:
        placeholder = plain_text(entry.element.get("placeholder"))
        line.append(f"({placeholder or 'empty'})", style="dim")
    kind = str(entry.element.get("type", ""))
    if kind in OPTION_ELEMENTS | SEARCH_ELEMENTS or kind in _HINTS:
        line.append_text(_choices(f"fill {entry.block_id}", entry.element, style))
    return line


def _has_initial(element: Element) -> bool:
    return any(key.startswith("initial_") for key in element)


def _block(
    block: dict[str, Any], numbers: _Numbers, style: Style, values: Mapping[str, str]
) -> list[RenderableType]:
    kind = block.get("type")
    block_id = str(block.get("block_id", ""))
    if kind == "header":
        return [_text_object(block.get("text"), style, "bold underline")]
    if kind == "divider":
        return [Rule(style="dim")]
    if kind == "context":
        parts = [
            _text_object(e, style)
            if e.get("type") != "image"
            else Text(f"[{e.get('alt_text', 'image')}]")
            for e in block.get("elements", [])
        ]
        return [Text("  ·  ", style="dim").join(parts)]
    if kind == "image":
        return [Text(f"[image: {block.get('alt_text', '')}]", style="dim")]
    if kind == "section":
        return _section(block, block_id, numbers, style)
    if kind == "actions":
        return [
            describe_control(numbers.control(block_id, e), style) for e in block.get("elements", [])
        ]
    if kind == "input":
        entry = InputField(
            len(numbers.fields) + 1,
            block_id,
            plain_text(block.get("label")),
            block.get("element") or {},
            bool(block.get("optional")),
        )
        numbers.fields.append(entry)
        rows: list[RenderableType] = [_field_line(entry, values.get(block_id), style)]
        if block.get("hint"):
            rows.append(Text("   " + _decode(plain_text(block["hint"]), style), style="dim"))
        return rows
    if kind == "rich_text":
        return [Text(_rich_text(block))]
    return [Text(f"[{kind} block]", style="dim")]


def _section(
    block: dict[str, Any], block_id: str, numbers: _Numbers, style: Style
) -> list[RenderableType]:
    rows: list[RenderableType] = []
    if block.get("text"):
        rows.append(_text_object(block["text"], style))
    if block.get("fields"):
        grid = Table.grid(padding=(0, 4))
        grid.add_column()
        grid.add_column()
        cells = [_text_object(f, style) for f in block["fields"]]
        for index in range(0, len(cells), 2):
            grid.add_row(*cells[index : index + 2])
        rows.append(grid)
    accessory = block.get("accessory")
    if isinstance(accessory, dict) and accessory.get("type") == "image":
        rows.append(Text(f"[image: {accessory.get('alt_text', '')}]", style="dim"))
    elif isinstance(accessory, dict):
        rows.append(describe_control(numbers.control(block_id, accessory), style))
    return rows


def _rich_text(node: Any) -> str:
    if isinstance(node, dict):
        if node.get("type") in ("text", "link"):
            return str(node.get("text") or node.get("url") or "")
        return "".join(_rich_text(child) for child in node.get("elements", []))
    return ""


def render_blocks(
    blocks: list[dict[str, Any]],
    *,
    first_number: int = 1,
    style: Style | None = None,
    values: Mapping[str, str] | None = None,
) -> Rendered:
    """Blocks drawn top to bottom; controls numbered from `first_number` in reading order.

    `values` shows what the user already typed into input blocks (block_id -> display text).
    """
    numbers = _Numbers(first_number)
    rows: list[RenderableType] = []
    for block in blocks:
        rows += _block(block, numbers, style or Style(), values or {})
    return Rendered(Group(*rows), numbers.controls, numbers.fields)


def render_surface(
    title: str,
    payload: dict[str, Any],
    *,
    first_number: int = 1,
    style: Style | None = None,
    values: Mapping[str, str] | None = None,
    border: str = "blue",
) -> Rendered:
    """A message (text + blocks) or a view (modal/home) in a titled panel."""
    style = style or Style()
    blocks = payload.get("blocks") or []
    rendered = render_blocks(blocks, first_number=first_number, style=style, values=values)
    body: RenderableType = rendered.renderable
    if not blocks:
        body = mrkdwn(str(payload.get("text") or ""), style)
    heading = title
    if payload.get("type") == "modal":
        heading = f"{title}: {_decode(plain_text(payload.get('title')), style)}"
        buttons = [f"close: {plain_text(payload.get('close')) or 'Cancel'}"]
        if payload.get("submit"):
            buttons.insert(0, f"submit: {plain_text(payload['submit'])}")
        body = Group(body, Text("  ".join(f"[{b}]" for b in buttons), style="dim"))
    panel = Panel(
        body, title=heading, title_align="left", border_style=border, box=box.ROUNDED, expand=True
    )
    return Rendered(panel, rendered.controls, rendered.fields)
