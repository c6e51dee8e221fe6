"""Reading requests: JSON bodies field by field (collecting every error), query strings, pages."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from starlette.datastructures import QueryParams
from starlette.requests import Request

from bot.sandbox.astravue_state import BadRequest, FieldError, invalid
from bot.sandbox.dialect import Dialect

JSON = dict[str, Any]
T = TypeVar("T")
SUCCESS_MESSAGE = "Operation completed successfully"
MAX_PAGE_SIZE = 100
TASK_SORT_FIELDS = ("createTime", "dueDate", "startDate", "priority", "status", "taskTitle")
# JSON field of TaskCreateRequest/TaskUpdateRequest -> keyword of AstravueState.*_task
TASK_KWARGS = {
    "taskTitle": "title",
    "description": "description",
    "owners": "owners",
    "status": "status",
    "priority": "priority",
    "startDate": "start_date",
    "dueDate": "due_date",
    "completion": "completion",
    "tags": "tags",
}


class Body:
    """Reads typed fields from a JSON object, collecting every field error before failing."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.errors: list[FieldError] = []

    def __contains__(self, name: str) -> bool:
        return name in self.data

    def fail(self, name: str, message: str) -> None:
        self.errors.append(FieldError(name, message, self.data.get(name)))

    def _present(self, name: str, *, required: bool, nullable: bool) -> bool:
        """Whether there is a non-null value to parse; records missing/null errors."""
        if self.data.get(name) is not None:
            return True
        if required:
            self.fail(name, "is required")
        elif name in self.data and not nullable:
            self.fail(name, "must not be null")
        return False

    def text(self, name: str, *, required: bool = False, nullable: bool = False) -> str | None:
        if not self._present(name, required=required, nullable=nullable):
            return None
        value = self.data[name]
        if not isinstance(value, str):
            self.fail(name, "must be a string")
            return None
        if required and not value.strip():
            self.fail(name, "must not be blank")
            return None
        return value

    def named(self, name: str, keys: Sequence[str]) -> str | None:
        """A status/priority given by name, or (tolerated) an object carrying the name."""
        value = self.data.get(name)
        if isinstance(value, Mapping):
            value = next((value[k] for k in keys if isinstance(value.get(k), str)), None)
        if name in self.data and not (isinstance(value, str) and value.strip()):
            self.fail(name, "must be a non-empty name")
            return None
        return value

    def integer(
        self, name: str, *, minimum: int | None = None, maximum: int | None = None
    ) -> int | None:
        if not self._present(name, required=False, nullable=False):
            return None
        value = self.data[name]
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(name, "must be an integer")
            return None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            bounds = (
                f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
            )
            self.fail(name, f"must be {bounds}")
            return None
        return value

    def number(self, name: str, *, nullable: bool = False) -> float | None:
        if not self._present(name, required=False, nullable=nullable):
            return None
        value = self.data[name]
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            self.fail(name, "must be a non-negative number")
            return None
        return float(value)

    def boolean(self, name: str) -> bool | None:
        if not self._present(name, required=False, nullable=False):
            return None
        value = self.data[name]
        if not isinstance(value, bool):
            self.fail(name, "must be true or false")
            return None
        return value

    def moment(
        self, name: str, *, required: bool = False, nullable: bool = False
    ) -> datetime | None:
        if not self._present(name, required=required, nullable=nullable):
            return None
        parsed = parse_datetime(self.data[name])
        if parsed is None:
            self.fail(name, "must be an ISO-8601 date-time such as 2024-05-01T09:00:00Z")
        return parsed

    def day(self, name: str) -> date | None:
        if not self._present(name, required=False, nullable=False):
            return None
        try:
            return date.fromisoformat(str(self.data[name]))
        except ValueError:
            self.fail(name, "must be a date such as 2024-05-01")
            return None

    def ids(self, name: str, *, required: bool = False) -> list[int] | None:
        if not self._present(name, required=required, nullable=False):
            return None
        value = self.data[name]
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            self.fail(name, "must be a list of integer ids")
            return None
        if required and not value:
            self.fail(name, "must not be empty")
            return None
        return value

    def texts(self, name: str) -> list[str] | None:
        if not self._present(name, required=False, nullable=False):
            return None
        value = self.data[name]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(name, "must be a list of strings")
            return None
        return value

    def check(self) -> None:
        if self.errors:
            fields = ", ".join(e.field for e in self.errors)
            raise BadRequest(f"Validation failed for {fields}", self.errors)


def parse_datetime(value: object) -> datetime | None:
    """ISO-8601 (`Z` or offset); a value without zone is taken as UTC."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def task_fields(body: Body, *, creating: bool) -> dict[str, Any]:
    """Keyword arguments for `create_task`/`update_task` from a task request body."""
    readers: dict[str, Callable[[str], object]] = {
        "taskTitle": lambda n: body.text(n, required=True),
        "description": lambda n: body.text(n, nullable=True),
        "owners": body.ids,
        "status": lambda n: body.named(n, ("statusName", "name")),
        "priority": lambda n: body.named(n, ("priorityLabel", "label", "name")),
        "startDate": lambda n: body.moment(n, nullable=True),
        "dueDate": lambda n: body.moment(n, nullable=True),
        "completion": lambda n: body.integer(n, minimum=0, maximum=100),
        "tags": body.texts,
    }
    wanted = [n for n in readers if n in body or (creating and n == "taskTitle")]
    fields = {TASK_KWARGS[n]: readers[n](n) for n in wanted}
    body.check()
    if creating:  # null on create means "not given": let the state apply its defaults
        fields = {k: v for k, v in fields.items() if v is not None}
    return fields


def query_int(
    query: QueryParams, name: str, default: int, *, minimum: int, maximum: int | None = None
) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid(name, "must be an integer", raw) from None
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f"between {minimum} and {maximum}" if maximum else f"at least {minimum}"
        raise invalid(name, f"must be {bounds}", raw)
    return value


def query_choice(query: QueryParams, name: str, choices: Sequence[str], default: str) -> str:
    """One of `choices`, matched case-insensitively, returned in its canonical spelling."""
    raw = query.get(name)
    if raw is None:
        return default
    for choice in choices:
        if choice.lower() == raw.lower():
            return choice
    raise invalid(name, f"must be one of {', '.join(choices)}", raw)


def query_bool(query: QueryParams, name: str) -> bool | None:
    raw = query.get(name)
    if raw is None:
        return None
    return query_choice(query, name, ("true", "false"), raw) == "true"


def query_date(query: QueryParams, name: str) -> date | None:
    raw = query.get(name)
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise invalid(name, "must be a date such as 2024-05-01", raw) from None


def page_of(query: QueryParams, items: Sequence[T], dialect: Dialect) -> tuple[list[T], int, int]:
    page = 0 if dialect.ignores_paging else query_int(query, "page", 0, minimum=0)
    size = query_int(query, "size", 20, minimum=1, maximum=MAX_PAGE_SIZE)
    return list(items[page * size : (page + 1) * size]), page, size


async def json_object(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        parsed = json.loads(raw)
    except ValueError:
        raise BadRequest("Malformed JSON request body") from None
    if not isinstance(parsed, dict):
        raise BadRequest("The request body must be a JSON object")
    return parsed
