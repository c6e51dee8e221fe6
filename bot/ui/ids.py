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

    TASK_CREATE_CONFIRM = "task.create_confirm"
    TASK_CREATE_EDIT = "task.create_edit"
    TASK_CREATE_CANCEL = "task.create_cancel"
    TASK_PICK = "task.pick"  # a pick list answer for an ambiguous project or person
    TASK_COMPLETE = "task.complete"
    TASK_EDIT = "task.edit"
    TASK_OVERFLOW = "task.overflow"
    TASK_PAGE = "task.page"
    TASK_DELETE_CONFIRM = "task.delete_confirm"
    TASK_REFRESH = "task.refresh"  # re-show a card (e.g. "Keep it" after Delete…)

    TIMER_START = "timer.start"
    TIMER_STOP = "timer.stop"
    TIMER_QUICK_STOP = "timer.quick_stop"
    TIMER_SWITCH = "timer.switch"
    TIMER_KEEP = "timer.keep"
    TIMER_STOP_AT = "timer.stop_at"
    TIME_EDIT = "time.edit"
    TIME_DELETE = "time.delete"
    HOME_NEW_TASK = "home.new_task"
    HOME_LOG_TIME = "home.log_time"
    HOME_SETTINGS = "home.settings"

    NOTIF_MARK_READ = "notif.mark_read"
    NOTIF_OVERFLOW = "notif.overflow"
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
    LOADING = "common.loading"


class TaskRef:
    """Which task a button is about, as a compact button value: `p:<task>` for a personal
    task, `<space>:<project>:<task>` for a project task. Ids only, never anything secret; the
    actor is always the user who clicked, so a crafted value can only name a task that user
    may see in Astravue anyway."""

    __slots__ = ("project_id", "space_id", "task_id")

    def __init__(
        self, task_id: int, space_id: int | None = None, project_id: int | None = None
    ) -> None:
        self.task_id = task_id
        self.space_id = space_id
        self.project_id = project_id

    @property
    def personal(self) -> bool:
        return self.project_id is None

    def encode(self) -> str:
        if self.personal:
            return f"p:{self.task_id}"
        return f"{self.space_id}:{self.project_id}:{self.task_id}"

    @classmethod
    def decode(cls, value: str) -> TaskRef:
        """Raises ValueError on anything but the two forms above."""
        parts = value.split(":")
        if len(parts) == 2 and parts[0] == "p":
            return cls(int(parts[1]))
        if len(parts) == 3:
            return cls(int(parts[2]), int(parts[0]), int(parts[1]))
        raise ValueError(f"not a task reference: {value[:40]!r}")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TaskRef) and self.encode() == other.encode()

    def __hash__(self) -> int:
        return hash(self.encode())

    def __repr__(self) -> str:
        return f"TaskRef({self.encode()})"
