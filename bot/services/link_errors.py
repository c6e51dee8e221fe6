"""The one error of the connect flow; its `kind` picks the page the browser is shown."""

from __future__ import annotations


class LinkError(Exception):
    """The connect flow cannot go on; `kind` picks the page shown to the user."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        # invalid | expired | used | denied | exchange_failed | csrf
        self.kind = kind
