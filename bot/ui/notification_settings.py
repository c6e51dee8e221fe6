"""The settings modal (notifications and timer reminders) and the App Home section."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.domain.notifications import NotificationPrefs
from bot.ui.components import (
    Block,
    actions,
    button,
    context,
    header,
    modal,
    option,
    plain,
    section,
    truncate_escaped,
)
from bot.ui.ids import Action, Callback
from bot.ui.words import duration_in_words, format_duration

TYPES = (
    ("assignment", "Assigned to me"),
    ("mention", "Mentions"),
    ("comment", "Comments"),
    ("status_change", "Status changes"),
    ("other", "Everything else"),
)
MODES = (("instant", "Right away"), ("digest", "In a digest"), ("off", "Off"))

ENABLED_BLOCK, ENABLED_INPUT = "notif_enabled", "enabled"
TYPE_BLOCK = "notif_type_{}"
TYPE_INPUT = "mode"
QUIET_START_BLOCK, QUIET_END_BLOCK, QUIET_INPUT = "quiet_start", "quiet_end", "time"
OPTIONS_BLOCK, OPTIONS_INPUT = "notif_options", "options"
SKIP_OWN, MARK_READ = "skip_own", "mark_read"
TIMER_LIMIT_BLOCK, TIMER_LIMIT_INPUT = "timer_limit", "hours"
WORKDAY_END_BLOCK = "workday_end"
MAX_TIMER_HOURS = 24


def _select(initial: str) -> dict[str, Any]:
    options = [option(text, value) for value, text in MODES]
    chosen = next(o for o in options if o["value"] == initial)
    return {
        "type": "static_select",
        "action_id": TYPE_INPUT,
        "options": options,
        "initial_option": chosen,
    }


def _input(
    block_id: str,
    label: str,
    element: dict[str, Any],
    *,
    optional: bool = False,
    hint: str | None = None,
) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "element": element,
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def _checkboxes(
    action_id: str, choices: list[tuple[str, str]], selected: set[str]
) -> dict[str, Any]:
    options = [option(text, value) for value, text in choices]
    element: dict[str, Any] = {"type": "checkboxes", "action_id": action_id, "options": options}
    initial = [o for o in options if o["value"] in selected]
    if initial:
        element["initial_options"] = initial
    return element


def _timepicker(initial: str | None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "timepicker", "action_id": QUIET_INPUT}
    if initial:
        element["initial_time"] = initial
    return element


Named = list[tuple[int, str | None]]  # (id, name when it could be read)
MUTED_BLOCK = "muted_{}_{}"  # kind ("t" task, "p" project), id


def muted_blocks(tasks: Named, projects: Named, more: int = 0) -> list[Block]:
    """Muted tasks and digest-only projects, each with Unmute; nothing when there are none."""
    if not tasks and not projects and not more:
        return []
    rows: list[Block] = [header("Muted")]
    for kind, items, what in (("t", tasks, "task"), ("p", projects, "project")):
        for item_id, name in items:
            shown = truncate_escaped(name, 200) if name else f"{what} #{item_id}"
            line = f":mute: {shown}" if kind == "t" else f":inbox_tray: {shown}: digest only"
            rows.append(
                section(
                    line,
                    accessory=button("Unmute", Action.SETTINGS_UNMUTE, f"{kind}:{item_id}"),
                    block_id=MUTED_BLOCK.format(kind, item_id),
                )
            )
    if more:
        rows.append(context(f"and {more} more"))
    return rows


def unmuted_row(block: Block) -> Block:
    """A muted row after Unmute: its words, marked unmuted, without the button."""
    text = str((block.get("text") or {}).get("text") or "").replace(":mute:", ":bell:")
    return {**context(f"{text} · unmuted"), "block_id": block.get("block_id")}


def settings_modal(
    prefs: NotificationPrefs,
    tz_name: str,
    *,
    muted_tasks: Named | None = None,
    muted_projects: Named | None = None,
    more_muted: int = 0,
) -> dict[str, Any]:
    blocks: list[Block] = [
        _input(
            ENABLED_BLOCK,
            "Notifications in Slack",
            _checkboxes(
                ENABLED_INPUT,
                [("on", "Send me Astravue notifications as DMs")],
                {"on"} if prefs.enabled else set(),
            ),
            optional=True,
        ),
    ]
    blocks += [
        _input(TYPE_BLOCK.format(kind), label, _select(prefs.mode(kind))) for kind, label in TYPES
    ]
    blocks += [
        _input(
            QUIET_START_BLOCK,
            "Quiet hours start",
            _timepicker(prefs.quiet_start),
            optional=True,
            hint=f"In your time zone ({tz_name}). Notifications are held "
            "and sent as one digest when quiet hours end.",
        ),
        _input(QUIET_END_BLOCK, "Quiet hours end", _timepicker(prefs.quiet_end), optional=True),
        _input(
            OPTIONS_BLOCK,
            "Options",
            _checkboxes(
                OPTIONS_INPUT,
                [
                    (SKIP_OWN, "Skip my own actions"),
                    (MARK_READ, "Mark as read in Astravue once delivered here"),
                ],
                {
                    v
                    for v, on in (
                        (SKIP_OWN, prefs.skip_own_actions),
                        (MARK_READ, prefs.mark_read_on_delivery),
                    )
                    if on
                },
            ),
            optional=True,
        ),
        header("Timer reminders"),
        _input(
            TIMER_LIMIT_BLOCK,
            "Remind me when a timer runs longer than",
            {
                "type": "plain_text_input",
                "action_id": TIMER_LIMIT_INPUT,
                "initial_value": timer_limit_value(prefs.timer_limit_minutes),
                "placeholder": plain("8h, 7h 30m or 90m"),
            },
            hint="A duration such as 8h, 7h 30m or 90m (a bare number is hours); 0 turns it off.",
        ),
        _input(
            WORKDAY_END_BLOCK,
            "My working day ends at",
            {**_timepicker(prefs.workday_end), "action_id": QUIET_INPUT},
            optional=True,
            hint=f"In your time zone ({tz_name}). A timer still running then gets a reminder.",
        ),
    ]
    blocks += muted_blocks(muted_tasks or [], muted_projects or [], more_muted)
    return modal("Settings", blocks, callback_id=Callback.NOTIF_SETTINGS, submit="Save")


def timer_limit_value(minutes: int) -> str:
    """The limit as the field shows it and reads it back: "7h 30m", "1m", or "0" (off)."""
    return format_duration(timedelta(minutes=minutes)) if minutes > 0 else "0"


def _summary(prefs: NotificationPrefs) -> str:
    if not prefs.enabled:
        return "Notifications are *off*."
    modes = ", ".join(
        f"{label.lower()}: {dict(MODES)[prefs.mode(kind)].lower()}" for kind, label in TYPES
    )
    quiet = (
        f"quiet hours {prefs.quiet_start} to {prefs.quiet_end}"
        if prefs.quiet_start and prefs.quiet_end
        else "no quiet hours"
    )
    timer = (
        f"Timer reminder after {duration_in_words(timedelta(minutes=prefs.timer_limit_minutes))}"
        if prefs.timer_limit_minutes
        else "No timer-length reminder"
    )
    workday = f", and at {prefs.workday_end}" if prefs.workday_end else ""
    return f"Notifications are *on* ({modes}); {quiet}. {timer}{workday}."


def home_section(prefs: NotificationPrefs) -> list[Block]:
    return [
        header("Notifications"),
        section(_summary(prefs)),
        actions(
            button("Notification settings", Action.HOME_SETTINGS, "settings"),
            button("List unread", Action.NOTIF_LIST, "unread"),
        ),
        context("Or run `/astravue settings` and `/astravue notifications`."),
    ]


def saved_message(prefs: NotificationPrefs) -> dict[str, Any]:
    text = f":white_check_mark: Saved. {_summary(prefs)}"
    return {"text": text, "blocks": [section(text)]}


def digest_only(project_id: int) -> dict[str, Any]:
    """After "Digest only for this project", with an Undo."""
    text = ":inbox_tray: This project's notifications will now come in a digest."
    undo = button("Undo", Action.SETTINGS_UNMUTE, f"p:{project_id}")
    return {"text": text, "blocks": [section(text, accessory=undo)]}


def digest_undone() -> dict[str, Any]:
    text = ":bell: Undone: this project's notifications come right away again."
    return {"text": text, "blocks": [section(text)]}
