"""Quick capture's questions, answered: the value of an option picked in the preview
(`<draft token>|<question index>|<choice>`), and a project choice (`<space>:<project>`).

Pure: the values come back from Slack and are not trusted; anything malformed reads as
"no answer" rather than raising.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PickAnswer:
    token: str  # the draft the question belongs to
    index: int | None  # which of its questions; None when not a number
    choice: str  # the chosen option's value ("" when missing)


def read_pick(value: str) -> PickAnswer:
    """The answer a preview option carries (bot.ui.tasks builds `token|index|choice`)."""
    token, index, choice = [*value.split("|", 2), "", ""][:3]
    return PickAnswer(token, int(index) if index.isdecimal() else None, choice)


def project_ids(value: object) -> tuple[int | None, int | None]:
    """`<space>:<project>` as two ids; anything else (forged input) is (None, None)."""
    space, _, project = str(value or "").partition(":")
    if space.isdecimal() and project.isdecimal():
        return int(space), int(project)
    return None, None
