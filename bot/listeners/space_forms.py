"""Space and project forms: reading and checking them, and what their submissions do
(create, save, and the typed-name deletes)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from bot.astravue.errors import BadRequest
from bot.astravue.models import SpaceDto
from bot.domain.projects import ProjectFields, SpaceFields
from bot.listeners.payloads import edited, view_metadata, view_value
from bot.listeners.registration import Feature, View
from bot.listeners.replies import announce
from bot.listeners.safe_lazy import Invocation
from bot.listeners.spaces import guarded
from bot.ui import spaces as ui
from bot.ui.errors import field_errors
from bot.ui.ids import Callback
from bot.ui.task_forms import VALUE

PROJECT_INPUTS = (
    ui.NAME,
    ui.DESCRIPTION,
    ui.STATUS,
    ui.PRIORITY,
    ui.HEALTH,
    ui.START,
    ui.END,
    ui.BUDGET,
)


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
        view_metadata(view).get("p") is None
        and not str(view_value(view, ui.SPACE, VALUE) or "").isdecimal()
    ):
        errors[ui.SPACE] = "Choose the space the project belongs to."
    return errors


def validate_delete(view: dict[str, Any]) -> dict[str, str]:
    """The typed name must be the item's name, exactly (surrounding spaces aside)."""
    name = str(view_metadata(view).get("n") or "")
    typed = str(view_value(view, ui.CONFIRM, VALUE) or "").strip()
    if not name or typed != name.strip():
        return {ui.CONFIRM: f"That isn't its name. Type {name} exactly to delete it."}
    return {}


async def space_submitted(inv: Invocation) -> None:
    spaces, payload = inv.services.spaces, inv.payload
    view, link = payload.view, await inv.link()
    meta = payload.metadata
    form = SpaceFields(
        name=str(payload.value(ui.NAME, VALUE)).strip(),
        description=payload.value(ui.DESCRIPTION, VALUE) or None,
        color=payload.value(ui.COLOR, VALUE),
    )
    space_id = meta.get("s")
    action = "edit this space" if space_id else "create spaces"
    changed = _changed(view, meta, (ui.NAME, ui.DESCRIPTION, ui.COLOR))

    async def work() -> None:
        try:
            if space_id:
                saved = await spaces.update_space(link, int(space_id), form, changed)
            else:
                saved = await spaces.create_space(link, form)
        except BadRequest as exc:
            shown = (
                SpaceDto(
                    space_id=int(space_id),
                    space_name=form.name,
                    description=form.description,
                    color=form.color,
                )
                if space_id
                else None
            )
            await inv.client.views_open(
                trigger_id=inv.trigger_id,
                view=ui.space_form(
                    shown,
                    name=form.name,
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
    spaces, payload = inv.services.spaces, inv.payload
    view, link = payload.view, await inv.link()
    meta = payload.metadata
    fields = read_project_form(view)
    editing = meta.get("p") is not None
    space_id = int(meta["s"] if editing else payload.value(ui.SPACE, VALUE))
    action = "edit this project" if editing else "create projects in this space"
    changed = _changed(view, meta, PROJECT_INPUTS)

    async def work() -> None:
        try:
            if editing:
                saved = await spaces.update_project(link, space_id, int(meta["p"]), fields, changed)
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
    meta, link = inv.payload.metadata, await inv.link()

    async def work() -> None:
        await inv.services.spaces.delete_space(link, int(meta["s"]))
        await announce(
            inv, meta, ui.saved("Space", str(meta["n"]), "deleted, with its projects and tasks")
        )

    await guarded(inv, "space", "delete this space", work)


async def project_delete_submitted(inv: Invocation) -> None:
    meta, link = inv.payload.metadata, await inv.link()

    async def work() -> None:
        await inv.services.spaces.delete_project(link, int(meta["s"]), int(meta["p"]))
        await announce(inv, meta, ui.saved("Project", str(meta["n"]), "deleted, with its tasks"))

    await guarded(inv, "project", "delete this project", work)


FEATURE = Feature(
    views=(
        View(Callback.SPACE_FORM, space_submitted, validate_space_form),
        View(Callback.PROJECT_FORM, project_submitted, validate_project_form),
        View(Callback.SPACE_DELETE, space_delete_submitted, validate_delete),
        View(Callback.PROJECT_DELETE, project_delete_submitted, validate_delete),
    ),
)
