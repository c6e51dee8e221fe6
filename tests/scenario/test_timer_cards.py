"""Timer cards through the real app: `timer stop` stops at once with Add note and Undo, and
every card that showed the timer (command replies, DMs, App Home) follows it."""

from __future__ import annotations

from datetime import timedelta

from bot.sandbox.slack.records import Ephemeral
from bot.sandbox.stack import Stack
from bot.ui.ids import Action, Callback
from tests.scenario.conftest import buttons, connect, drain_lazy_work, eventually, text_of
from tests.scenario.test_home import open_home
from tests.scenario.test_timers import (
    MADRID,
    _remind,
    entries_of,
    new_modal,
    press,
    run,
    running,
    task_ref,
    text_input,
)

MARIA = "U0MARIA"


def last_card(stack: Stack) -> Ephemeral:
    """The newest ephemeral message Maria sees (a command's reply)."""
    return stack.sandbox.slack.ephemerals_for(MARIA)[-1]


def all_buttons(stack: Stack) -> list[dict[str, object]]:
    """Every button of every message, ephemeral and view the app showed Maria so far."""
    slack = stack.sandbox.slack
    payloads = [e.as_slack() for e in slack.ephemerals_for(MARIA)]
    payloads += [m.as_slack() for m in slack.dm_messages(MARIA)]
    payloads.append(slack.home_view(MARIA) or {})
    return [b for p in payloads for b in buttons(p).values()]


async def test_timer_stop_stops_at_once_and_every_card_follows(stack: Stack) -> None:
    await connect(stack, MARIA)
    budget = task_ref(stack, "Review Q3 budget")
    await run(stack, f"timer start {budget.task_id}")
    started = last_card(stack)
    timer = running(stack)
    assert timer is not None
    timer.start -= timedelta(hours=1, minutes=12)  # worked a while
    since = timer.start.astimezone(MADRID).strftime("%H:%M")
    epoch = int(timer.start.timestamp())

    status = await run(stack, "timer")
    status_card = last_card(stack)
    assert f"Running since <!date^{epoch}^{{time}}|{since}>" in text_of(status)
    assert "Running for" not in text_of(status)
    found = buttons(status)
    assert found[Action.TIMER_QUICK_STOP]["text"]["text"] == "Stop"
    assert found[Action.TIMER_STOP]["text"]["text"] == "Stop & edit…"
    await open_home(stack, MARIA, "Running since")

    opened = len(stack.sandbox.slack.calls_to("views.open"))
    stopped = await run(stack, "timer stop")
    assert len(stack.sandbox.slack.calls_to("views.open")) == opened  # no form
    assert running(stack) is None
    assert "Stopped *Review Q3 budget* · *1h 12m*" in text_of(stopped)
    assert {Action.TIMER_NOTE, Action.TIMER_UNDO} <= set(buttons(stopped))
    entry = entries_of(stack, budget)[-1]
    assert entry.end is not None and entry.end - entry.start >= timedelta(hours=1, minutes=12)

    # Both earlier cards (the start reply and the status) now show the stop, in place.
    for earlier in (started, status_card):
        assert "Stopped *Review Q3 budget* · *1h 12m*" in text_of(earlier.as_slack())
        assert Action.TIMER_UNDO in buttons(earlier.as_slack())
    await eventually(
        lambda: "No timer running" in text_of(stack.sandbox.slack.home_view(MARIA) or {})
    )
    assert all(b.get("style") != "danger" for b in all_buttons(stack))


async def test_add_note_then_undo_restores_the_timer_from_its_start(stack: Stack) -> None:
    await connect(stack, MARIA)
    budget = task_ref(stack, "Review Q3 budget")
    await run(stack, f"timer start {budget.task_id}")
    timer = running(stack)
    assert timer is not None
    timer.start -= timedelta(minutes=40)
    first_start = timer.start
    stopped = await run(stack, "timer stop")
    stop_card = last_card(stack)
    entry = entries_of(stack, budget)[-1]

    opened = len(stack.sandbox.slack.calls_to("views.open"))
    note = buttons(stopped)[Action.TIMER_NOTE]
    await stack.user(MARIA).click(Action.TIMER_NOTE, note["value"], message=stop_card.as_slack())
    modal = await new_modal(stack, opened)
    assert modal["callback_id"] == Callback.TIMER_NOTE
    await stack.user(MARIA).submit(modal, {"note": {"note": text_input("Checked <totals>")}})
    await drain_lazy_work(stack)
    assert entries_of(stack, budget)[-1].notes == "Checked <totals>"
    assert "Checked &lt;totals&gt;" in text_of(stop_card.as_slack())  # the card, in place

    undo = buttons(stop_card.as_slack())[Action.TIMER_UNDO]
    await stack.user(MARIA).click(Action.TIMER_UNDO, undo["value"], message=stop_card.as_slack())
    await drain_lazy_work(stack)
    restored = running(stack)
    assert restored is not None and restored.task_id == budget.task_id
    assert abs(restored.start - first_start) < timedelta(seconds=1)
    assert entry.entry_id not in [e.entry_id for e in entries_of(stack, budget)]
    text = text_of(stop_card.as_slack())
    assert "Undone" in text and "Running since" in text
    await eventually(lambda: "Running since" in text_of(stack.sandbox.slack.home_view(MARIA) or {}))

    # A second Undo of the same stop finds nothing to take back, and says so.
    before = len(stack.sandbox.slack.responses)
    await stack.user(MARIA).click(Action.TIMER_UNDO, undo["value"])
    await drain_lazy_work(stack)
    answer = stack.sandbox.slack.responses[before:][-1].payload
    assert "couldn't find that time entry" in text_of(answer)
    assert running(stack) is not None


