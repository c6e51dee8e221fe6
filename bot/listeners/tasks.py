"""Tasks from Slack: cards and their buttons, and the one-line commands (show, done, assign,
due, delete). Lists are `task_lists`; quick capture is `task_capture`; the form is `task_form`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from bot.astravue.errors import Forbidden, NotFound
from bot.domain.links import LinkInfo
from bot.domain.tasks import TaskRef
from bot.listeners.registration import Feature
from bot.listeners.replies import app_url, clicked_ref, forbidden
from bot.listeners.router import Resolution
from bot.listeners.safe_lazy import Invocation
from bot.listeners.task_form import open_edit
from bot.parsing import parse_date, user_today
from bot.ui import task_forms as forms
from bot.ui import tasks as ui
from bot.ui.components import escape
from bot.ui.errors import UserFacingError
from bot.ui.ids import Action

CardWork = Callable[[LinkInfo, TaskRef], Awaitable[dict[str, Any]]]


async def on_card(inv: Invocation, what: str, work: CardWork, value: str | None = None) -> None:
    """A card button: run `work` on the task it points at (or `value` points at), replace
    the card; a gone task loses its buttons."""
    link, ref = await inv.link(), clicked_ref(inv, value)
    try:
        payload = await work(link, ref)
    except NotFound:
        payload = ui.task_gone(
            "That task no longer exists in Astravue (or you can't see "
            "it any more), so its buttons are gone."
        )
    except Forbidden as exc:
        raise forbidden(what, exc) from None
    await inv.reply(payload, replace=True)


# -- lists and single tasks -----------------------------------------------------------------


async def show(inv: Invocation, resolution: Resolution) -> None:
    tasks = inv.services.tasks
    link = await inv.link()
    ref, _ = await tasks.find(link, resolution.args)
    details = await tasks.details(link, ref)
    await inv.reply(
        ui.task_message(
            details.task,
            app_url=app_url(inv),
            subtasks=details.subtasks,
            checklist=details.checklist,
            comments=details.comments,
            my_time=details.my_time,
        ),
        share=resolution.share,
    )


async def done(inv: Invocation, resolution: Resolution) -> None:
    tasks = inv.services.tasks
    link = await inv.link()
    ref, _ = await tasks.find(link, resolution.args, write=True)
    task, logged = await tasks.complete(link, ref)
    await inv.reply(
        ui.task_message(task, app_url=app_url(inv), note=ui.completed_note(logged)),
        share=resolution.share,
    )


async def edit(inv: Invocation, resolution: Resolution) -> None:
    ref, _ = await inv.services.tasks.find(await inv.link(), resolution.args)
    await open_edit(inv, ref)


async def assign(inv: Invocation, resolution: Resolution) -> None:
    tasks = inv.services.tasks
    locator, who = _split(resolution.args)
    if not who:
        raise UserFacingError("Assign to whom? e.g. `/astravue task assign 42 @dev`.")
    link = await inv.link()
    ref, _ = await tasks.find(link, locator, write=True)
    scratch = await tasks.draft_from_text(link, f"x {who}", personal=True)
    if scratch.picks or not scratch.owners:
        raise UserFacingError(
            escape(" ".join(scratch.notes))
            or f"I couldn't tell who “{escape(who[:80])}” is; use their Slack mention or "
            "@firstname."
        )
    task = await tasks.assign(link, ref, [i for i, _ in scratch.owners])
    note = ":bust_in_silhouette: Assigned." + forms.notes_text(scratch.notes)
    await inv.reply(ui.task_message(task, app_url=app_url(inv), note=note))


async def due(inv: Invocation, resolution: Resolution) -> None:
    tasks = inv.services.tasks
    locator, when = _split(resolution.args)
    link = await inv.link()
    day_first = await inv.services.zones.day_first(inv.user_id)
    today = user_today(await tasks.tz(link), datetime.now(UTC))
    day = parse_date(when, today=today, day_first=day_first)
    if day is None:
        numeric = "31/12" if day_first else "12/31"  # in the order of the user's Slack locale
        raise UserFacingError(
            f"“{escape(when[:60])}” isn't a date I know. Try today, "
            f"tomorrow, fri, next week, {numeric} or 2025-06-30."
        )
    ref, _ = await tasks.find(link, locator, write=True)
    task = await tasks.set_due(link, ref, day)
    await inv.reply(ui.task_message(task, app_url=app_url(inv), note=":date: Due date set."))


async def delete(inv: Invocation, resolution: Resolution) -> None:
    _, task = await inv.services.tasks.find(await inv.link(), resolution.args)
    await inv.reply(ui.delete_confirmation(task, app_url=app_url(inv)))


# -- card buttons ---------------------------------------------------------------------------


async def complete_clicked(inv: Invocation) -> None:
    async def work(link: LinkInfo, ref: TaskRef) -> dict[str, Any]:
        task, logged = await inv.services.tasks.complete(link, ref)
        return ui.task_message(task, app_url=app_url(inv), note=ui.completed_note(logged))

    await on_card(inv, "edit", work)


async def refresh_clicked(inv: Invocation) -> None:
    async def work(link: LinkInfo, ref: TaskRef) -> dict[str, Any]:
        return ui.task_message(await inv.services.tasks.get(link, ref), app_url=app_url(inv))

    await on_card(inv, "edit", work)


async def delete_confirmed(inv: Invocation) -> None:
    async def work(link: LinkInfo, ref: TaskRef) -> dict[str, Any]:
        await inv.services.tasks.delete(link, ref)
        return ui.task_gone(f"Task #{ref.task_id} deleted.")

    await on_card(inv, "delete", work)


async def overflow_clicked(inv: Invocation) -> None:
    choice = inv.payload.selected_value
    if choice.startswith(ui.OVERFLOW_DELETE + "|"):

        async def work(link: LinkInfo, ref: TaskRef) -> dict[str, Any]:
            task = await inv.services.tasks.get(link, ref)
            return ui.delete_confirmation(task, app_url=app_url(inv))

        await on_card(inv, "delete", work, choice)


def _split(args: str) -> tuple[str, str]:
    first, _, rest = args.strip().partition(" ")
    return first, rest.strip()


FEATURE = Feature(
    commands={
        "task show": show,
        "task done": done,
        "task edit": edit,
        "task assign": assign,
        "task due": due,
        "task delete": delete,
    },
    actions={
        Action.TASK_COMPLETE: complete_clicked,
        Action.TASK_OVERFLOW: overflow_clicked,
        Action.TASK_REFRESH: refresh_clicked,
        Action.TASK_DELETE_CONFIRM: delete_confirmed,
    },
)
