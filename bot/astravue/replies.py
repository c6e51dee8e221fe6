"""Reading the `data` of one Astravue answer into models, or saying why it does not fit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from bot.astravue.envelopes import RawList, read_list
from bot.astravue.errors import UnexpectedResponse
from bot.astravue.pagination import Page

M = TypeVar("M", bound=BaseModel)


@cache
def _list_adapter(model: type[BaseModel]) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


@dataclass(frozen=True)
class Reply:
    """The unwrapped `data` of one call, with what is needed to report a bad shape."""

    operation: str
    path: str
    data: Any

    def _unexpected(self, detail: str, keys: Sequence[str] = ()) -> UnexpectedResponse:
        return UnexpectedResponse(self.operation, detail, keys=keys, path=self.path)

    def one(self, model: type[M]) -> M:
        if self.data is None:
            raise self._unexpected("`data` is null where an object is required")
        if not isinstance(self.data, dict):
            raise self._unexpected(f"an object was expected, got a {type(self.data).__name__}")
        try:
            return model.model_validate(self.data)
        except ValidationError as exc:
            raise self._unexpected(_summary(exc), list(self.data)) from None

    def optional(self, model: type[M]) -> M:
        """For answers nothing depends on (a write's receipt): `null` is an empty one."""
        return model() if self.data is None else self.one(model)

    def listing(self, model: type[M], *, wrapper: str | None = None) -> Listing[M]:
        """A list answer in any shape `read_list` knows, its items validated."""
        try:
            raw = read_list(self.data, operation=self.operation, wrapper=wrapper)
            items = _list_adapter(model).validate_python(raw.items)
        except UnexpectedResponse as exc:
            raise self._unexpected(exc.detail, exc.keys) from None
        except ValidationError as exc:
            raise self._unexpected(_summary(exc)) from None
        return Listing(items, raw)

    def many(self, model: type[M], *, wrapper: str | None = None) -> list[M]:
        return self.listing(model, wrapper=wrapper).items


@dataclass(frozen=True)
class Listing(Generic[M]):
    items: list[M]
    raw: RawList

    def page(self, number: int, requested_size: int) -> Page[M]:
        return Page.of(
            number,
            self.items,
            size=self.raw.size or requested_size,
            total_pages=self.raw.total_pages,
            last=self.raw.last,
        )


def _summary(exc: ValidationError) -> str:
    """Field locations and messages only: pydantic's full text would echo the payload."""
    return "; ".join(
        f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
        for error in exc.errors()[:5]
    )
