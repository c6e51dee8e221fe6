"""What every endpoint shares: the authenticated call, the state, the dialect, paging."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import QueryParams

from bot.sandbox.astravue_api.render import Render
from bot.sandbox.astravue_api.requests import JSON, TASK_SORT_FIELDS, Body, T, page_of, query_choice
from bot.sandbox.astravue_state import AstravueState, Task
from bot.sandbox.dialect import Dialect


@dataclass
class Call:
    """One authenticated request: who, in which org, and its parsed parts."""

    actor_id: int
    org_id: int
    path: Mapping[str, int]
    query: QueryParams
    body: Body


Handler = Callable[[Call], Awaitable[object]]


class ApiBase:
    """The state, the dialect and the helpers every endpoint group uses."""

    def __init__(
        self, state: AstravueState, authenticate: Callable[[str], int | None], dialect: Dialect
    ) -> None:
        self.state = state
        self.authenticate = authenticate
        self.dialect = dialect
        self.render = Render(state)

    @property
    def _put_replaces(self) -> bool:
        """PUT replaces the whole object: the state's own switch or the dialect's (which a test
        may change while the sandbox runs)."""
        return self.state.put_replaces or self.dialect.put_replaces

    def _tasks_page(self, call: Call, tasks: list[Task]) -> object:
        return self._paged(call, "tasks", self._sorted_tasks(call.query, tasks), self.render.task)

    def _paged(
        self, call: Call, key: str, items: Sequence[T], render: Callable[[T], JSON]
    ) -> object:
        """A list documented with a wrapper key and totals."""
        chunk, page, size = page_of(call.query, items, self.dialect)
        return self.dialect.page(
            key, [render(item) for item in chunk], page=page, size=size, total=len(items)
        )

    def _array(
        self, items: Sequence[T], render: Callable[[T], JSON], call: Call | None = None
    ) -> object:
        """A list inferred to be a bare array (paged by `page`/`size` when `call` is given)."""
        if call is None:
            return self.dialect.listing([render(item) for item in items])
        chunk, page, size = page_of(call.query, items, self.dialect)
        return self.dialect.listing(
            [render(item) for item in chunk], page=page, size=size, total=len(items)
        )

    def _sorted_tasks(self, query: QueryParams, tasks: list[Task]) -> list[Task]:
        """Sorted by `sortBy`; tasks without a value for it come last either way."""
        sort_by = query_choice(query, "sortBy", TASK_SORT_FIELDS, "createTime")
        descending = query_choice(query, "sortDirection", ("ASC", "DESC"), "ASC") == "DESC"
        keys: dict[str, Callable[[Task], Any]] = {
            "createTime": lambda t: (t.created_at, t.task_id),
            "dueDate": lambda t: t.due_date,
            "startDate": lambda t: t.start_date,
            "priority": lambda t: self.state.priority_of(t).position,
            "status": lambda t: self.state.status_of(t).position,
            "taskTitle": lambda t: t.title.lower(),
        }
        key = keys[sort_by]
        present = sorted((t for t in tasks if key(t) is not None), key=key, reverse=descending)
        return present + [t for t in tasks if key(t) is None]

    def _updated(
        self, body: Body, readers: Mapping[str, tuple[str, Callable[[str], object], object]]
    ) -> dict[str, Any]:
        """Keyword arguments from the fields a PUT body holds: {wire name: (keyword, reader,
        value when replaced)}. When PUT replaces, an absent field takes the last."""
        fields = {
            kwarg: read(name) if name in body else replaced
            for name, (kwarg, read, replaced) in readers.items()
            if name in body or self._put_replaces
        }
        body.check()
        return fields
