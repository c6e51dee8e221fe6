"""How the sandbox Astravue speaks: the documented guesses by default, or another dialect.

The client and the sandbox were written from the same guesses about the API, so the tests
cannot catch a wrong one. Each switch here makes the sandbox answer the way a real
Java/Spring-style API plausibly could; the suite runs under each switch and under all of
them together, so the client must survive every one.

Set by `ASTRAVUE_SANDBOX_DIALECT` (comma-separated switch names, or `all`) or by the
`Dialect` given to the sandbox. The object is mutable so a test can flip a switch on a
running sandbox.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Any

ENV = "ASTRAVUE_SANDBOX_DIALECT"

# The plausible dialects of a real API; `all` turns on every one of these.
SWITCHES = (
    "null_collections",  # an empty collection is `null` (Java's unset List)
    "spring_pages",  # lists are Spring `Page` objects: content, number, totalPages, last ...
    "put_replaces",  # PUT replaces the whole object: a field missing from the body is cleared
    "oldest_first",  # notifications are listed oldest first
    "string_ids",  # ids (and id lists) are JSON strings
    "extra_fields",  # every object carries fields the client has never heard of
)
# Misbehaviours for a single test; never part of `all`.
FAULTS = (
    "ignores_paging",  # every list answers its first page whatever `page` says, without totals
)


@dataclass
class Dialect:
    null_collections: bool = False
    spring_pages: bool = False
    put_replaces: bool = False
    oldest_first: bool = False
    string_ids: bool = False
    extra_fields: bool = False
    ignores_paging: bool = False

    @classmethod
    def parse(cls, text: str) -> Dialect:
        """`"spring_pages,string_ids"`, `"all"` or `""` (the default dialect)."""
        names = [name.strip().lower() for name in text.split(",") if name.strip()]
        if "all" in names:
            names = [n for n in names if n != "all"] + list(SWITCHES)
        unknown = sorted(set(names) - {*SWITCHES, *FAULTS})
        if unknown:
            raise ValueError(
                f"unknown sandbox dialect switch {', '.join(unknown)}; "
                f"known: {', '.join((*SWITCHES, *FAULTS))} or all"
            )
        return cls(**dict.fromkeys(names, True))

    def switch_to(self, text: str) -> None:
        """Become the dialect `text` names, in place (a running sandbox reads this object)."""
        wanted = Dialect.parse(text)
        for f in fields(self):
            setattr(self, f.name, getattr(wanted, f.name))

    @classmethod
    def from_env(cls) -> Dialect:
        return cls.parse(os.environ.get(ENV, ""))

    def __str__(self) -> str:
        on = [f.name for f in fields(self) if getattr(self, f.name)]
        return ",".join(on) or "default"

    # -- shaping answers --------------------------------------------------------------------

    def page(self, key: str, chunk: list[Any], *, page: int, size: int, total: int) -> Any:
        """One page of a paged list, in this dialect's envelope."""
        if self.ignores_paging:
            return {key: chunk}
        pages = -(-total // size)
        if self.spring_pages:
            return {
                "content": chunk,
                "number": page,
                "size": size,
                "totalElements": total,
                "totalPages": pages,
                "numberOfElements": len(chunk),
                "first": page == 0,
                "last": page + 1 >= pages,
                "empty": not chunk,
                "pageable": {
                    "pageNumber": page,
                    "pageSize": size,
                    "offset": page * size,
                    "paged": True,
                    "unpaged": False,
                    "sort": {"sorted": False, "unsorted": True, "empty": True},
                },
                "sort": {"sorted": False, "unsorted": True, "empty": True},
            }
        return {key: chunk, "page": page, "size": size, "totalElements": total, "totalPages": pages}

    def listing(
        self, chunk: list[Any], *, page: int = 0, size: int | None = None, total: int | None = None
    ) -> Any:
        """A list the default dialect answers as a bare array."""
        if not self.spring_pages:
            return chunk
        return self.page(
            "content",
            chunk,
            page=page,
            size=size or max(len(chunk), 1),
            total=len(chunk) if total is None else total,
        )

    def data(self, value: Any) -> Any:
        """The rendered `data` of an answer, with the value-level switches applied."""
        if not (self.null_collections or self.string_ids or self.extra_fields):
            return value
        return self._reshape(value, None)

    def _reshape(self, value: Any, key: str | None) -> Any:
        if isinstance(value, dict):
            shaped = {k: self._reshape(v, k) for k, v in value.items()}
            if self.extra_fields:
                shaped.update(_EXTRA)
            return shaped
        if isinstance(value, list):
            if not value and self.null_collections:
                return None
            return [self._reshape(v, key) for v in value]
        if (
            self.string_ids
            and key is not None
            and _is_id(key)
            and isinstance(value, int)
            and not isinstance(value, bool)
        ):
            return str(value)
        return value


_EXTRA: dict[str, Any] = {"version": 3, "archived": False, "_links": {"self": {"href": "#"}}}


def _is_id(key: str) -> bool:
    return key.endswith(("Id", "Ids"))
