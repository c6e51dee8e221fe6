"""A modal that needs remote data opens as "Loading…" at once; when filling it in fails, the
modal itself says why and what to do next, instead of spinning for ever
(bot.listeners.modals.open_loaded)."""

from __future__ import annotations

from typing import Any

from bot.sandbox.stack import Stack
from bot.ui.ids import Action, Callback
from tests.scenario.conftest import connect, drain_lazy_work, text_of

LOADING = "Loading"


async def top_modal(stack: Stack, user: str = "U0MARIA") -> dict[str, Any]:
    await drain_lazy_work(stack)  # the fill (or its failure) has been applied by now
    views = stack.sandbox.slack.open_views(user)
    assert views, "no modal is open"
    return views[-1]


async def test_notifications_modal_shows_why_it_could_not_load(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    stack.sandbox.astravue_faults.update(
        {"error_rate": 1.0, "error_status": 403, "path_prefix": "/v1/notifications"}
    )
    response = await stack.user("U0MARIA").command("notifications")
    assert response.status_code == 200
    shown = await top_modal(stack)
    words = text_of(shown)
    assert LOADING not in words
    assert ":warning:" in words and "doesn't allow" in words
    assert shown["callback_id"] == Callback.LOADING


async def test_time_entry_modal_shows_that_the_entry_is_gone(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    response = await stack.user("U0MARIA").click(
        Action.TIME_ENTRY_MENU,
        channel_id="C0GENERAL",
        selected_option={"value": "edit|987654321"},
        action_type="overflow",
    )
    assert response.status_code == 200
    shown = await top_modal(stack)
    words = text_of(shown)
    assert LOADING not in words
    assert ":warning:" in words and "couldn't find that time entry" in words, words


async def test_a_modal_that_loads_is_filled_in(stack: Stack) -> None:
    """The same helper on the good path: the loading view is replaced by the real one."""
    await connect(stack, "U0MARIA")
    response = await stack.user("U0MARIA").command("settings")
    assert response.status_code == 200
    shown = await top_modal(stack)
    assert LOADING not in text_of(shown)
    assert shown["callback_id"] == Callback.NOTIF_SETTINGS


async def test_a_user_without_an_organisation_is_told_in_the_modal_and_asked_for_it(
    stack: Stack,
) -> None:
    await connect(stack, "U0SAM")  # the sandbox gives Sam no tenant_id claim
    before = len(stack.sandbox.slack.responses)
    response = await stack.user("U0SAM").command("notifications")
    assert response.status_code == 200
    shown = await top_modal(stack, "U0SAM")
    words = text_of(shown)
    assert LOADING not in words and "isn't ready yet" in words
    # ... and the organisation prompt itself comes as the command's answer
    answers = [p.payload for p in stack.sandbox.slack.responses[before:] if p.user == "U0SAM"]
    assert any("which organisation" in text_of(a) for a in answers), answers
