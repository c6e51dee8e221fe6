"""Spaces and projects from Slack: lists, the project card, the menus and buttons that open
forms. What the forms' submissions do is `space_forms`."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from bot.astravue.errors import Forbidden, NotFound
from bot.domain.links import LinkInfo
from bot.domain.projects import ProjectFields
from bot.listeners.modals import Build, open_loaded
from bot.listeners.registration import Feature
from bot.listeners.router import Resolution
from bot.listeners.safe_lazy import Invocation, LazyHandler
from bot.parsing import user_today
from bot.ui import spaces as ui
from bot.ui.components import escape, modal, section
from bot.ui.errors import UserFacingError
from bot.ui.ids import Action, Callback
from bot.ui.task_forms import loading_view

SpaceVerb = Callable[[Invocation, LinkInfo, int], Awaitable[None]]
ProjectVerb = Callable[[Invocation, LinkInfo, tuple[int, int]], Awaitable[None]]
Chooser = Callable[[Invocation, str | None], Awaitable[None]]


def _from_message(inv: Invocation) -> bool:
    return inv.payload.kind == "block_actions"


async def gone(inv: Invocation, what: str) -> None:
    """404: the item is gone; a message it came from loses its buttons."""
    if _from_message(inv) and inv.context.response_url:
        await inv.reply(ui.gone(what), replace=True)
        return
    raise UserFacingError(
        f"That {what} no longer exists in Astravue (or you can't see "
        "it). `/astravue spaces` lists what's there."
    )


async def guarded(
    inv: Invocation, what: str, action: str | None, work: Callable[[], Awaitable[None]]
) -> None:
    """Astravue's 403 and 404 in words: who may do `action`, or that the item is gone."""
    try:
        await work()
    except Forbidden as exc:
        raise (UserFacingError(ui.forbidden(action, exc.message)) if action else exc) from None
    except NotFound:
        await gone(inv, what)


async def open_form(
    inv: Invocation, title: str, what: str, action: str | None, build: Build
) -> None:
    """A loading view at once, then the form; a failure, or the item gone, is said in it."""

    async def guarded_build() -> dict[str, Any]:
        view: dict[str, Any] | None = None

        async def work() -> None:
            nonlocal view
            view = await build()

        await guarded(inv, what, action, work)
        if view is None:  # gone: say so in the modal too
            text = f":wastebasket: That {what} no longer exists in Astravue (or you can't see it)."
            view = modal(title, [section(text)], callback_id=Callback.LOADING)
        return view

    await open_loaded(
        inv,
        loading_view(title),
        guarded_build,
        no_trigger="Slack didn't give me a way to open a form here; run the command again.",
    )


# -- finding by name or id ------------------------------------------------------------------


async def one_space(inv: Invocation, link: LinkInfo, word: str, verb: str) -> int | None:
    """The space `word` names; several: a pick list is shown and None returned."""
    if not word:
        raise UserFacingError(
            f"Which space? e.g. `/astravue space {verb} Engineering`; "
            "`/astravue spaces` lists them."
        )
    found = await inv.services.spaces.match_spaces(link, word)
    if len(found) == 1:
        return found[0].space_id
    if not found:
        raise UserFacingError(
            f"No space matches “{escape(word[:80])}”. `/astravue spaces` lists them."
        )
    choices = [(s.space_name, str(s.space_id)) for s in found]
    await inv.reply(ui.pick_list("space", word, verb, choices))
    return None


async def one_project(
    inv: Invocation, link: LinkInfo, word: str, verb: str
) -> tuple[int, int] | None:
    if not word:
        raise UserFacingError(
            f"Which project? e.g. `/astravue project {verb} #Website`; "
            "`/astravue projects` lists them."
        )
    found = await inv.services.spaces.match_projects(link, word)
    if len(found) == 1:
        return found[0].space_id, found[0].project_id
    if not found:
        raise UserFacingError(
            f"No project matches “{escape(word[:80])}”. `/astravue projects` lists them."
        )
    choices = [(p.label, ui.project_value(p.space_id, p.project_id)) for p in found]
    await inv.reply(ui.pick_list("project", word, verb, choices))
    return None


# -- what each verb does, once it knows the id ----------------------------------------------


