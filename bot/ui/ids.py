"""Every action, callback and block id the app uses: the single source for listeners and tests."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    CONNECT = "account.connect"  # a URL button; acked and ignored
    DISCONNECT = "account.disconnect"
    DISCONNECT_CONFIRM = "account.disconnect_confirm"
    RETRY_HINT = "account.retry"
    SET_ORG = "account.set_org"
    DISMISS = "common.dismiss"
    OPEN_URL = "common.open_url"  # link buttons; acked and ignored
    HELP_TOPIC = "help.topic"
    RUN_COMMAND = "command.run"  # runs the `/astravue` text in its value as the clicker

    TASK_CREATE_CONFIRM = "task.create_confirm"
    TASK_CREATE_EDIT = "task.create_edit"
    TASK_CREATE_CANCEL = "task.create_cancel"
    TASK_PICK = "task.pick"  # a pick list answer for an ambiguous project or person
    TASK_COMPLETE = "task.complete"
    TASK_EDIT = "task.edit"
    TASK_OVERFLOW = "task.overflow"
    TASK_PAGE = "task.page"  # shows a list (bot.domain.task_lists): a page, a group, back
    TASK_ROW = "task.row"  # a list row's overflow: `<verb>|<task ref>`; the block id names the list
    TASK_UNDO_COMPLETE = "task.undo_complete"
    TASK_LIST_DELETE = "task.list_delete"  # Delete confirmed in a list
    TASK_DELETE_CONFIRM = "task.delete_confirm"
    TASK_REFRESH = "task.refresh"  # re-show a card (e.g. "Keep it" after Delete…)

    TIMER_START = "timer.start"
    TIMER_STOP = "timer.stop"
    TIMER_QUICK_STOP = "timer.quick_stop"
    TIMER_SWITCH = "timer.switch"
    TIMER_KEEP = "timer.keep"
    TIMER_STOP_AT = "timer.stop_at"
    TIMER_NOTE = "timer.note"
    TIMER_UNDO = "timer.undo"
    TIME_DELETE = "time.delete"
    TIME_ENTRY_MENU = "time.entry_menu"  # an entry's overflow: `edit|<id>` or `delete|<id>`
    # Previous / Next: the period to show (`week:2026-11-30`); a sheet adds `|<project id>`
    TIME_PREVIOUS = "time.previous"
    TIME_NEXT = "time.next"
    SHEET_PREVIOUS = "timesheet.previous"
    SHEET_NEXT = "timesheet.next"
    HOME_NEW_TASK = "home.new_task"
    HOME_LOG_TIME = "home.log_time"
    HOME_SETTINGS = "home.settings"

    NOTIF_MARK_READ = "notif.mark_read"
    NOTIF_OVERFLOW = "notif.overflow"
    NOTIF_MORE = "notif.more"  # the whole comment a DM quotes: `<notification>|<task ref>`
    NOTIF_UNMUTE = "notif.unmute"  # a muted DM's Unmute: `<notification>|<task ref>`
    SETTINGS_UNMUTE = "settings.unmute"  # settings: `t:<task id>` or `p:<project id>`
    NOTIF_LIST = "notif.list"
    NOTIF_SELECT = "notif.select"
    NOTIF_MARK_SELECTED = "notif.mark_selected"
    NOTIF_MARK_ALL = "notif.mark_all"
    NOTIF_DELETE_SELECTED = "notif.delete_selected"

    SPACE_DELETE = "space.delete"
    PROJECT_DELETE = "project.delete"
    SPACE_EDIT = "space.edit"
    PROJECT_EDIT = "project.edit"
    # `<verb>|<id>` from a list's overflow menu or an ambiguous name's pick list
    SPACE_CHOOSE = "space.choose"
    PROJECT_CHOOSE = "project.choose"

    # external selects (options load) and pickers inside modals
    SELECT_SPACE = "select.space"
    SELECT_PROJECT = "select.project"
    SELECT_TASK = "select.task"


class Callback(StrEnum):
    SET_ORG = "account.set_org"
    TASK_CREATE = "task.create"
    TASK_EDIT = "task.edit"
    TASK_DELETE = "task.delete"
    TIMER_STOP = "timer.stop"
    TIMER_STOP_AT = "timer.stop_at"
    TIMER_NOTE = "timer.note"
    TIME_LOG = "time.log"
    TIME_EDIT = "time.edit"
    TIMER_START_PICK = "timer.start_pick"
    NOTIF_SETTINGS = "notif.settings"
    NOTIF_LIST = "notif.list"
    SPACE_FORM = "space.form"
    SPACE_DELETE = "space.delete"
    PROJECT_FORM = "project.form"
    PROJECT_DELETE = "project.delete"
    MESSAGE_TASK = "create_task_from_message"  # the manifest's message shortcut
    GLOBAL_TASK = "create_task"  # the manifest's global shortcut (the ⚡ menu, the search bar)
    LOADING = "common.loading"
