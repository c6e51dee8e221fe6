"""Whose message a click may rewrite: ephemeral, recorded author, or the app's own DM."""

from __future__ import annotations

from typing import Any

import pytest

from bot.listeners.audience import author_of, may_replace, only_clicker_sees, shared_by


def click(
    channel: str = "C0GENERAL",
    *,
    ephemeral: bool = False,
    metadata: Any = None,
    container_type: str | None = "message",
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": "U0DEV"},
        "message": {"ts": "1.2", "text": "x"},
    }
    if container_type is not None:
        body["container"] = {
            "type": container_type,
            "channel_id": channel,
            "is_ephemeral": ephemeral,
        }
    if metadata is not None:
        body["message"]["metadata"] = metadata
    return body


@pytest.mark.parametrize(
    ("body", "clicker", "allowed"),
    [
        (click(ephemeral=True), "U0DEV", True),  # only the clicker sees it
        (click(metadata=shared_by("U0MARIA")), "U0MARIA", True),  # its author
        (click(metadata=shared_by("U0MARIA")), "U0DEV", False),  # someone else's share
        (click("D0MARIA", metadata=shared_by("U0MARIA")), "U0DEV", False),  # shared in a DM
        (click(), "U0DEV", False),  # unmarked, in a channel: nobody's to rewrite
        (click("D0DEV"), "U0DEV", True),  # the app's own DM with its reader
        (click(container_type="view"), "U0DEV", True),  # a view: no public message
        (click(container_type=None), "U0DEV", True),  # a command: its own replies
        (
            click(metadata={"event_type": "astravue_shared", "event_payload": "U0DEV"}),
            "U0DEV",
            False,
        ),  # a malformed record names nobody
    ],
)
def test_may_replace(body: dict[str, Any], clicker: str, allowed: bool) -> None:
    assert may_replace(body, clicker) is allowed


def test_author_is_read_only_from_the_apps_own_record() -> None:
    assert author_of(click(metadata=shared_by("U0MARIA"))) == "U0MARIA"
    other = {"event_type": "astravue_notification", "event_payload": {"author": "U0DEV"}}
    assert author_of(click(metadata=other)) is None
    assert author_of({"message": None}) is None


def test_only_an_ephemeral_or_non_message_click_keeps_the_response_url_private() -> None:
    assert only_clicker_sees(click(ephemeral=True))
    assert not only_clicker_sees(click(metadata=shared_by("U0DEV")))  # even the author's
    assert not only_clicker_sees(click("D0DEV"))
