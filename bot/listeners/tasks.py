"""Tasks from Slack: quick capture with a preview, the task form, lists, cards and buttons."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any, cast

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError

from bot.astravue.errors import BadRequest, Forbidden, NotFound
from bot.astravue.pagination import noting_cut_short
from bot.astravue.updates import TaskChanges
from bot.container import ServiceContainer
from bot.domain.links import LinkInfo
from bot.domain.tasks import TaskDraft, TaskRef
from bot.listeners import audience
from bot.listeners.registration import Ack, edited, on_action, on_view, view_value
from bot.listeners.router import CommandRegistry, Resolution
from bot.listeners.safe_lazy import Invocation, safe_lazy
from bot.parsing import local_day_bounds, parse_date, to_utc_due, user_today
from bot.services import once
from bot.services.tasks import WINDOWS, TaskService
from bot.ui import task_forms as forms
from bot.ui import tasks as ui
from bot.ui.components import escape
from bot.ui.errors import UserFacingError, field_errors
from bot.ui.ids import Action, Callback

log = logging.getLogger(__name__)

ROLE_HINTS = {
    "delete": "the task's owners, its creator or an organisation Admin",
    "create": "Members and Admins (Guests are read-only)",
    "edit": "Members and Admins, or a Guest who owns the task",
}


def _forbidden(what: str, exc: Forbidden) -> UserFacingError:
    return UserFacingError(
        f"Astravue says your role doesn't allow you to {what} this task "
        f"({exc.message or 'forbidden'}). Only {ROLE_HINTS[what]} can; ask "
        "one of them, or an Admin to change your role."
    )


def _ref(inv: Invocation) -> TaskRef:
    value = str((inv.body.get("actions") or [{}])[0].get("value") or "")
    try:
        return TaskRef.decode(value.split("|")[-1])
    except ValueError:
        raise UserFacingError(
            "That button no longer points at a task. Run the command again."
        ) from None


def _action(inv: Invocation) -> dict[str, Any]:
    return dict((inv.body.get("actions") or [{}])[0])


def _split(args: str) -> tuple[str, str]:
    first, _, rest = args.strip().partition(" ")
    return first, rest.strip()


async def announce(inv: Invocation, meta: dict[str, Any], payload: dict[str, Any]) -> None:
    """A form's result, once its work is done: in the message's thread (shortcut), else
    ephemeral where it began (`meta["c"]`, the channel kept in the view's metadata), else as
    a DM. A thread Slack refuses (e.g. the app is not in that channel) costs only the thread
    reply: the user is told privately that it worked, and why the reply is missing."""
    channel = meta.get("c")
    if channel and meta.get("ts"):
        try:
            await inv.client.chat_postMessage(
                channel=channel,
                thread_ts=meta["ts"],
                metadata=audience.shared_by(inv.user_id),
                **payload,
            )
            return
        except SlackApiError as exc:
            error = str(exc.response.get("error"))
            log.info("%s: thread reply refused (%s); telling the user privately", inv.ids, error)
            payload = ui.thread_refused(payload, str(channel), error)
    await inv.tell_privately(payload, channel)


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return meta if isinstance(meta, dict) else {}


def register(app: AsyncApp, services: ServiceContainer, registry: CommandRegistry) -> None:
    def tasks() -> TaskService:
        return services.tasks

    def app_url() -> str:
        return services.settings.astravue_app_url

    async def on_card(
        inv: Invocation, what: str, work: Callable[[LinkInfo, TaskRef], Awaitable[dict[str, Any]]]
    ) -> None:
        """A card button: run `work`, replace the card; a gone task loses its buttons."""
        link, ref = await inv.link(), _ref(inv)
        try:
            payload = await work(link, ref)
        except NotFound:
            payload = ui.task_gone(
                "That task no longer exists in Astravue (or you can't see "
                "it any more), so its buttons are gone."
            )
        except Forbidden as exc:
            raise _forbidden(what, exc) from None
        await inv.reply(payload, replace=True)

    # -- quick capture ------------------------------------------------------------------

    async def preview(inv: Invocation, resolution: Resolution, *, personal: bool) -> None:
        if not resolution.args:
            raise UserFacingError(
                "Tell me the task, e.g. `/astravue task new Fix login "
                "#Website @maria fri p1 +backend`."
            )
        link = await inv.link()
        draft = await tasks().draft_from_text(link, resolution.args, personal=personal)
        token = await tasks().save_draft(link, draft)
        await inv.reply(ui.capture_preview(draft, token), share=resolution.share)

    @registry.handler("task new")
    async def task_new(inv: Invocation, resolution: Resolution) -> None:
        await preview(inv, resolution, personal=False)

    @registry.handler("todo")
    async def todo(inv: Invocation, resolution: Resolution) -> None:
        await preview(inv, resolution, personal=True)

    async def create_confirmed(inv: Invocation) -> None:
        link, token = await inv.link(), str(_action(inv).get("value"))
        draft = await tasks().load_draft(link, token)
        try:
            task = await tasks().create(link, draft)
        except Forbidden as exc:
            raise _forbidden("create", exc) from None
        await tasks().drop_draft(link, token)
        if draft.project_id and draft.space_id and inv.channel_id:
            await tasks().remember_channel_project(
                inv.team_id, inv.channel_id, draft.space_id, draft.project_id
            )
        await inv.reply(
            ui.task_message(task, app_url=app_url(), note=":white_check_mark: Created."),
            replace=True,
        )

    async def create_cancelled(inv: Invocation) -> None:
        link = await inv.link()
        await tasks().drop_draft(link, str(_action(inv).get("value")))
        await inv.reply({"text": "Cancelled: no task was created.", "blocks": []}, replace=True)

    async def picked(inv: Invocation) -> None:
        link = await inv.link()
        value = str((_action(inv).get("selected_option") or {}).get("value") or "")
        token, index, choice = [*value.split("|", 2), "", ""][:3]
        draft = await tasks().load_draft(link, token)
        if not index.isdecimal() or int(index) >= len(draft.picks):
            raise UserFacingError("That question was already answered. Run the command again.")
        TaskService.apply_pick(draft, int(index), choice)
        await tasks().save_draft(link, draft, token)
        await inv.reply(ui.capture_preview(draft, token), replace=True)

    async def edit_draft(inv: Invocation) -> None:
        link, token = await inv.link(), str(_action(inv).get("value"))
        draft = await tasks().load_draft(link, token)
        meta = {"tok": token, "c": inv.channel_id}
        await open_form(inv, link, draft, meta)

    # -- the form -----------------------------------------------------------------------

    async def open_form(
        inv: Invocation,
        link: LinkInfo,
        draft: TaskDraft,
        meta: dict[str, Any],
        *,
        editing: bool = False,
        errors: dict[str, str] | None = None,
    ) -> None:
        if not inv.trigger_id:
            raise UserFacingError(
                "Slack didn't give me a way to open a form here; try `/astravue task` instead."
            )
        opened = await inv.client.views_open(
            trigger_id=inv.trigger_id, view=forms.loading_view("Task")
        )
        space = project = None
        if draft.project_id is not None:
            for found in await tasks().catalogue(link):
                if found.project_id == draft.project_id:
                    space = (found.space_name, str(found.space_id))
                    project = (found.label, f"{found.space_id}:{found.project_id}")
        view = forms.task_form(
            draft,
            metadata=json.dumps(meta),
            editing=editing,
            statuses=tasks().statuses(link, draft.project_id),
            space=space,
            project=project,
            errors=errors,
            owner_names=[n for _, n in draft.owners],
        )
        await inv.client.views_update(view_id=opened["view"]["id"], view=view)

    @registry.handler("task")
    async def task_form(inv: Invocation, _r: Resolution) -> None:
        await new_task_form(inv)

    async def new_task_form(inv: Invocation) -> None:
        link = await inv.link()
        draft = TaskDraft(title="")
        default = await tasks().channel_project(inv.team_id, inv.channel_id or "")
        if default:
            draft.space_id, draft.project_id = default
        await open_form(inv, link, draft, {"c": inv.channel_id})

    def read_form(view: dict[str, Any]) -> TaskDraft:
        def value(block: str, action: str = forms.VALUE) -> Any:
            return view_value(view, block, action)

        space_id, project_id = _project_ids(value(forms.PROJECT, Action.SELECT_PROJECT))
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
        mapped: list[tuple[int, str]] = []
        unmapped: list[str] = []
        for slack_id in view_value(view, forms.OWNERS, forms.VALUE) or []:
            person = await tasks().person_for_slack(link, slack_id)
            if person is None:
                unmapped.append(slack_id)
            else:
                mapped.append((person.user_id, person.name))
        return mapped, unmapped

    async def form_submitted(inv: Invocation) -> None:
        view, link = inv.body["view"], await inv.link()
        meta = metadata(view)
        draft = read_form(view)
        draft.owners, unmapped = await owners_from_form(inv, link, view)
        if not draft.owners and link.astravue_user_id is not None:
            draft.owners = [(link.astravue_user_id, link.name or "you")]
        if meta.get("link"):
            draft.permalink = meta["link"]
        # One task per submission, however often it arrives; a failed create frees it again.
        key = f"view:{inv.team_id}:{view.get('id')}"
        if not await once.claim(services.sessions, key):
            log.info(
                "%s: submission %s already handled; not creating again", inv.ids, view.get("id")
            )
            return
        try:
            task = await tasks().create(link, draft)
        except Exception as exc:
            await once.release(services.sessions, key)
            if isinstance(exc, BadRequest):
                await open_form(
                    inv, link, draft, meta, errors=field_errors(exc, forms.FIELD_BLOCKS)
                )
                return
            if isinstance(exc, Forbidden):
                raise _forbidden("create", exc) from None
            raise
        await after_create(inv, link, draft, meta)
        note = ":white_check_mark: Created." + _unmapped_note(unmapped)
        await announce(inv, meta, ui.task_message(task, app_url=app_url(), note=note))

    async def after_create(
        inv: Invocation, link: LinkInfo, draft: TaskDraft, meta: dict[str, Any]
    ) -> None:
        """Housekeeping once the task exists: a failure here is logged, never reported as
        a failed create (the user would try again and make a duplicate)."""
        try:
            if meta.get("tok"):
                await tasks().drop_draft(link, meta["tok"])
            if draft.project_id and draft.space_id and meta.get("c"):
                await tasks().remember_channel_project(
                    inv.team_id, meta["c"], draft.space_id, draft.project_id
                )
        except Exception:
            log.exception("%s: task created; tidying up after it failed", inv.ids)

    async def edit_submitted(inv: Invocation) -> None:
        view, link = inv.body["view"], await inv.link()
        meta = metadata(view)
        ref = TaskRef.decode(str(meta.get("r")))
        draft = read_form(view)
        owners, unmapped = await owners_from_form(inv, link, view)
        tz = await tasks().tz(link)
        # Only what the user changed: an input emptied clears its field on purpose.
        wanted: dict[str, Any] = {
            forms.TITLE: ("task_title", draft.title),
            forms.DESCRIPTION: ("description", draft.description),
            forms.TAGS: ("tags", draft.tags),
            forms.PRIORITY: ("priority", draft.priority),
            forms.STATUS: ("status", draft.status),
            forms.DUE: ("due_date", to_utc_due(draft.due, tz) if draft.due else None),
            forms.START: (
                "start_date",
                local_day_bounds(draft.start, tz)[0] if draft.start else None,
            ),
            forms.OWNERS: ("owners", [i for i, _ in owners]),
        }
        # A form reopened after a refusal shows the user's values: remember what they changed.
        changed = {block for block in wanted if edited(view, block, forms.VALUE)}
        changed |= set(meta.get("e") or ())
        if not owners:
            changed.discard(forms.OWNERS)  # nobody mappable chosen: not "remove every owner"
        changes = cast(TaskChanges, {wanted[block][0]: wanted[block][1] for block in changed})
        try:
            task = await tasks().update(link, ref, changes)
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
            raise _forbidden("edit", exc) from None
        note = ":pencil2: Saved." + _unmapped_note(unmapped)
        await announce(inv, meta, ui.task_message(task, app_url=app_url(), note=note))

    async def open_edit(inv: Invocation, ref: TaskRef) -> None:
        link = await inv.link()
        task = await tasks().get(link, ref)
        tz = await tasks().tz(link)
        draft = TaskDraft(
            title=task.task_title,
            description=task.description,
            space_id=task.space_id,
            project_id=task.project_id,
            priority=task.priority_label,
            status=task.status_name,
            tags=list(task.tags),
            due=_local(task.due_date, tz),
            start=_local(task.start_date, tz),
            owners=[(o.user_id or 0, o.display_name) for o in task.owners],
        )
        await open_form(inv, link, draft, {"r": ref.encode(), "c": inv.channel_id}, editing=True)

    async def message_shortcut(inv: Invocation) -> None:
        link = await inv.link()
        channel = (inv.body.get("channel") or {}).get("id")
        ts = (inv.body.get("message") or {}).get("ts")
        text = str((inv.body.get("message") or {}).get("text") or "")
        permalink = None
        if channel and ts:
            permalink = (await inv.client.chat_getPermalink(channel=channel, message_ts=ts)).get(
                "permalink"
            )
        draft = TaskDraft(
            title=text.split("\n")[0][:80], description=text or None, permalink=permalink
        )
        default = await tasks().channel_project(inv.team_id, channel or "")
        if default:
            draft.space_id, draft.project_id = default
        await open_form(inv, link, draft, {"c": channel, "ts": ts, "link": permalink})

    # -- options of the form's external selects (answered inside the 3 s ack) -------------

    async def space_options(ack: Ack, body: dict[str, Any], context: AsyncBoltContext) -> None:
        link = await services.link(str(context.team_id), str(context.user_id))
        query = str(body.get("value") or "").lower()
        choices: list[tuple[str, str]] = []
        if link is not None and link.org_id is not None:
            seen: dict[int, str] = {}
            for p in await tasks().catalogue(link):
                seen[p.space_id] = p.space_name
            choices = [(name, str(sid)) for sid, name in seen.items() if query in name.lower()]
        await ack(**forms.select_options(choices, "No space matches"))

    async def project_options(ack: Ack, body: dict[str, Any], context: AsyncBoltContext) -> None:
        link = await services.link(str(context.team_id), str(context.user_id))
        query = str(body.get("value") or "").lower()
        space = view_value(body.get("view") or {}, forms.SPACE, Action.SELECT_SPACE)
        choices: list[tuple[str, str]] = []
        if link is not None and link.org_id is not None:
            found = [p for p in await tasks().catalogue(link) if query in p.label.lower()]
            found.sort(key=lambda p: str(p.space_id) != str(space))  # chosen space first
            choices = [(p.label, f"{p.space_id}:{p.project_id}") for p in found]
        await ack(**forms.select_options(choices, "No project matches"))

    # -- lists and single tasks --------------------------------------------------------

    def list_args(args: str) -> tuple[str | None, str | None]:
        scope = window = None
        for word in args.split():
            if word.lower() in WINDOWS:
                window = word.lower()
            else:
                scope = word if scope is None else f"{scope} {word}"
        return scope, window

    async def render_list(link: LinkInfo, args: str, page: int) -> dict[str, Any]:
        scope, window = list_args(args)
        with noting_cut_short() as cut_short:
            title, found = await tasks().list_tasks(link, scope, window)
        return ui.task_list_message(
            found,
            app_url=app_url(),
            title=title,
            page=page,
            page_value=f"list|{args[:500]}",
            cut_short=bool(cut_short),
            empty="No open tasks here. `/astravue task new` adds one.",
        )

    @registry.handler("task list")
    async def task_list(inv: Invocation, resolution: Resolution) -> None:
        await inv.reply(
            await render_list(await inv.link(), resolution.args, 0), share=resolution.share
        )

    @registry.handler("my")
    async def my(inv: Invocation, resolution: Resolution) -> None:
        window = resolution.args.split(" ")[0].lower() or None
        if window is not None and window not in WINDOWS:
            raise UserFacingError("Use `/astravue my`, or add overdue, today or week.")
        agenda = await tasks().my_tasks(await inv.link(), window)
        await inv.reply(ui.agenda_message(agenda, app_url=app_url()), share=resolution.share)

    async def page(inv: Invocation) -> None:
        number, _, rest = str(_action(inv).get("value") or "").partition("|")
        kind, _, args = rest.partition("|")
        if kind != "list" or not number.isdecimal():
            raise UserFacingError("That page button is out of date. Run the command again.")
        await inv.reply(await render_list(await inv.link(), args, int(number)), replace=True)

    @registry.handler("task show")
    async def show(inv: Invocation, resolution: Resolution) -> None:
        link = await inv.link()
        ref, _ = await tasks().find(link, resolution.args)
        details = await tasks().details(link, ref)
        await inv.reply(
            ui.task_message(
                details.task,
                app_url=app_url(),
                subtasks=details.subtasks,
                checklist=details.checklist,
                comments=details.comments,
                my_time=details.my_time,
            ),
            share=resolution.share,
        )

    @registry.handler("task search")
    async def search(inv: Invocation, resolution: Resolution) -> None:
        if not resolution.args:
            raise UserFacingError("Search for what? e.g. `/astravue task search login`.")
        found = await tasks().search(await inv.link(), resolution.args)
        await inv.reply(
            ui.search_results(resolution.args, found, app_url=app_url()), share=resolution.share
        )

    @registry.handler("task done")
    async def done(inv: Invocation, resolution: Resolution) -> None:
        link = await inv.link()
        ref, _ = await tasks().find(link, resolution.args)
        task, logged = await tasks().complete(link, ref)
        await inv.reply(
            ui.task_message(task, app_url=app_url(), note=ui.completed_note(logged)),
            share=resolution.share,
        )

    @registry.handler("task edit")
    async def edit(inv: Invocation, resolution: Resolution) -> None:
        ref, _ = await tasks().find(await inv.link(), resolution.args)
        await open_edit(inv, ref)

    @registry.handler("task assign")
    async def assign(inv: Invocation, resolution: Resolution) -> None:
        locator, who = _split(resolution.args)
        if not who:
            raise UserFacingError("Assign to whom? e.g. `/astravue task assign 42 @dev`.")
        link = await inv.link()
        ref, _ = await tasks().find(link, locator)
        scratch = await tasks().draft_from_text(link, f"x {who}", personal=True)
        if scratch.picks or not scratch.owners:
            raise UserFacingError(
                " ".join(scratch.notes)
                or f"I couldn't tell who “{who}” is; use their Slack mention or @firstname."
            )
        task = await tasks().assign(link, ref, [i for i, _ in scratch.owners])
        await inv.reply(
            ui.task_message(
                task,
                app_url=app_url(),
                note=":bust_in_silhouette: Assigned." + _notes(scratch.notes),
            )
        )

    @registry.handler("task due")
    async def due(inv: Invocation, resolution: Resolution) -> None:
        locator, when = _split(resolution.args)
        link = await inv.link()
        day = parse_date(when, today=user_today(await tasks().tz(link), datetime.now(UTC)))
        if day is None:
            raise UserFacingError(
                f"“{escape(when[:60])}” isn't a date I know. Try today, "
                "tomorrow, fri, next week or 2025-06-30."
            )
        ref, _ = await tasks().find(link, locator)
        task = await tasks().set_due(link, ref, day)
        await inv.reply(ui.task_message(task, app_url=app_url(), note=":date: Due date set."))

    @registry.handler("task delete")
    async def delete(inv: Invocation, resolution: Resolution) -> None:
        _, task = await tasks().find(await inv.link(), resolution.args)
        await inv.reply(ui.delete_confirmation(task, app_url=app_url()))

    # -- card buttons --------------------------------------------------------------------

    async def complete_clicked(inv: Invocation) -> None:
        async def work(link: LinkInfo, ref: TaskRef) -> dict[str, Any]:
            task, logged = await tasks().complete(link, ref)
            return ui.task_message(task, app_url=app_url(), note=ui.completed_note(logged))

        await on_card(inv, "edit", work)

    async def refresh_clicked(inv: Invocation) -> None:
        async def work(link: LinkInfo, ref: TaskRef) -> dict[str, Any]:
            return ui.task_message(await tasks().get(link, ref), app_url=app_url())

        await on_card(inv, "edit", work)

    async def delete_confirmed(inv: Invocation) -> None:
        async def work(link: LinkInfo, ref: TaskRef) -> dict[str, Any]:
            await tasks().delete(link, ref)
            return ui.task_gone(f"Task #{ref.task_id} deleted.")

        await on_card(inv, "delete", work)

    async def overflow_clicked(inv: Invocation) -> None:
        choice = str((_action(inv).get("selected_option") or {}).get("value") or "")
        if choice.startswith(ui.OVERFLOW_DELETE + "|"):

            async def work(link: LinkInfo, ref: TaskRef) -> dict[str, Any]:
                return ui.delete_confirmation(await tasks().get(link, ref), app_url=app_url())

            inv.body["actions"][0]["value"] = choice
            await on_card(inv, "delete", work)

    async def edit_clicked(inv: Invocation) -> None:
        await open_edit(inv, _ref(inv))

    async def home_section(link: LinkInfo) -> list[dict[str, Any]]:
        agenda = await tasks().my_tasks(link)
        return ui.agenda_blocks(agenda, app_url=app_url())

    services.home.add_section("your tasks", home_section)
    for action, handler in (
        (Action.TASK_CREATE_CONFIRM, create_confirmed),
        (Action.TASK_CREATE_CANCEL, create_cancelled),
        (Action.TASK_CREATE_EDIT, edit_draft),
        (Action.TASK_PICK, picked),
        (Action.TASK_COMPLETE, complete_clicked),
        (Action.TASK_EDIT, edit_clicked),
        (Action.TASK_OVERFLOW, overflow_clicked),
        (Action.TASK_PAGE, page),
        (Action.TASK_REFRESH, refresh_clicked),
        (Action.HOME_NEW_TASK, new_task_form),
        (Action.TASK_DELETE_CONFIRM, delete_confirmed),
    ):
        on_action(app, services, action, handler)
    on_view(app, services, Callback.TASK_CREATE, form_submitted, validate=validate_form)
    on_view(app, services, Callback.TASK_EDIT, edit_submitted, validate=validate_form)
    app.options(Action.SELECT_SPACE)(space_options)
    app.options(Action.SELECT_PROJECT)(project_options)

    async def ack_shortcut(ack: Ack) -> None:
        await ack()

    app.shortcut(Callback.MESSAGE_TASK)(
        ack=ack_shortcut, lazy=[safe_lazy(services, message_shortcut)]
    )


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _project_ids(value: Any) -> tuple[int | None, int | None]:
    """`<space>:<project>` from the project select; anything else (forged input) is none."""
    space, _, project = str(value or "").partition(":")
    if space.isdecimal() and project.isdecimal():
        return int(space), int(project)
    return None, None


def _local(moment: datetime | None, tz: str) -> date | None:
    if moment is None:
        return None
    return user_today(tz, moment)


def _notes(notes: list[str]) -> str:
    return ("\n" + "\n".join(notes)) if notes else ""


def _unmapped_note(slack_ids: list[str]) -> str:
    if not slack_ids:
        return ""
    who = ", ".join(f"<@{s}>" for s in slack_ids)
    return (
        f"\n:information_source: Not assigned: {who}: no connected Astravue account or "
        "matching email, so I can't map them to an Astravue user."
    )