async def list_projects(
    inv: Invocation, link: LinkInfo, space_id: int | None, share: bool = False
) -> None:
    spaces = inv.services.spaces
    rows = [
        (o.space, p)
        for o in await spaces.overview(link)
        for p in o.projects
        if space_id is None or o.space.space_id == space_id
    ]
    title = "Projects"
    if space_id is not None:
        space = await spaces.space(link, space_id)
        title = f"Projects in {space.space_name}"
    await inv.reply(ui.project_list(title, rows), share=share)


async def edit_space(inv: Invocation, link: LinkInfo, space_id: int) -> None:
    async def build() -> dict[str, Any]:
        space = await inv.services.spaces.space(link, space_id)
        return ui.space_form(space, metadata=json.dumps({"s": space_id, "c": inv.channel_id}))

    await open_form(inv, "Edit space", "space", "edit this space", build)


async def delete_space(inv: Invocation, link: LinkInfo, space_id: int) -> None:
    async def build() -> dict[str, Any]:
        loss = await inv.services.spaces.space_loss(link, space_id)
        losses = ui.space_losses([p.project_name for p in loss.projects], loss.tasks)
        meta = {"s": space_id, "n": loss.space.space_name, "c": inv.channel_id}
        return ui.delete_form("space", loss.space.space_name, losses, metadata=json.dumps(meta))

    await open_form(inv, "Delete space?", "space", "delete this space", build)


async def new_project(inv: Invocation, link: LinkInfo, space_id: int | None) -> None:
    async def build() -> dict[str, Any]:
        choices = [(s.space_name, str(s.space_id)) for s in await inv.services.spaces.spaces(link)]
        return ui.project_form(
            ProjectFields(name=""),
            editing=False,
            spaces=choices,
            space=str(space_id) if space_id else None,
            metadata=json.dumps({"c": inv.channel_id}),
        )

    await open_form(inv, "New project", "space", "create projects in this space", build)


async def show_project(
    inv: Invocation, link: LinkInfo, ids: tuple[int, int], share: bool = False
) -> None:
    async def work() -> None:
        seen = await inv.services.spaces.project(link, *ids)
        card = ui.project_card(
            seen.project, seen.space, open_tasks=seen.open_tasks, tasks=len(seen.tasks)
        )
        await inv.reply(card, replace=_from_message(inv), share=share)

    await guarded(inv, "project", None, work)


async def edit_project(inv: Invocation, link: LinkInfo, ids: tuple[int, int]) -> None:
    async def build() -> dict[str, Any]:
        project = (await inv.services.spaces.project(link, *ids)).project
        tz = await inv.services.tasks.tz(link)
        fields = ProjectFields(
            name=project.project_name,
            description=project.description,
            status=project.status,
            priority=project.priority,
            health=project.health,
            start=user_today(tz, project.start_date) if project.start_date else None,
            end=user_today(tz, project.end_date) if project.end_date else None,
            budget=project.budget,
        )
        meta = {"s": ids[0], "p": ids[1], "c": inv.channel_id}
        return ui.project_form(fields, editing=True, metadata=json.dumps(meta))

    await open_form(inv, "Edit project", "project", "edit this project", build)


async def delete_project(inv: Invocation, link: LinkInfo, ids: tuple[int, int]) -> None:
    async def build() -> dict[str, Any]:
        seen = await inv.services.spaces.project(link, *ids)
        losses = ui.project_losses(seen.space.space_name, len(seen.tasks), seen.open_tasks)
        meta = {"s": ids[0], "p": ids[1], "n": seen.project.project_name, "c": inv.channel_id}
        return ui.delete_form(
            "project", seen.project.project_name, losses, metadata=json.dumps(meta)
        )

    await open_form(inv, "Delete project?", "project", "delete this project", build)


SPACE_VERBS: dict[str, SpaceVerb] = {
    "projects": list_projects,
    "newproject": new_project,
    "edit": edit_space,
    "delete": delete_space,
}
PROJECT_VERBS: dict[str, ProjectVerb] = {
    "show": show_project,
    "edit": edit_project,
    "delete": delete_project,
}


# -- commands -------------------------------------------------------------------------------


