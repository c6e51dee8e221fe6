"""The task form: new, edit, from a message (shortcut), its submissions, and the options of
its space and project selects."""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext

from bot.astravue.errors import BadRequest, Forbidden
from bot.container import ServiceContainer
from bot.domain.calendar import wire_to_day
from bot.domain.links import LinkInfo
from bot.domain.tasks import TaskDraft, TaskRef
from bot.listeners.modals import open_loaded
from bot.listeners.payloads import Payload, edited, view_value
from bot.listeners.registration import Feature, View
from bot.listeners.replies import announce, app_url, clicked_ref, forbidden, share_in_channel
from bot.listeners.router import Resolution
from bot.listeners.safe_lazy import Invocation
from bot.parsing.picks import project_ids
from bot.services.form_changes import TaskField, task_changes
from bot.services.slack_owners import owners_kept, slack_ids_for
from bot.slack.user_lookup import SlackUserLookup
from bot.ui import task_forms as forms
from bot.ui import tasks as ui
from bot.ui.errors import field_errors
from bot.ui.ids import Action, Callback

log = logging.getLogger(__name__)

# The edit form's inputs, by the task field each one edits.
FIELD_OF_BLOCK: dict[str, TaskField] = {
    forms.TITLE: "title",
    forms.DESCRIPTION: "description",
    forms.TAGS: "tags",
    forms.PRIORITY: "priority",
    forms.STATUS: "status",
    forms.DUE: "due",
    forms.START: "start",
    forms.OWNERS: "owners",
}


async def open_form(
    inv: Invocation,
    link: LinkInfo,
    draft: TaskDraft,
    meta: dict[str, Any],
    *,
    editing: bool = False,
    errors: dict[str, str] | None = None,
) -> None:
    tasks = inv.services.tasks

    shown = await slack_ids_for(
        inv.services.sessions,
        tasks.people,
        SlackUserLookup(inv.client).by_email,
        link,
        [i for i, _ in draft.owners],
    )
    if not editing:  # the draft's owners, kept while the picker is left alone
        meta = {**meta, "o": draft.owners[:20]}

    async def build() -> dict[str, Any]:
        space = project = None
        if draft.project_id is not None:
            for found in await tasks.catalogue(link):
                if found.project_id == draft.project_id:
                    space = (found.space_name, str(found.space_id))
                    project = (found.label, f"{found.space_id}:{found.project_id}")
        return forms.task_form(
            draft,
            metadata=json.dumps(meta),
            editing=editing,
            statuses=tasks.statuses(link, draft.project_id),
            space=space,
            project=project,
            errors=errors,
            owner_names=[n for i, n in draft.owners if i not in shown],
            owner_slack_ids=[shown[i] for i, _ in draft.owners if i in shown],
        )

    await open_loaded(
        inv,
        forms.loading_view("Task"),
        build,
        no_trigger="Slack didn't give me a way to open a form here; try `/astravue task` instead.",
    )


async def task_form(inv: Invocation, _r: Resolution) -> None:
    await new_task_form(inv)


async def new_task_form(inv: Invocation) -> None:
    link = await inv.link()
    draft = TaskDraft(title="")
    default = await inv.services.tasks.channel_project(inv.team_id, inv.channel_id or "")
    if default:
        draft.space_id, draft.project_id = default
    await open_form(inv, link, draft, {"c": inv.channel_id})


def read_form(view: dict[str, Any]) -> TaskDraft:
    def value(block: str, action: str = forms.VALUE) -> Any:
        return view_value(view, block, action)

    space_id, project_id = project_ids(value(forms.PROJECT, Action.SELECT_PROJECT))
    tags = [t.strip().lstrip("+") for t in str(value(forms.TAGS) or "").split(",")]
    return TaskDraft(
        title=str(value(forms.TITLE) or "").strip(),
        description=value(forms.DESCRIPTION) or None,
        space_id=space_id,
        project_id=project_id,
        due=_day(value(forms.DUE)),
        start=_day(value(forms.START)),
        priority=value(forms.PRIORITY),
        status=value(forms.STATUS),
        tags=[t for t in tags if t],
    )


