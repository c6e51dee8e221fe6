"""The quoted comment of a mention DM: three lines, then Show more; escaped; tolerant."""

from __future__ import annotations

from typing import Any

from bot.astravue.models import NotificationDto
from bot.domain.notifications import NotificationCard
from bot.domain.tasks import TaskRef
from bot.ui.ids import Action
from bot.ui.notifications import notification_dm, quote


def _controls(payload: dict[str, Any]) -> list[str]:
    found = []
    for block in payload["blocks"]:
        found += [e["action_id"] for e in block.get("elements") or [] if "action_id" in e]
        if "accessory" in block:
            found.append(block["accessory"]["action_id"])
    return found


def test_three_lines_then_more() -> None:
    text, cut = quote("one\ntwo\nthree\nfour")
    assert (text, cut) == ("> one\n> two\n> three …", True)
    assert quote("one\ntwo\nthree\nfour", expanded=True) == ("> one\n> two\n> three\n> four", False)
    assert quote("short") == ("> short", False)


def test_a_long_line_is_cut_and_text_is_escaped() -> None:
    text, cut = quote("<!channel> " + "x" * 400)
    assert cut and text.startswith("> &lt;!channel&gt; ") and text.endswith("…")
    assert len(text) < 320


def test_a_mention_dm_without_comment_text_has_no_quote() -> None:
    n = NotificationDto(
        notification_id=1, type="mention", message="Dev mentioned you", comment_id=5
    )
    card = NotificationCard(n, "Fix login", None, TaskRef(9), "https://a/tasks/9", None, "u#c")
    payload = notification_dm(card)
    assert ">" not in payload["blocks"][0]["text"]["text"]
    assert _controls(payload) == [Action.OPEN_URL, Action.NOTIF_MARK_READ, Action.NOTIF_OVERFLOW]
