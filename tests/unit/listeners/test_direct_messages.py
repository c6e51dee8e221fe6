"""Which direct messages are commands, and what the command is."""

from __future__ import annotations

from typing import Any

import pytest

from bot.listeners.direct_messages import command_text


def dm(text: str = "help", **extra: Any) -> dict[str, Any]:
    return {"type": "message", "channel_type": "im", "user": "U1", "text": text, **extra}


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("help", "help"),
        ("  task new Fix login fri ", "task new Fix login fri"),
        ("/astravue timer", "timer"),
        ("Astravue timer stop", "timer stop"),
        ("<@UBOT> my today", "my today"),
        ("<@UBOT|astravue>: help", "help"),
        ("astravuetastic", "astravuetastic"),  # only the whole word is a prefix
    ],
)
def test_a_persons_dm_is_a_command(text: str, command: str) -> None:
    assert command_text(dm(text), "UBOT") == command


@pytest.mark.parametrize(
    "event",
    [
        dm(user="UBOT"),
        dm(bot_id="B1"),
        dm(subtype="message_changed"),
        dm(subtype="bot_message"),
        dm(subtype="file_share"),
        dm(edited={"user": "U1", "ts": "1.0"}),
        dm(channel_type="channel"),
        dm("   "),
        dm(text=None),
        dm(user=None),
    ],
)
def test_anything_else_is_not(event: dict[str, Any]) -> None:
    assert command_text(event, "UBOT") is None
