"""Quick capture: `task new` and `todo` parse a line into a draft, show a preview, and create
the task once the user confirms (or picks what the line left open, or edits it in the form)."""

from __future__ import annotations

from bot.astravue.errors import Forbidden
from bot.listeners.registration import Feature
from bot.listeners.replies import app_url, forbidden
from bot.listeners.router import Resolution
from bot.listeners.safe_lazy import Invocation
from bot.listeners.task_form import open_form
from bot.parsing.picks import read_pick
from bot.services.tasks import TaskService
from bot.ui import shared as shared_ui
from bot.ui import tasks as ui
from bot.ui.errors import UserFacingError
from bot.ui.ids import Action


async def preview(inv: Invocation, resolution: Resolution, *, personal: bool) -> None:
    if not resolution.args:
        raise UserFacingError(
            "Tell me the task, e.g. `/astravue task new Fix login #Website @maria fri p1 +backend`."
        )
    tasks = inv.services.tasks
    link = await inv.link()
    draft = await tasks.draft_from_text(link, resolution.args, personal=personal)
    if resolution.share:  # the draft stays private; the created task is what is shared
        draft.share = True
        draft.notes.append(shared_ui.DRAFT_NOTE)
    token = await tasks.save_draft(link, draft)
    await inv.reply(ui.capture_preview(draft, token))


async def task_new(inv: Invocation, resolution: Resolution) -> None:
    await preview(inv, resolution, personal=False)


async def todo(inv: Invocation, resolution: Resolution) -> None:
    await preview(inv, resolution, personal=True)


async def create_confirmed(inv: Invocation) -> None:
    tasks = inv.services.tasks
    link, token = await inv.link(), inv.payload.action_value
    draft = await tasks.load_draft(link, token)
    try:
        task = await tasks.create(link, draft)
    except Forbidden as exc:
        raise forbidden("create", exc) from None
    await tasks.drop_draft(link, token)
    if draft.project_id and draft.space_id and inv.channel_id:
        await tasks.remember_channel_project(
            inv.team_id, inv.channel_id, draft.space_id, draft.project_id
        )
    card = ui.task_message(task, app_url=app_url(inv), note=":white_check_mark: Created.")
    await inv.reply(card, replace=True)
    if draft.share:
        await inv.reply(card, share=True)


async def create_cancelled(inv: Invocation) -> None:
    link = await inv.link()
    await inv.services.tasks.drop_draft(link, inv.payload.action_value)
    await inv.reply({"text": "Cancelled: no task was created.", "blocks": []}, replace=True)


async def picked(inv: Invocation) -> None:
    tasks = inv.services.tasks
    link = await inv.link()
    answer = read_pick(inv.payload.selected_value)
    draft = await tasks.load_draft(link, answer.token)
    if answer.index is None or answer.index >= len(draft.picks):
        raise UserFacingError("That question was already answered. Run the command again.")
    TaskService.apply_pick(draft, answer.index, answer.choice)
    tasks.apply_defaults(link, draft)  # a chosen project has its own first status
    await tasks.save_draft(link, draft, answer.token)
    await inv.reply(ui.capture_preview(draft, answer.token), replace=True)


async def edit_draft(inv: Invocation) -> None:
    link, token = await inv.link(), inv.payload.action_value
    draft = await inv.services.tasks.load_draft(link, token)
    meta = {"tok": token, "c": inv.channel_id, **({"s": 1} if draft.share else {})}
    await open_form(inv, link, draft, meta)


FEATURE = Feature(
    commands={"task new": task_new, "todo": todo},
    actions={
        Action.TASK_CREATE_CONFIRM: create_confirmed,
        Action.TASK_CREATE_CANCEL: create_cancelled,
        Action.TASK_CREATE_EDIT: edit_draft,
        Action.TASK_PICK: picked,
    },
)
