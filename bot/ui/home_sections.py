"""The App Home timer section: the running timer, today's total and quick buttons."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from bot.astravue.models import TimerData
from bot.parsing.durations import format_duration
from bot.ui.components import Block, actions, button, context, header, section
from bot.ui.ids import Action
from bot.ui.timer_cards import running_lines, timer_buttons


def timer_section(
    timer: TimerData | None, today_total: timedelta, zone: tzinfo, now: datetime
) -> list[Block]:
    blocks: list[Block] = [header("Timer")]
    if timer is None:
        blocks.append(
            section(
                ":zzz: No timer running. Choose *Start timer* in a task's menu below, "
                "or run `/astravue timer start <task>`."
            )
        )
    else:
        blocks += [section(running_lines(timer, zone, now)), timer_buttons(timer)]
    blocks += [
        context(f"Logged today: *{format_duration(today_total)}*"),
        actions(
            button("New task", Action.HOME_NEW_TASK, "new", style="primary"),
            button("Log time", Action.HOME_LOG_TIME, "log"),
        ),
    ]
    return blocks
