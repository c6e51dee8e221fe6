"""Tasks from Slack: lists, the agenda, cards and their buttons, and the one-line commands
(done, assign, due, delete). Quick capture is `task_capture`; the form is `task_form`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from bot.astravue.errors import Forbidden, NotFound
from bot.astravue.pagination import noting_cut_short
from bot.container import ServiceContainer
from bot.domain.links import LinkInfo
from bot.domain.tasks import TaskRef
from bot.listeners.registration import Feature
from bot.listeners.replies import app_url, app_url_of, clicked_ref, forbidden
from bot.listeners.router import Resolution
from bot.listeners.safe_lazy import Invocation
from bot.listeners.task_form import open_edit
from bot.parsing import parse_date, user_today
from bot.services.tasks import WINDOWS
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


def list_args(args: str) -> tuple[str | None, str | None]:
    scope = window = None
    for word in args.split():
        if word.lower() in WINDOWS:
            window = word.lower()
        else:
            scope = word if scope is None else f"{scope} {word}"
    return scope, window


async def render_list(inv: Invocation, link: LinkInfo, args: str, page: int) -> dict[str, Any]:
    scope, window = list_args(args)
    with noting_cut_short() as cut_short:
        title, found = await inv.services.tasks.list_tasks(link, scope, window)
    return ui.task_list_message(
        found,
        app_url=app_url(inv),
        title=title,
        page=page,
        page_value=f"list|{args[:500]}",
        cut_short=bool(cut_short),
        empty="No open tasks here. `/astravue task new` adds one.",
    )


async def task_list(inv: Invocation, resolution: Resolution) -> None:
    message = await render_list(inv, await inv.link(), resolution.args, 0)
    await inv.reply(message, share=resolution.share)


async def my(inv: Invocation, resolution: Resolution) -> None:
    window = resolution.args.split(" ")[0].lower() or None
    if window is not None and window not in WINDOWS:
        raise UserFacingError("Use `/astravue my`, or add overdue, today or week.")
    agenda = await inv.services.tasks.my_tasks(await inv.link(), window)
    await inv.reply(ui.agenda_message(agenda, app_url=app_url(inv)), share=resolution.share)


async def page(inv: Invocation) -> None:
    number, _, rest = inv.payload.action_value.partition("|")
    kind, _, args = rest.partition("|")
    if kind != "list" or not number.isdecimal():
        raise UserFacingError("That page button is out of date. Run the command again.")
    await inv.reply(await render_list(inv, await inv.link(), args, int(number)), replace=True)


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


async def search(inv: Invocation, resolution: Resolution) -> None:
    if not resolution.args:
        raise UserFacingError("Search for what? e.g. `/astravue task search login`.")
    found = await inv.services.tasks.search(await inv.link(), resolution.args)
    await inv.reply(
        ui.search_results(resolution.args, found, app_url=app_url(inv)), share=resolution.share
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
            " ".join(scratch.notes)
            or f"I couldn't tell who “{who}” is; use their Slack mention or @firstname."
        )
    task = await tasks.assign(link, ref, [i for i, _ in scratch.owners])
    note = ":bust_in_silhouette: Assigned." + _notes(scratch.notes)
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


async def home_section(services: ServiceContainer, link: LinkInfo) -> list[dict[str, Any]]:
    agenda = await services.tasks.my_tasks(link)
    return ui.agenda_blocks(agenda, app_url=app_url_of(services))


def _split(args: str) -> tuple[str, str]:
    first, _, rest = args.strip().partition(" ")
    return first, rest.strip()


def _notes(notes: list[str]) -> str:
    return ("\n" + "\n".join(notes)) if notes else ""


FEATURE = Feature(
    commands={
        "task list": task_list,
        "my": my,
        "task show": show,
        "task search": search,
        "task done": done,
        "task edit": edit,
        "task assign": assign,
        "task due": due,
        "task delete": delete,
    },
    actions={
        Action.TASK_COMPLETE: complete_clicked,
        Action.TASK_OVERFLOW: overflow_clicked,
        Action.TASK_PAGE: page,
        Action.TASK_REFRESH: refresh_clicked,
        Action.TASK_DELETE_CONFIRM: delete_confirmed,
    },
    home_sections=(("your tasks", home_section),),
)
