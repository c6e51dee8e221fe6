"""What `api-probe` compares: one answer against the assumptions the client was written from.

Pure functions over the raw JSON of one answer. Each returns `Check`s: an assumption (path,
envelope, list shape, field names, types, ...) and whether it held, with what was seen when
it did not. Names only, never values: the output goes into bug reports.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from bot.astravue.envelopes import read_list
from bot.astravue.errors import UnexpectedResponse

ENVELOPE_KEYS = frozenset({"success", "message", "code", "data"})
# Wire names holding milliseconds (bot.astravue.models.base: every duration is ms, an integer).
DURATION_KEYS = frozenset(
    {"duration", "elapsed", "totalDuration", "billableDuration", "nonBillableDuration"}
)


@dataclass(frozen=True)
class Check:
    assumption: str  # path, envelope, list shape, field names, types, order, PUT, units ...
    held: bool
    seen: str = ""


def envelope(keys: frozenset[str] | None) -> Check:
    """Every answer is `{"success", "message", "code", "data"}` (REFERENCE §1.3)."""
    if keys is None:
        return Check("envelope", False, "body is not a JSON object")
    missing = sorted(ENVELOPE_KEYS - {"data"} - keys)
    return Check("envelope", not missing, f"missing {', '.join(missing)}" if missing else "")


def list_shape(operation: str, data: Any, expected: str) -> tuple[str, list[Any], Check]:
    """The shape seen (for the table), the items, and whether it is the one assumed:
    `expected` is a wrapper key (`tasks`) or `array`."""
    try:
        raw = read_list(
            data, operation=operation, wrapper=None if expected == "array" else expected
        )
    except UnexpectedResponse as exc:
        return "unknown", [], Check("list shape", False, str(exc.detail))
    totals = "+totals" if raw.total_pages is not None else ""
    shape = f"{raw.shape}[{len(raw.items)}]{totals}"
    return (
        shape,
        raw.items,
        Check(
            "list shape",
            raw.shape == expected,
            "" if raw.shape == expected else f"{raw.shape}, not {expected}",
        ),
    )


def object_shape(data: Any) -> str:
    if isinstance(data, Mapping):
        return f"object({len(data)} keys)"
    return "null" if data is None else type(data).__name__


def fields(model: type[BaseModel], raw: Any) -> list[Check]:
    """Field names and types of one object (and the objects nested in it) against `model`."""
    if not isinstance(raw, Mapping):
        return [Check("field names", False, f"an object was expected, got {object_shape(raw)}")]
    unknown: set[str] = set()
    missing: set[str] = set()
    wrong: dict[str, set[str]] = {}
    _walk(model, raw, "", unknown, missing, wrong)
    return [
        Check(
            "field names",
            not (unknown or missing),
            "; ".join(
                part for part in (_named("unknown", unknown), _named("missing", missing)) if part
            ),
        ),
        Check(
            "types",
            not wrong,
            "; ".join(_named(problem, names) for problem, names in sorted(wrong.items())),
        ),
    ]


def _walk(
    model: type[BaseModel],
    raw: Mapping[str, Any],
    prefix: str,
    unknown: set[str],
    missing: set[str],
    wrong: dict[str, set[str]],
) -> None:
    known: set[str] = set()
    for name, info in model.model_fields.items():
        wire = info.alias or name
        known.add(wire)
        if wire not in raw:
            if info.is_required():
                missing.add(prefix + wire)
            continue
        value = raw[wire]
        problem = _type_problem(wire, info.annotation, value)
        if problem:
            wrong.setdefault(problem, set()).add(prefix + wire)
        nested = _model_in(info.annotation)
        for item in value if isinstance(value, list) else [value]:
            if nested is not None and isinstance(item, Mapping):
                _walk(nested, item, f"{prefix}{wire}.", unknown, missing, wrong)
    unknown.update(prefix + key for key in raw if key not in known)


def _type_problem(wire: str, annotation: Any, value: Any) -> str:
    """What is wrong with one value, as a label under which such fields are grouped."""
    if value is None and _is_list(annotation):
        return "null, not a list:"
    if wire.endswith("Id") and value is not None and not _is_int(value):
        return f"ids sent as {type(value).__name__}:"
    if wire.endswith("Ids") and isinstance(value, list) and not all(map(_is_int, value)):
        return "id lists holding non-integers:"
    if wire in DURATION_KEYS and value is not None and not _is_int(value):
        return f"durations sent as {type(value).__name__}, not integer ms:"
    return ""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _strip(annotation: Any) -> Any:
    """`X` from `Annotated[X, ...]`, `X | None` and `Optional[X]`."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            options = [a for a in get_args(annotation) if a is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation


def _is_list(annotation: Any) -> bool:
    return get_origin(_strip(annotation)) is list


def _model_in(annotation: Any) -> type[BaseModel] | None:
    inner = _strip(annotation)
    if get_origin(inner) is list:
        inner = _strip(get_args(inner)[0])
    return inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None


def _named(label: str, names: set[str]) -> str:
    if not names:
        return ""
    shown = sorted(names)
    more = f" (+{len(shown) - 6} more)" if len(shown) > 6 else ""
    return f"{label} {', '.join(shown[:6])}{more}".strip()
