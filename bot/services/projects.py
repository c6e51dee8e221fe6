"""The projects a user can see, and the ONE way a typed word names a project (or a space).

`name_matches` is used by quick capture (`#word`), `task list <project>`, `timesheet
<project>` and the space and project commands alike.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from bot.domain.errors import AmbiguousProject, NoProjectMatches
from bot.domain.links import LinkInfo
from bot.services.astravue_access import AstravueAccess


@dataclass(frozen=True)
class ProjectInfo:
    space_id: int
    space_name: str
    project_id: int
    project_name: str

    @property
    def label(self) -> str:
        return f"{self.space_name} / {self.project_name}"


def _key(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


def name_matches(word: str, named: list[tuple[int, str]]) -> list[int]:
    """The ids `word` names among (id, name) pairs: a number is an id; then an exact name
    (ignoring case, spaces and dashes); else the names containing it."""
    word = word.strip().lstrip("#").strip('"')
    if word.isdecimal():
        return [i for i, _ in named if i == int(word)]
    wanted = _key(word)
    exact = [i for i, name in named if _key(name) == wanted]
    return exact or [i for i, name in named if wanted and wanted in _key(name)]


def matching(word: str, projects: list[ProjectInfo]) -> list[ProjectInfo]:
    ids = name_matches(word, [(p.project_id, p.project_name) for p in projects])
    return [p for p in projects if p.project_id in ids]


def only_match(word: str, projects: list[ProjectInfo]) -> ProjectInfo:
    """The one project `word` names; NoProjectMatches or AmbiguousProject otherwise."""
    matches = matching(word.lstrip("#").strip('"'), projects)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NoProjectMatches(word)
    raise AmbiguousProject(word, choices(matches))


def choices(projects: list[ProjectInfo]) -> list[tuple[int, str]]:
    """(id, label) per project for a "which one?" answer: its name, or "Space / Project"
    where that name is not unique among them."""
    names = Counter(_key(p.project_name) for p in projects)
    return [
        (p.project_id, p.label if names[_key(p.project_name)] > 1 else p.project_name)
        for p in projects
    ]


class ProjectCatalogue:
    def __init__(self, astravue: AstravueAccess) -> None:
        self.astravue = astravue

    async def catalogue(self, link: LinkInfo) -> list[ProjectInfo]:
        client = self.astravue(link)
        found: list[ProjectInfo] = []
        for space in await client.spaces.list():
            async for project in client.projects.iter(space_id=space.space_id, size=100):
                found.append(
                    ProjectInfo(
                        space.space_id, space.space_name, project.project_id, project.project_name
                    )
                )
        return found

    async def match_projects(self, link: LinkInfo, word: str) -> list[ProjectInfo]:
        return matching(word, await self.catalogue(link))

    async def one_project(self, link: LinkInfo, word: str) -> ProjectInfo:
        return only_match(word, await self.catalogue(link))
