"""Typed access to Bolt bodies: one place that knows where Slack puts each field.

Commands, block actions, view submissions, shortcuts, options and events each carry ids in
their own places; handlers read them here rather than digging through dicts. Nothing here
does I/O or trusts a value to name the actor: button values and private_metadata carry ids
of things, and the acting user is the one Slack says acted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


@dataclass(frozen=True)
class Payload:
    """One Slack request body, read-only."""

    body: dict[str, Any]

    # -- who and where --------------------------------------------------------------------

    @property
    def kind(self) -> str:
        """block_actions, view_submission, message_action, block_suggestion, event_callback,
        or "" for a slash command (which carries `command` instead)."""
        return str(self.body.get("type") or "")

    @property
    def user_id(self) -> str | None:
        return _text(
            _dict(self.body.get("user")).get("id")
            or self.body.get("user_id")
            or _dict(self.body.get("event")).get("user")
        )

    @property
    def team_id(self) -> str | None:
        return _text(
            self.body.get("team_id")
            or _dict(self.body.get("team")).get("id")
            or _dict(self.body.get("user")).get("team_id")
        )

    @property
    def enterprise_id(self) -> str | None:
        return _text(self.body.get("enterprise_id") or _dict(self.body.get("enterprise")).get("id"))

    @property
    def channel_id(self) -> str | None:
        return _text(
            self.body.get("channel_id")
            or _dict(self.body.get("channel")).get("id")
            or _dict(self.body.get("container")).get("channel_id")
        )

    @property
    def trigger_id(self) -> str | None:
        return _text(self.body.get("trigger_id"))

    @property
    def response_url(self) -> str | None:
        return _text(self.body.get("response_url"))

    @property
    def container(self) -> dict[str, Any]:
        return _dict(self.body.get("container"))

    @property
    def message(self) -> dict[str, Any]:
        """The message a click or a message shortcut came from ({} if none)."""
        return _dict(self.body.get("message"))

    @property
    def message_ts(self) -> str | None:
        return _text(self.message.get("ts") or self.container.get("message_ts"))

    @property
    def text(self) -> str:
        """A slash command's text."""
        return str(self.body.get("text") or "")

    @property
    def command(self) -> str | None:
        """A slash command's name ("/astravue")."""
        return _text(self.body.get("command"))

    @property
    def callback_id(self) -> str | None:
        """A view's callback id, else a shortcut's."""
        return _text(self.view.get("callback_id") or self.body.get("callback_id"))

    @property
    def event_id(self) -> str | None:
        """An Events API delivery's id (the same on Slack's retries)."""
        return _text(self.body.get("event_id")) if self.kind == "event_callback" else None

    @property
    def event(self) -> dict[str, Any]:
        return _dict(self.body.get("event"))

    @property
    def query(self) -> str:
        """What the user typed into an external select (an options request)."""
        return str(self.body.get("value") or "")

    # -- the clicked element ---------------------------------------------------------------

    @property
    def action(self) -> dict[str, Any]:
        """The first (in practice the only) action of a block_actions payload."""
        actions = self.body.get("actions")
        return _dict(actions[0]) if isinstance(actions, list) and actions else {}

    @property
    def action_ids(self) -> list[str]:
        actions = self.body.get("actions")
        return (
            [str(_dict(a).get("action_id") or "") for a in actions or []]
            if isinstance(actions, list)
            else []
        )

    @property
    def action_id(self) -> str:
        return str(self.action.get("action_id") or "")

    @property
    def action_value(self) -> str:
        """A button's value ("" if none)."""
        return str(self.action.get("value") or "")

    @property
    def selected_value(self) -> str:
        """The option picked in an overflow menu or a select ("" if none)."""
        return str(_dict(self.action.get("selected_option")).get("value") or "")

    @property
    def chosen(self) -> str:
        """The option picked, or else the button's value."""
        return self.selected_value or self.action_value

    # -- the view -------------------------------------------------------------------------

    @property
    def view(self) -> dict[str, Any]:
        return _dict(self.body.get("view"))

    @property
    def view_id(self) -> str | None:
        return _text(self.view.get("id"))

    @property
    def private_metadata(self) -> str:
        return str(self.view.get("private_metadata") or "")

    @property
    def metadata(self) -> dict[str, Any]:
        """private_metadata as the JSON object the app put there; {} for anything else."""
        return view_metadata(self.view)

    def value(self, block_id: str, action_id: str) -> Any:
        """The submitted value of one input of the view (see `view_value`)."""
        return view_value(self.view, block_id, action_id)


def view_metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return meta if isinstance(meta, dict) else {}


def as_int(value: Any) -> int | None:
    """An id carried in a value or private_metadata; None for anything not a number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# Element type -> (key of the submitted value in view state, key of the initial value in
# the element); any other element (text, number) uses "value" and "initial_value".
_VALUE_KEYS = {
    "static_select": ("selected_option", "initial_option"),
    "external_select": ("selected_option", "initial_option"),
    "radio_buttons": ("selected_option", "initial_option"),
    "multi_static_select": ("selected_options", "initial_options"),
    "multi_external_select": ("selected_options", "initial_options"),
    "checkboxes": ("selected_options", "initial_options"),
    "users_select": ("selected_user", "initial_user"),
    "multi_users_select": ("selected_users", "initial_users"),
    "datepicker": ("selected_date", "initial_date"),
    "timepicker": ("selected_time", "initial_time"),
}


def _element_value(element: dict[str, Any], *, initial: bool) -> Any:
    keys = _VALUE_KEYS.get(element.get("type") or "", ("value", "initial_value"))
    raw = element.get(keys[initial])
    if keys[0] == "selected_option":
        return raw.get("value") if raw else None
    if keys[0] == "selected_options":
        return [o.get("value") for o in raw or []]
    if keys[0] == "selected_users":
        return raw or []
    return raw


def state_element(view: dict[str, Any], block_id: str, action_id: str) -> dict[str, Any]:
    """One input's raw state in a submitted view ({} if absent)."""
    values = _dict(_dict(view.get("state")).get("values"))
    return _dict(_dict(values.get(block_id)).get(action_id))


def view_value(view: dict[str, Any], block_id: str, action_id: str) -> Any:
    """The submitted value of one input, whatever its element type."""
    element = state_element(view, block_id, action_id)
    return _element_value(element, initial=False) if element else None


def view_initial(view: dict[str, Any], block_id: str) -> Any:
    """What an input showed when the form opened, in `view_value`'s terms."""
    block: dict[str, Any] = next(
        (b for b in view.get("blocks") or [] if b.get("block_id") == block_id), {}
    )
    return _element_value(block.get("element") or {}, initial=True)


def edited(view: dict[str, Any], block_id: str, action_id: str) -> bool:
    """Whether the user changed this input. An edit form changes only these fields: one the
    user left alone keeps its stored value, even where the form shows it rounded (a day
    for an instant, minutes for seconds, the start of a long text)."""
    return (view_value(view, block_id, action_id) or None) != (view_initial(view, block_id) or None)
