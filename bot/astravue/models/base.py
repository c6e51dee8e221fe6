"""The wire conventions every Astravue model shares (openapi.yaml components).

Most shapes are inferred, so parsing is tolerant: unknown fields are kept (`model_extra`),
ids may arrive as numeric strings, status and priority may be a name or an object, a `null`
collection is an empty one (`Many`), where two spellings of a field are plausible both are
read (`spelled`, one place per field), and datetimes are normalised to aware UTC. Attributes
are snake_case with the camelCase wire names as aliases; request models serialise back to
the wire names with `to_wire()`.

Durations: every duration on the wire is an integer number of MILLISECONDS (REFERENCE §1.5,
from Astravue's MCP docs). Such fields end in `_ms` here (`Milliseconds`), and each has a
`timedelta` property; nothing else in the app converts units.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import AfterValidator, AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.alias_generators import to_camel


def _as_utc(value: datetime) -> datetime:
    """Naive datetimes are taken as UTC (the API documents UTC); offsets are converted."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


UtcDateTime = Annotated[datetime, AfterValidator(_as_utc)]


Milliseconds = int  # see the module docstring: the one unit of every duration on the wire


T = TypeVar("T")


def _empty_if_null(value: Any) -> Any:
    return [] if value is None else value


# A collection that may arrive as `null` (Java serialises an unset List as null).
Many = Annotated[list[T], BeforeValidator(_empty_if_null)]


def spelled(*names: str, **field: Any) -> Any:
    """A field read under any of `names` (first present wins), e.g. `taskId` or `id`."""
    return Field(validation_alias=AliasChoices(*names), **field)


class AstravueModel(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True, alias_generator=to_camel)


class RequestModel(AstravueModel):
    # Fields sent as an explicit null when None: full update bodies clear them on purpose
    # (see bot.astravue.updates). Any other None field is left out of the body.
    CLEARABLE: ClassVar[frozenset[str]] = frozenset()

    def to_wire(self) -> dict[str, Any]:
        """The JSON body: camelCase names; None fields left out unless CLEARABLE."""
        wire = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        for name in self.CLEARABLE:
            if getattr(self, name) is None:
                wire[type(self).model_fields[name].alias or name] = None
        return wire