async def test_undo_waits_for_the_timer_that_runs_now(stack: Stack) -> None:
    await connect(stack, MARIA)
    budget, passport = task_ref(stack, "Review Q3 budget"), task_ref(stack, "Renew passport")
    await run(stack, f"timer start {budget.task_id}")
    stopped = await run(stack, "timer stop")
    await run(stack, f"timer start {passport.task_id}")
    undo = buttons(stopped)[Action.TIMER_UNDO]
    before = len(stack.sandbox.slack.responses)
    await stack.user(MARIA).click(Action.TIMER_UNDO, undo["value"])
    await drain_lazy_work(stack)
    answer = stack.sandbox.slack.responses[before:][-1].payload
    assert "Renew passport" in text_of(answer) and "stop it first" in text_of(answer)
    assert running(stack).task_id == passport.task_id  # type: ignore[union-attr]
    assert not entries_of(stack, budget)[-1].running  # the stop stands


async def test_a_dm_card_from_app_home_follows_a_stop_and_edit(stack: Stack) -> None:
    await connect(stack, MARIA)
    budget = task_ref(stack, "Review Q3 budget")
    home = await open_home(stack, MARIA, "No timer running")
    await stack.user(MARIA).click(Action.TIMER_START, budget.encode(), view=home)
    await drain_lazy_work(stack)
    card = stack.sandbox.slack.dm_messages(MARIA)[-1]  # App Home has no response_url
    assert "Running since" in text_of(card.as_slack())

    opened = len(stack.sandbox.slack.calls_to("views.open"))
    edit = buttons(card.as_slack())[Action.TIMER_STOP]
    await stack.user(MARIA).click(Action.TIMER_STOP, edit["value"], message=card.as_slack())
    modal = await new_modal(stack, opened)
    assert modal["callback_id"] == Callback.TIMER_STOP
    await stack.user(MARIA).submit(modal, {"note": {"note": text_input("Budget review")}})
    await drain_lazy_work(stack)
    assert running(stack) is None
    assert "Stopped *Review Q3 budget*" in text_of(card.as_slack())  # rewritten in place
    assert "Budget review" in text_of(card.as_slack())


async def test_switch_rewrites_the_card_of_the_timer_it_stopped(stack: Stack) -> None:
    await connect(stack, MARIA)
    budget, passport = task_ref(stack, "Review Q3 budget"), task_ref(stack, "Renew passport")
    await run(stack, f"timer start {budget.task_id}")
    first = last_card(stack)
    busy = await run(stack, f"timer start {passport.task_id}")
    assert buttons(busy)[Action.TIMER_SWITCH]["text"]["text"] == "Switch to Renew passport"
    await run(stack, f"timer switch {passport.task_id}")
    text = text_of(first.as_slack())
    assert "Stopped *Review Q3 budget*" in text and "*Renew passport*" in text


async def test_the_forgotten_timer_dm_follows_a_stop_from_the_command(stack: Stack) -> None:
    await connect(stack, MARIA)
    budget = task_ref(stack, "Review Q3 budget")
    reminder = await _remind(stack, budget)
    assert "Still working?" in text_of(reminder)
    await run(stack, "timer stop")
    assert running(stack) is None
    dm = stack.sandbox.slack.find_message(reminder["ts"])
    assert dm is not None
    assert "Stopped *Review Q3 budget* · *9h*" in text_of(dm.as_slack())
    assert "Still working?" not in text_of(dm.as_slack())


async def test_a_stale_stop_button_leaves_a_newer_timer_running(stack: Stack) -> None:
    await connect(stack, MARIA)
    budget, passport = task_ref(stack, "Review Q3 budget"), task_ref(stack, "Renew passport")
    await run(stack, f"timer start {passport.task_id}")
    answer = await press(stack, Action.TIMER_QUICK_STOP, budget.encode())  # an old card
    assert "already stopped" in text_of(answer)
    assert running(stack).task_id == passport.task_id  # type: ignore[union-attr]
