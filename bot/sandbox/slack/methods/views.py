"""views.open, views.push, views.update and views.publish: trigger_ids, the modal stack, hashes."""

from __future__ import annotations

import copy
from typing import Any

from bot.sandbox.blockkit import VIEW_MAX_BYTES, validate_view, view_size
from bot.sandbox.slack.records import SlackRefusal, Trigger
from bot.sandbox.slack.registry import register
from bot.sandbox.slack.state import MODAL_STACK_MAX, TRIGGER_TTL, SlackWorkspace


def _view_arg(workspace: SlackWorkspace, method: str, args: dict[str, Any]) -> dict[str, Any]:
    view = args.get("view")
    if not isinstance(view, dict):
        raise SlackRefusal("invalid_arguments")
    if view_size(view) > VIEW_MAX_BYTES:
        raise SlackRefusal("view_too_large")
    workspace.check_blocks(method, validate_view(view))
    return view


def _use_trigger(workspace: SlackWorkspace, args: dict[str, Any]) -> Trigger:
    trigger_id = args.get("trigger_id") or args.get("interactivity_pointer")
    trigger = workspace.triggers.get(trigger_id) if isinstance(trigger_id, str) else None
    if trigger is None:
        raise SlackRefusal("invalid_trigger_id")
    if trigger.used:
        raise SlackRefusal("exchanged_trigger_id")
    trigger.used = True
    if workspace.clock() - trigger.issued_at > TRIGGER_TTL:
        raise SlackRefusal("expired_trigger_id")
    return trigger


def views_open(workspace: SlackWorkspace, args: dict[str, Any]) -> dict[str, Any]:
    view = _view_arg(workspace, "views.open", args)
    trigger = _use_trigger(workspace, args)
    view_id = workspace.store_view(view)
    workspace.stacks[trigger.user] = [view_id]
    return {"view": copy.deepcopy(workspace.views[view_id])}


def views_push(workspace: SlackWorkspace, args: dict[str, Any]) -> dict[str, Any]:
    view = _view_arg(workspace, "views.push", args)
    trigger = _use_trigger(workspace, args)
    stack = workspace.stacks.setdefault(trigger.user, [])
    if len(stack) >= MODAL_STACK_MAX:
        raise SlackRefusal("push_limit_reached")
    view_id = workspace.store_view(
        view, root=stack[0] if stack else None, previous=stack[-1] if stack else None
    )
    stack.append(view_id)
    return {"view": copy.deepcopy(workspace.views[view_id])}


def views_update(workspace: SlackWorkspace, args: dict[str, Any]) -> dict[str, Any]:
    view = _view_arg(workspace, "views.update", args)
    view_id = args.get("view_id")
    if not view_id and args.get("external_id"):
        view_id = next(
            (
                v["id"]
                for v in workspace.views.values()
                if v.get("external_id") == args["external_id"]
            ),
            None,
        )
    if view_id not in workspace.views:
        raise SlackRefusal("not_found")
    if args.get("hash") and args["hash"] != workspace.views[view_id]["hash"]:
        raise SlackRefusal("hash_conflict")
    return {"view": copy.deepcopy(workspace.replace_view(view_id, view))}


def views_publish(workspace: SlackWorkspace, args: dict[str, Any]) -> dict[str, Any]:
    user = workspace.user(args.get("user_id"))
    view = _view_arg(workspace, "views.publish", args)
    if view.get("type") != "home":
        raise SlackRefusal("invalid_arguments")
    view_id = workspace.homes.get(user.id)
    if view_id is None:
        workspace.homes[user.id] = view_id = workspace.store_view(view)
        return {"view": copy.deepcopy(workspace.views[view_id])}
    if args.get("hash") and args["hash"] != workspace.views[view_id]["hash"]:
        raise SlackRefusal("hash_conflict")
    return {"view": copy.deepcopy(workspace.replace_view(view_id, view))}


register("views.open", views_open)
register("views.push", views_push)
register("views.update", views_update)
register("views.publish", views_publish)
