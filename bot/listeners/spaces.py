"""Spaces and projects from Slack: lists, the project card, forms and typed-name deletes."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.astravue.errors import AstravueError, BadRequest, Forbidden, NotFound
from bot.astravue.models import SpaceDto, SpaceRequest
from bot.container import ServiceContainer
from bot.domain.errors import DomainError
from bot.domain.links import LinkInfo
from bot.domain.projects import ProjectFields
from bot.listeners.registration import edited, on_action, on_view, view_value
from bot.listeners.router import CommandRegistry, Resolution
from bot.listeners.safe_lazy import Invocation
from bot.listeners.tasks import announce, metadata
from bot.parsing import user_today
from bot.ui import spaces as ui
from bot.ui.components import escape, modal, section
from bot.ui.errors import UserFacingError, describe, field_errors
from bot.ui.ids import Action, Callback
from bot.ui.task_forms import VALUE, loading_view

Build = Callable[[], Awaitable[dict[str, Any]]]


def _chosen(inv: Invocation) -> str:
    """A button's value, or the option picked in an overflow menu or a pick list."""
    action = (inv.body.get("actions") or [{}])[0]
    return str((action.get("selected_option") or {}).get("value") or action.get("value") or "")


def _from_message(inv: Invocation) -> bool:
    return inv.body.get("type") == "block_actions"


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _number(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def read_project_form(view: dict[str, Any]) -> ProjectFields:
    def value(block: str) -> Any:
        return view_value(view, block, VALUE)

    return ProjectFields(
        name=str(value(ui.NAME) or "").strip(),
        description=value(ui.DESCRIPTION) or None,
        status=value(ui.STATUS),
        priority=value(ui.PRIORITY),
        health=value(ui.HEALTH),
        start=_day(value(ui.START)),
        end=_day(value(ui.END)),
        budget=_number(value(ui.BUDGET)),
    )


def _changed(view: dict[str, Any], meta: dict[str, Any], blocks: tuple[str, ...]) -> list[str]:
    """The inputs the user changed, with those changed before a refusal reopened the form."""
    return sorted({b for b in blocks if edited(view, b, VALUE)} | set(meta.get("e") or ()))


def validate_space_form(view: dict[str, Any]) -> dict[str, str]:
    if not str(view_value(view, ui.NAME, VALUE) or "").strip():
        return {ui.NAME: "Give the space a name."}
    return {}


def validate_project_form(view: dict[str, Any]) -> dict[str, str]:
    fields = read_project_form(view)
    errors: dict[str, str] = {}
    if not fields.name:
        errors[ui.NAME] = "Give the project a name."
    if fields.start and fields.end and fields.end < fields.start:
        errors[ui.END] = "The end date can't be before the start date."
    if (
        metadata(view).get("p") is None
        and not str(view_value(view, ui.SPACE, VALUE) or "").isdecimal()
    ):
        errors[ui.SPACE] = "Choose the space the project belongs to."
    return errors


def validate_delete(view: dict[str, Any]) -> dict[str, str]:
    """The typed name must be the item's name, exactly (surrounding spaces aside)."""
    name = str(metadata(view).get("n") or "")
    typed = str(view_value(view, ui.CONFIRM, VALUE) or "").strip()
    if not name or typed != name.strip():
        return {ui.CONFIRM: f"That isn't its name. Type {name} exactly to delete it."}
    return {}


def register(app: AsyncApp, services: ServiceContainer, registry: CommandRegistry) -> None:
    spaces = services.spaces

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

    async def open_modal(
        inv: Invocation, title: str, what: str, action: str | None, build: Build
    ) -> None:
        """A loading view at once (a trigger_id lives 3 s), then the real one; if building
        it fails, the modal says why."""
        if not inv.trigger_id:
            raise UserFacingError(
                "Slack didn't give me a way to open a form here; run the command again."
            )
        opened = await inv.client.views_open(trigger_id=inv.trigger_id, view=loading_view(title))
        view: dict[str, Any] | None = None

        async def work() -> None:
            nonlocal view
            view = await build()

        try:
            await guarded(inv, what, action, work)
        except (AstravueError, UserFacingError, DomainError) as exc:
            view = modal(
                title, [section(f":warning: {describe(exc)}")], callback_id=Callback.LOADING
            )
        if view is None:  # gone: say so in the modal too
            view = modal(
                title,
                [
                    section(
                        f":wastebasket: That {what} no longer exists in "
                        "Astravue (or you can't see it)."
                    )
                ],
                callback_id=Callback.LOADING,
            )
        await inv.client.views_update(view_id=opened["view"]["id"], view=view)

    # -- finding by name or id ------------------------------------------------------------

    async def one_space(inv: Invocation, link: LinkInfo, word: str, verb: str) -> int | None:
        """The space `word` names; several: a pick list is shown and None returned."""
        if not word:
            raise UserFacingError(
                f"Which space? e.g. `/astravue space {verb} Engineering`; "
                "`/astravue spaces` lists them."
            )
        found = await spaces.match_spaces(link, word)
        if len(found) == 1:
            return found[0].space_id
        if not found:
            raise UserFacingError(
                f"No space matches “{escape(word[:80])}”. `/astravue spaces` lists them."
            )
        await inv.reply(
            ui.pick_list("space", word, verb, [(s.space_name, str(s.space_id)) for s in found])
        )
        return None

    async def one_project(
        inv: Invocation, link: LinkInfo, word: str, verb: str
    ) -> tuple[int, int] | None:
        if not word:
            raise UserFacingError(
                f"Which project? e.g. `/astravue project {verb} #Website`; "
                "`/astravue projects` lists them."
            )
        found = await spaces.match_projects(link, word)
        if len(found) == 1:
            return found[0].space_id, found[0].project_id
        if not found:
            raise UserFacingError(
                f"No project matches “{escape(word[:80])}”. `/astravue projects` lists them."
            )
        await inv.reply(
            ui.pick_list(
                "project",
                word,
                verb,
                [(p.label, ui.project_value(p.space_id, p.project_id)) for p in found],
            )
        )
        return None

    # -- what each verb does, once it knows the id ------------------------------------------

    async def list_projects(
        inv: Invocation, link: LinkInfo, space_id: int | None, share: bool = False
    ) -> None:
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
            space = await spaces.space(link, space_id)
            return ui.space_form(space, metadata=json.dumps({"s": space_id, "c": inv.channel_id}))

        await open_modal(inv, "Edit space", "space", "edit this space", build)

    async def delete_space(inv: Invocation, link: LinkInfo, space_id: int) -> None:
        async def build() -> dict[str, Any]:
            loss = await spaces.space_loss(link, space_id)
            losses = ui.space_losses([p.project_name for p in loss.projects], loss.tasks)
            meta = {"s": space_id, "n": loss.space.space_name, "c": inv.channel_id}
            return ui.delete_form("space", loss.space.space_name, losses, metadata=json.dumps(meta))

        await open_modal(inv, "Delete space?", "space", "delete this space", build)

    async def new_project(inv: Invocation, link: LinkInfo, space_id: int | None) -> None:
        async def build() -> dict[str, Any]:
            choices = [(s.space_name, str(s.space_id)) for s in await spaces.spaces(link)]
            return ui.project_form(
                ProjectFields(name=""),
                editing=False,
                spaces=choices,
                space=str(space_id) if space_id else None,
                metadata=json.dumps({"c": inv.channel_id}),
            )

        await open_modal(inv, "New project", "space", "create projects in this space", build)

    async def show_project(
        inv: Invocation, link: LinkInfo, ids: tuple[int, int], share: bool = False
    ) -> None:
        async def work() -> None:
            seen = await spaces.project(link, *ids)
            card = ui.project_card(
                seen.project, seen.space, open_tasks=seen.open_tasks, tasks=len(seen.tasks)
            )
            await inv.reply(card, replace=_from_message(inv), share=share)

        await guarded(inv, "project", None, work)

    async def edit_project(inv: Invocation, link: LinkInfo, ids: tuple[int, int]) -> None:
        async def build() -> dict[str, Any]:
            project = (await spaces.project(link, *ids)).project
            tz = await services.tasks.tz(link)
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

        await open_modal(inv, "Edit project", "project", "edit this project", build)

    async def delete_project(inv: Invocation, link: LinkInfo, ids: tuple[int, int]) -> None:
        async def build() -> dict[str, Any]:
            seen = await spaces.project(link, *ids)
            losses = ui.project_losses(seen.space.space_name, len(seen.tasks), seen.open_tasks)
            meta = {"s": ids[0], "p": ids[1], "n": seen.project.project_name, "c": inv.channel_id}
            return ui.delete_form(
                "project", seen.project.project_name, losses, metadata=json.dumps(meta)
            )

        await open_modal(inv, "Delete project?", "project", "delete this project", build)

    space_verbs: dict[str, Callable[[Invocation, LinkInfo, int], Awaitable[None]]] = {
        "projects": list_projects,
        "newproject": new_project,
        "edit": edit_space,
        "delete": delete_space,
    }
    project_verbs: dict[str, Callable[[Invocation, LinkInfo, tuple[int, int]], Awaitable[None]]] = {
        "show": show_project,
        "edit": edit_project,
        "delete": delete_project,
    }

    # -- commands -------------------------------------------------------------------------

    async def list_spaces(inv: Invocation, resolution: Resolution) -> None:
        overview = await spaces.overview(await inv.link())
        await inv.reply(
            ui.space_list([(o.space, o.projects) for o in overview]), share=resolution.share
        )

    registry.handler("spaces")(list_spaces)
    registry.handler("space")(list_spaces)

    @registry.handler("space new")
    async def space_new(inv: Invocation, resolution: Resolution) -> None:
        if not inv.trigger_id:
            raise UserFacingError("Run `/astravue space new` from a message box to open the form.")
        await inv.client.views_open(
            trigger_id=inv.trigger_id,
            view=ui.space_form(
                None, name=resolution.args, metadata=json.dumps({"c": inv.channel_id})
            ),
        )

    def space_command(verb: str) -> Callable[[Invocation, Resolution], Awaitable[None]]:
        async def run(inv: Invocation, resolution: Resolution) -> None:
            link = await inv.link()
            space_id = await one_space(inv, link, resolution.args, verb)
            if space_id is not None:
                await space_verbs[verb](inv, link, space_id)

        return run

    registry.handler("space edit")(space_command("edit"))
    registry.handler("space delete")(space_command("delete"))

    async def projects(inv: Invocation, resolution: Resolution) -> None:
        link = await inv.link()
        if not resolution.args:
            await list_projects(inv, link, None, resolution.share)
            return
        space_id = await one_space(inv, link, resolution.args, "projects")
        if space_id is not None:
            await list_projects(inv, link, space_id, resolution.share)

    registry.handler("projects")(projects)
    registry.handler("project")(projects)

    @registry.handler("project new")
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
                await project_verbs[verb](inv, link, ids)

        return run

    registry.handler("project show")(project_command("show"))
    registry.handler("project edit")(project_command("edit"))
    registry.handler("project delete")(project_command("delete"))

    # -- buttons, menus and pick lists ----------------------------------------------------

    async def space_chosen(inv: Invocation) -> None:
        verb, _, value = _chosen(inv).partition("|")
        if verb not in space_verbs or not value.isdecimal():
            raise UserFacingError("That menu is out of date. Run `/astravue spaces` again.")
        await space_verbs[verb](inv, await inv.link(), int(value))

    async def project_chosen(inv: Invocation) -> None:
        verb, _, value = _chosen(inv).partition("|")
        try:
            ids = ui.parse_project_value(value)
        except ValueError:
            ids = None
        if verb not in project_verbs or ids is None:
            raise UserFacingError("That menu is out of date. Run `/astravue projects` again.")
        await project_verbs[verb](inv, await inv.link(), ids)

    def pressed(
        verb: str, chosen: Callable[[Invocation], Awaitable[None]]
    ) -> Callable[[Invocation], Awaitable[None]]:
        """A card button whose value is an id: the same as choosing `verb|id` in a menu."""

        async def run(inv: Invocation) -> None:
            inv.body["actions"][0]["value"] = f"{verb}|{_chosen(inv)}"
            await chosen(inv)

        run.__name__ = f"{chosen.__name__}_{verb}"
        return run

    # -- submissions ----------------------------------------------------------------------

    async def space_submitted(inv: Invocation) -> None:
        view, link = inv.body["view"], await inv.link()
        meta = metadata(view)
        body = SpaceRequest(
            space_name=str(view_value(view, ui.NAME, VALUE)).strip(),
            description=view_value(view, ui.DESCRIPTION, VALUE) or None,
            color=view_value(view, ui.COLOR, VALUE),
        )
        space_id = meta.get("s")
        action = "edit this space" if space_id else "create spaces"
        changed = _changed(view, meta, (ui.NAME, ui.DESCRIPTION, ui.COLOR))

        async def work() -> None:
            try:
                if space_id:
                    saved = await spaces.update_space(link, int(space_id), body, changed)
                else:
                    saved = await spaces.create_space(link, body)
            except BadRequest as exc:
                shown = (
                    SpaceDto(
                        space_id=int(space_id),
                        space_name=body.space_name,
                        description=body.description,
                        color=body.color,
                    )
                    if space_id
                    else None
                )
                await inv.client.views_open(
                    trigger_id=inv.trigger_id,
                    view=ui.space_form(
                        shown,
                        name=body.space_name,
                        metadata=json.dumps({**meta, "e": changed}),
                        errors=field_errors(exc, ui.FIELD_BLOCKS),
                    ),
                )
                return
            await announce(
                inv, meta, ui.saved("Space", saved.space_name, "saved" if space_id else "created")
            )

        await guarded(inv, "space", action, work)

    async def project_submitted(inv: Invocation) -> None:
        view, link = inv.body["view"], await inv.link()
        meta = metadata(view)
        fields = read_project_form(view)
        editing = meta.get("p") is not None
        space_id = int(meta["s"] if editing else view_value(view, ui.SPACE, VALUE))
        action = "edit this project" if editing else "create projects in this space"
        changed = _changed(
            view,
            meta,
            (
                ui.NAME,
                ui.DESCRIPTION,
                ui.STATUS,
                ui.PRIORITY,
                ui.HEALTH,
                ui.START,
                ui.END,
                ui.BUDGET,
            ),
        )

        async def work() -> None:
            try:
                if editing:
                    saved = await spaces.update_project(
                        link, space_id, int(meta["p"]), fields, changed
                    )
                else:
                    saved = await spaces.create_project(link, space_id, fields)
            except BadRequest as exc:
                choices = (
                    None
                    if editing
                    else [(s.space_name, str(s.space_id)) for s in await spaces.spaces(link)]
                )
                await inv.client.views_open(
                    trigger_id=inv.trigger_id,
                    view=ui.project_form(
                        fields,
                        editing=editing,
                        spaces=choices,
                        space=str(space_id),
                        metadata=json.dumps({**meta, "e": changed}),
                        errors=field_errors(exc, ui.FIELD_BLOCKS),
                    ),
                )
                return
            await announce(
                inv,
                meta,
                ui.saved("Project", saved.project_name, "saved" if editing else "created"),
            )

        await guarded(inv, "project" if editing else "space", action, work)

    async def space_delete_submitted(inv: Invocation) -> None:
        meta, link = metadata(inv.body["view"]), await inv.link()

        async def work() -> None:
            await spaces.delete_space(link, int(meta["s"]))
            await announce(
                inv, meta, ui.saved("Space", str(meta["n"]), "deleted, with its projects and tasks")
            )

        await guarded(inv, "space", "delete this space", work)

    async def project_delete_submitted(inv: Invocation) -> None:
        meta, link = metadata(inv.body["view"]), await inv.link()

        async def work() -> None:
            await spaces.delete_project(link, int(meta["s"]), int(meta["p"]))
            await announce(
                inv, meta, ui.saved("Project", str(meta["n"]), "deleted, with its tasks")
            )

        await guarded(inv, "project", "delete this project", work)

    for action_id, handler in (
        (Action.SPACE_CHOOSE, space_chosen),
        (Action.PROJECT_CHOOSE, project_chosen),
        (Action.SPACE_EDIT, pressed("edit", space_chosen)),
        (Action.SPACE_DELETE, pressed("delete", space_chosen)),
        (Action.PROJECT_EDIT, pressed("edit", project_chosen)),
        (Action.PROJECT_DELETE, pressed("delete", project_chosen)),
    ):
        on_action(app, services, action_id, handler)
    on_view(app, services, Callback.SPACE_FORM, space_submitted, validate=validate_space_form)
    on_view(app, services, Callback.PROJECT_FORM, project_submitted, validate=validate_project_form)
    on_view(app, services, Callback.SPACE_DELETE, space_delete_submitted, validate=validate_delete)
    on_view(
        app, services, Callback.PROJECT_DELETE, project_delete_submitted, validate=validate_delete
    )
