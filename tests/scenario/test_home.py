"""The App Home: unlinked, idle and running-timer users, and its timer buttons."""

from __future__ import annotations

from typing import Any

from bot.sandbox.stack import Stack
from bot.ui.ids import Action, Callback
from tests.scenario.conftest import buttons, connect, eventually, text_of
from tests.scenario.test_timers import new_modal, press, running, task_ref


async def open_home(stack: Stack, user: str, containing: str) -> dict[str, Any]:
    await stack.user(user).event(
        {"type": "app_home_opened", "user": user, "tab": "home", "channel": f"D{user[1:]}"}
    )
    return await eventually(
        lambda: (lambda view: view if view and containing in text_of(view) else None)(
            stack.sandbox.slack.home_view(user)
        )
    )


async def test_unlinked_user_sees_connect(stack: Stack) -> None:
    home = await open_home(stack, "U0NOBODY", "Connect")
    assert Action.CONNECT in buttons(home)
    assert Action.TIMER_STOP not in buttons(home)


async def test_idle_home_has_total_tasks_and_log_time(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    home = await open_home(stack, "U0MARIA", "No timer running")
    text = text_of(home)
    assert "Logged today: *0m*" in text and "Review Q3 budget" in text
    assert Action.TIMER_STOP not in buttons(home)

    opened = len(stack.sandbox.slack.calls_to("views.open"))
    await stack.user("U0MARIA").click(Action.HOME_LOG_TIME, "log", view=home)
    modal = await new_modal(stack, opened)
    assert modal["callback_id"] == Callback.TIME_LOG


async def test_running_home_shows_the_timer_with_stop_and_switch(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    budget, passport = task_ref(stack, "Review Q3 budget"), task_ref(stack, "Renew passport")
    await press(stack, Action.TIMER_START, budget.encode())
    home = await open_home(stack, "U0MARIA", "Running since")
    text = text_of(home)
    assert "Review Q3 budget" in text and "<!date^" in text
    found = buttons(home)
    assert found[Action.TIMER_QUICK_STOP]["value"] == budget.encode()
    assert found[Action.TIMER_STOP]["value"] == budget.encode()
    assert found[Action.TIMER_SWITCH]["value"] == "pick"

    opened = len(stack.sandbox.slack.calls_to("views.open"))
    await stack.user("U0MARIA").click(Action.TIMER_SWITCH, "pick", view=home)
    modal = await new_modal(stack, opened)
    assert modal["callback_id"] == Callback.TIMER_START_PICK
    await stack.user("U0MARIA").submit(
        modal,
        {
            "task": {
                Action.SELECT_TASK: {
                    "type": "external_select",
                    "selected_option": {
                        "value": passport.encode(),
                        "text": {"type": "plain_text", "text": "Renew"},
                    },
                }
            }
        },
    )
    await eventually(lambda: (running(stack) or budget).task_id == passport.task_id)
    await eventually(
        lambda: "Renew passport" in text_of(stack.sandbox.slack.home_view("U0MARIA") or {})
    )