def validate_form(view: dict[str, Any]) -> dict[str, str]:
    draft = read_form(view)
    errors: dict[str, str] = {}
    if not draft.title:
        errors[forms.TITLE] = "Give the task a title."
    if draft.start and draft.due and draft.due < draft.start:
        errors[forms.DUE] = "The due date can't be before the start date."
    return errors


async def owners_from_form(
    inv: Invocation, link: LinkInfo, view: dict[str, Any]
) -> tuple[list[tuple[int, str]], list[str]]:
    """The chosen Slack users' Astravue accounts, and the names of those without one."""
    mapped: list[tuple[int, str]] = []
    unmapped: list[str] = []
    for slack_id in view_value(view, forms.OWNERS, forms.VALUE) or []:
        person = await inv.services.tasks.person_for_slack(link, slack_id)
        if person is None:
            unmapped.append(await inv.services.tasks.slack_name(slack_id))
        else:
            mapped.append((person.user_id, person.name))
    return mapped, unmapped


async def form_submitted(inv: Invocation) -> None:
    tasks, dedupe = inv.services.tasks, inv.services.dedupe
    view, link = inv.payload.view, await inv.link()
    meta = inv.payload.metadata
    draft = read_form(view)
    draft.owners, unmapped = await owners_from_form(inv, link, view)
    if meta.get("o") and not edited(view, forms.OWNERS, forms.VALUE):
        draft.owners, unmapped = owners_kept(meta["o"]), []
    if not draft.owners and link.astravue_user_id is not None:
        draft.owners = [(link.astravue_user_id, link.name or "you")]
    if meta.get("link"):
        draft.permalink = meta["link"]
    # One task per submission, however often it arrives; a failed create frees it again.
    view_id = str(view.get("id"))
    if not await dedupe.claim_submission(inv.team_id, view_id):
        log.info("%s: submission %s already handled; not creating again", inv.ids, view_id)
        return
    try:
        task = await tasks.create(link, draft)
    except Exception as exc:
        await dedupe.release_submission(inv.team_id, view_id)
        if isinstance(exc, BadRequest):
            await open_form(inv, link, draft, meta, errors=field_errors(exc, forms.FIELD_BLOCKS))
            return
        if isinstance(exc, Forbidden):
            raise forbidden("create", exc) from None
        raise
    await after_create(inv, link, draft, meta)
    note = ":white_check_mark: Created." + forms.unmapped_note(unmapped)
    card = ui.task_message(task, app_url=app_url(inv), note=note)
    await announce(inv, meta, card)
    if meta.get("s") and meta.get("c"):  # `--share`: the created task, never the draft
        await share_in_channel(inv, str(meta["c"]), card)


async def after_create(
    inv: Invocation, link: LinkInfo, draft: TaskDraft, meta: dict[str, Any]
) -> None:
    """Housekeeping once the task exists: a failure here is logged, never reported as
    a failed create (the user would try again and make a duplicate)."""
    tasks = inv.services.tasks
    try:
        if meta.get("tok"):
            await tasks.drop_draft(link, meta["tok"])
        if draft.project_id and draft.space_id and meta.get("c"):
            await tasks.remember_channel_project(
                inv.team_id, meta["c"], draft.space_id, draft.project_id
            )
    except Exception:
        log.exception("%s: task created; tidying up after it failed", inv.ids)


async def edit_submitted(inv: Invocation) -> None:
    tasks = inv.services.tasks
    view, link = inv.payload.view, await inv.link()
    meta = inv.payload.metadata
    ref = TaskRef.decode(str(meta.get("r")))
    draft = read_form(view)
    owners, unmapped = await owners_from_form(inv, link, view)
    # Only what the user changed: an input emptied clears its field on purpose. A form
    # reopened after a refusal shows the user's values: remember what they changed.
    changed = {block for block in FIELD_OF_BLOCK if edited(view, block, forms.VALUE)}
    changed |= set(meta.get("e") or ()) & set(FIELD_OF_BLOCK)
    if not owners:
        changed.discard(forms.OWNERS)  # nobody mappable chosen: not "remove every owner"
    changes = task_changes(
        draft,
        [i for i, _ in owners],
        [FIELD_OF_BLOCK[block] for block in changed],
        await tasks.tz(link),
    )
    try:
        task = await tasks.update(link, ref, changes)
    except BadRequest as exc:
        await open_form(
            inv,
            link,
            draft,
            {**meta, "e": sorted(changed)},
            editing=True,
            errors=field_errors(exc, forms.FIELD_BLOCKS),
        )
        return
    except Forbidden as exc:
        raise forbidden("edit", exc) from None
    note = ":pencil2: Saved." + forms.unmapped_note(unmapped)
    await announce(inv, meta, ui.task_message(task, app_url=app_url(inv), note=note))