async def list_spaces(inv: Invocation, resolution: Resolution) -> None:
    overview = await inv.services.spaces.overview(await inv.link())
    await inv.reply(
        ui.space_list([(o.space, o.projects) for o in overview]), share=resolution.share
    )


async def space_new(inv: Invocation, resolution: Resolution) -> None:
    if not inv.trigger_id:
        raise UserFacingError("Run `/astravue space new` from a message box to open the form.")
    await inv.client.views_open(
        trigger_id=inv.trigger_id,
        view=ui.space_form(None, name=resolution.args, metadata=json.dumps({"c": inv.channel_id})),
    )


def space_command(verb: str) -> Callable[[Invocation, Resolution], Awaitable[None]]:
    async def run(inv: Invocation, resolution: Resolution) -> None:
        link = await inv.link()
        space_id = await one_space(inv, link, resolution.args, verb)
        if space_id is not None:
            await SPACE_VERBS[verb](inv, link, space_id)

    return run


async def projects(inv: Invocation, resolution: Resolution) -> None:
    link = await inv.link()
    if not resolution.args:
        await list_projects(inv, link, None, resolution.share)
        return
    space_id = await one_space(inv, link, resolution.args, "projects")
    if space_id is not None:
        await list_projects(inv, link, space_id, resolution.share)


async def project_new(inv: Invocation, resolution: Resolution) -> None:
    link = await inv.link()
    space_id = None
    if resolution.args:
        space_id = await one_space(inv, link, resolution.args, "newproject")
        if space_id is None:
            return
    await new_project(inv, link, space_id)


def project_command(verb: str) -> Callable[[Invocation, Resolution], Awaitable[None]]:
    async def run(inv: Invocation, resolution: Resolution) -> None:
        link = await inv.link()
        ids = await one_project(inv, link, resolution.args, verb)
        if ids is not None:
            await PROJECT_VERBS[verb](inv, link, ids)

    return run


# -- buttons, menus and pick lists ----------------------------------------------------------


async def space_chosen(inv: Invocation, chosen: str | None = None) -> None:
    """A `verb|space id` picked in a menu or pick list (or given as `chosen`)."""
    verb, _, value = (inv.payload.chosen if chosen is None else chosen).partition("|")
    if verb not in SPACE_VERBS or not value.isdecimal():
        raise UserFacingError("That menu is out of date. Run `/astravue spaces` again.")
    await SPACE_VERBS[verb](inv, await inv.link(), int(value))


async def project_chosen(inv: Invocation, chosen: str | None = None) -> None:
    """A `verb|project value` picked in a menu or pick list (or given as `chosen`)."""
    verb, _, value = (inv.payload.chosen if chosen is None else chosen).partition("|")
    try:
        ids = ui.parse_project_value(value)
    except ValueError:
        ids = None
    if verb not in PROJECT_VERBS or ids is None:
        raise UserFacingError("That menu is out of date. Run `/astravue projects` again.")
    await PROJECT_VERBS[verb](inv, await inv.link(), ids)


def pressed(verb: str, chosen: Chooser) -> LazyHandler:
    """A card button whose value is an id: the same as choosing `verb|id` in a menu."""

    async def run(inv: Invocation) -> None:
        await chosen(inv, f"{verb}|{inv.payload.chosen}")

    run.__name__ = f"{chosen.__name__}_{verb}"
    return run


FEATURE = Feature(
    commands={
        "spaces": list_spaces,
        "space": list_spaces,
        "space new": space_new,
        "space edit": space_command("edit"),
        "space delete": space_command("delete"),
        "projects": projects,
        "project": projects,
        "project new": project_new,
        "project show": project_command("show"),
        "project edit": project_command("edit"),
        "project delete": project_command("delete"),
    },
    actions={
        Action.SPACE_CHOOSE: space_chosen,
        Action.PROJECT_CHOOSE: project_chosen,
        Action.SPACE_EDIT: pressed("edit", space_chosen),
        Action.SPACE_DELETE: pressed("delete", space_chosen),
        Action.PROJECT_EDIT: pressed("edit", project_chosen),
        Action.PROJECT_DELETE: pressed("delete", project_chosen),
    },
)
