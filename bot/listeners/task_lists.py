"""Task lists: `/astravue task list`, `my` (the agenda), `task search`, the App Home's tasks,
and what their rows' menus do. A menu's action redraws the same list in place (the message
through its response_url, the App Home by re-publishing only its tasks section), with a
note on what changed above it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.astravue.errors import Forbidden, NotFound
from bot.astravue.pagination import noting_cut_short
from bot.container import ServiceContainer
from bot.domain.links import LinkInfo
from bot.domain.task_lists import ListSource
from bot.listeners import timers
from bot.listeners.registration import Feature
from bot.listeners.replies import app_url, app_url_of, clicked_ref, forbidden
from bot.listeners.router import Resolution
from bot.listeners.safe_lazy import Invocation
from bot.listeners.task_form import open_edit
from bot.services.tasks import WINDOWS
from bot.ui import task_lists as ui
from bot.ui.components import Block, context
from bot.ui.errors import UserFacingError
from bot.ui.ids import Action

OUT_OF_DATE = "That button belongs to an older list. Run the command again."
GONE = (
    ":wastebasket: That task no longer exists in Astravue (or you can't see it any more), "
    "so it left the list."
)

# -- drawing a list -------------------------------------------------------------------------


def list_args(args: str) -> tuple[str | None, str | None]:
    scope = window = None
    for word in args.split():
        if word.lower() in WINDOWS:
            window = word.lower()
        else:
            scope = word if scope is None else f"{scope} {word}"
    return scope, window


async def render(
    inv: Invocation, link: LinkInfo, source: ListSource, note: list[Block] | None = None
) -> dict[str, Any]:
    """The list `source` names, as a message, with `note` above it."""
    tasks, url = inv.services.tasks, app_url(inv)
    if source.kind == "my":
        agenda = await tasks.my_tasks(link, source.args or None)
        return ui.agenda_message(agenda, app_url=url, source=source, note=note)
    if source.kind == "search":
        found = await tasks.search(link, source.args)
        return ui.search_results(source.args, found, app_url=url, source=source, note=note)
    scope, window = list_args(source.args)
    with noting_cut_short() as cut_short:
        title, found = await tasks.list_tasks(link, scope, window)
    return ui.task_list_message(
        found,
        app_url=url,
        title=title,
        source=source,
        note=note,
        cut_short=bool(cut_short),
        empty="No open tasks here. `/astravue task new` adds one.",
    )


async def redraw(
    inv: Invocation, source: ListSource, note: list[Block] | None, *, timer_changed: bool = False
) -> None:
    """Redraw the clicked list where it is. On the App Home only the tasks section is read
    again; the rest of the Home is kept, unless the timer changed too."""
    link = await inv.link()
    if inv.payload.view.get("type") != "home":
        await inv.reply(await render(inv, link, source, note), replace=True)
        return
    services = inv.services
    agenda = await services.tasks.my_tasks(link)
    tasks = ui.home_tasks(agenda, app_url=app_url(inv), source=source, note=note)
    home = inv.payload.view
    if timer_changed:
        home = await services.home.view_for(inv.team_id, inv.user_id)
    view = ui.home_with_tasks(home.get("blocks") or [], tasks)
    if view is None:  # a Home drawn before it had a tasks section: draw it all
        await services.home.opened(inv.client, inv.team_id, inv.user_id)  # on screen: all fresh
        return
    await inv.client.views_publish(user_id=inv.user_id, view=view)


def clicked_list(value: str, extras: int = 0) -> tuple[ListSource, list[str]]:
    try:
        return ListSource.decode(value, extras)
    except ValueError:
        raise UserFacingError(OUT_OF_DATE) from None


RowWork = Callable[[LinkInfo], Awaitable[tuple[list[Block], bool]]]


async def on_row(inv: Invocation, source: ListSource, what: str, work: RowWork) -> None:
    """Run `work` (it returns the note and whether the timer changed), then redraw; a task
    gone from Astravue leaves the list with a note."""
    try:
        note, timer_changed = await work(await inv.link())
    except NotFound:
        note, timer_changed = [context(GONE)], False
    except Forbidden as exc:
        raise forbidden(what, exc) from None
    await redraw(inv, source, note, timer_changed=timer_changed)


# -- commands -------------------------------------------------------------------------------


async def task_list(inv: Invocation, resolution: Resolution) -> None:
    source = ListSource("list", resolution.args)
    await inv.reply(await render(inv, await inv.link(), source), share=resolution.share)


async def my(inv: Invocation, resolution: Resolution) -> None:
    window = resolution.args.split(" ")[0].lower()
    if window and window not in WINDOWS:
        raise UserFacingError("Use `/astravue my`, or add overdue, today or week.")
    source = ListSource("my", window)
    await inv.reply(await render(inv, await inv.link(), source), share=resolution.share)


async def search(inv: Invocation, resolution: Resolution) -> None:
    if not resolution.args:
        raise UserFacingError("Search for what? e.g. `/astravue task search login`.")
    source = ListSource("search", resolution.args)
    await inv.reply(await render(inv, await inv.link(), source), share=resolution.share)


# -- clicks ---------------------------------------------------------------------------------


async def show(inv: Invocation) -> None:
    """A page, one agenda group, back to the agenda, or Keep it: the list it names."""
    source, _ = clicked_list(inv.payload.action_value)
    await redraw(inv, source, None)


async def row_chosen(inv: Invocation) -> None:
    """A row's menu: Edit opens the form, Start timer starts it as the timer buttons do;
    Complete and Delete… redraw the list."""
    verb, _, value = inv.payload.selected_value.partition("|")
    ref = clicked_ref(inv, value)
    if verb == ui.ROW_EDIT:
        await open_edit(inv, ref)
        return
    if verb == ui.ROW_START:
        await timers.start(inv, ref)
        return
    source, _ = clicked_list(str(inv.payload.action.get("block_id") or ""), extras=1)
    url = app_url(inv)

    async def complete(link: LinkInfo) -> tuple[list[Block], bool]:
        done = await inv.services.tasks.complete_undoably(link, ref)
        return ui.completed_row(done, app_url=url, source=source), done.logged is not None

    async def ask_delete(link: LinkInfo) -> tuple[list[Block], bool]:
        task = await inv.services.tasks.get(link, ref)
        return ui.delete_step(task, app_url=url, source=source), False

    if verb == ui.ROW_COMPLETE:
        await on_row(inv, source, "edit", complete)
    elif verb == ui.ROW_DELETE:
        await on_row(inv, source, "delete", ask_delete)
    else:
        raise UserFacingError(OUT_OF_DATE)


async def undo_complete(inv: Invocation) -> None:
    source, (ref_value, status, completion) = clicked_list(inv.payload.action_value, extras=3)
    ref = clicked_ref(inv, ref_value)
    was = min(max(int(completion), 0), 100) if completion.isdecimal() else 0

    async def reopen(link: LinkInfo) -> tuple[list[Block], bool]:
        task = await inv.services.tasks.reopen(link, ref, status, was)
        return ui.reopened_row(task, app_url=app_url(inv)), False

    await on_row(inv, source, "edit", reopen)


async def delete_confirmed(inv: Invocation) -> None:
    source, (ref_value, title) = clicked_list(inv.payload.action_value, extras=2)
    ref = clicked_ref(inv, ref_value)

    async def delete(link: LinkInfo) -> tuple[list[Block], bool]:
        await inv.services.tasks.delete(link, ref)
        return ui.deleted_row(title), False

    await on_row(inv, source, "delete", delete)


async def home_section(services: ServiceContainer, link: LinkInfo) -> list[dict[str, Any]]:
    agenda = await services.tasks.my_tasks(link)
    return ui.home_tasks(agenda, app_url=app_url_of(services), source=ListSource("my"))


FEATURE = Feature(
    commands={"task list": task_list, "my": my, "task search": search},
    actions={
        Action.TASK_PAGE: show,
        Action.TASK_ROW: row_chosen,
        Action.TASK_UNDO_COMPLETE: undo_complete,
        Action.TASK_LIST_DELETE: delete_confirmed,
    },
    home_sections=(("your tasks", home_section),),
)