async def open_edit(inv: Invocation, ref: TaskRef) -> None:
    tasks = inv.services.tasks
    link = await inv.link()
    task = await tasks.get(link, ref)
    draft = TaskDraft(
        title=task.task_title,
        description=task.description,
        space_id=task.space_id,
        project_id=task.project_id,
        priority=task.priority_label,
        status=task.status_name,
        tags=list(task.tags),
        due=wire_to_day(task.due_date),
        start=wire_to_day(task.start_date),
        owners=[(o.user_id or 0, o.display_name) for o in task.owners],
    )
    await open_form(inv, link, draft, {"r": ref.encode(), "c": inv.channel_id}, editing=True)


async def edit_clicked(inv: Invocation) -> None:
    await open_edit(inv, clicked_ref(inv))


async def message_shortcut(inv: Invocation) -> None:
    link = await inv.link()
    payload = inv.payload
    channel, ts = payload.channel_id, payload.message.get("ts")
    text = str(payload.message.get("text") or "")
    permalink = None
    if channel and ts:
        permalink = (await inv.client.chat_getPermalink(channel=channel, message_ts=ts)).get(
            "permalink"
        )
    draft = TaskDraft(title=text.split("\n")[0][:80], description=text or None, permalink=permalink)
    default = await inv.services.tasks.channel_project(inv.team_id, channel or "")
    if default:
        draft.space_id, draft.project_id = default
    await open_form(inv, link, draft, {"c": channel, "ts": ts, "link": permalink})


# -- options of the form's external selects (answered inside the 3 s ack) ---------------------


async def space_options(
    services: ServiceContainer, payload: Payload, context: AsyncBoltContext
) -> dict[str, Any]:
    link = await services.link(str(context.team_id), str(context.user_id))
    query = payload.query.lower()
    choices: list[tuple[str, str]] = []
    if link is not None and link.org_id is not None:
        seen: dict[int, str] = {}
        for p in await services.tasks.catalogue(link):
            seen[p.space_id] = p.space_name
        choices = [(name, str(sid)) for sid, name in seen.items() if query in name.lower()]
    return forms.select_options(choices, "No space matches")


async def project_options(
    services: ServiceContainer, payload: Payload, context: AsyncBoltContext
) -> dict[str, Any]:
    link = await services.link(str(context.team_id), str(context.user_id))
    query = payload.query.lower()
    space = payload.value(forms.SPACE, Action.SELECT_SPACE)
    choices: list[tuple[str, str]] = []
    if link is not None and link.org_id is not None:
        found = [p for p in await services.tasks.catalogue(link) if query in p.label.lower()]
        found.sort(key=lambda p: str(p.space_id) != str(space))  # chosen space first
        choices = [(p.label, f"{p.space_id}:{p.project_id}") for p in found]
        if query in forms.NO_PROJECT[0].lower():
            choices.insert(0, forms.NO_PROJECT)
    return forms.select_options(choices, "No project matches")


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


FEATURE = Feature(
    commands={"task": task_form},
    actions={Action.HOME_NEW_TASK: new_task_form, Action.TASK_EDIT: edit_clicked},
    views=(
        View(Callback.TASK_CREATE, form_submitted, validate_form),
        View(Callback.TASK_EDIT, edit_submitted, validate_form),
    ),
    options={Action.SELECT_SPACE: space_options, Action.SELECT_PROJECT: project_options},
    shortcuts={Callback.MESSAGE_TASK: message_shortcut},
)
