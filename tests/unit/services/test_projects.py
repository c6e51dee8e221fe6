"""The one way a typed word names a project: an id, an exact name, else the names containing
it. `task list X`, quick capture's `#X` and `timesheet X` all resolve a name the same way."""

from __future__ import annotations

import pytest

from bot.astravue.models import ProjectDto, SpaceDto
from bot.domain.errors import AmbiguousProject, NoProjectMatches, UnknownProject
from bot.services.projects import (
    ProjectCatalogue,
    ProjectInfo,
    choices,
    name_matches,
    only_match,
)
from bot.services.timers import TimerService
from tests.unit.services.fakes import LINK, FakeAstravue

NAMED = [(1, "Website"), (2, "Web Shop"), (3, "Mobile-App"), (40, "Design")]


@pytest.mark.parametrize(
    ("word", "ids"),
    [
        ("3", [3]),  # a number is an id
        ("#40", [40]),
        ("99", []),  # an unknown id names nothing, even if a name contained it
        ("website", [1]),  # exact, ignoring case
        ("mobile app", [3]),  # ...spaces and dashes
        ('"Web Shop"', [2]),  # quotes are stripped
        ("web", [1, 2]),  # else every name containing it
        ("des", [40]),
        ("nothing", []),
        ("", []),
    ],
)
def test_name_matches(word: str, ids: list[int]) -> None:
    assert name_matches(word, NAMED) == ids


def test_an_exact_name_wins_over_names_containing_it() -> None:
    assert name_matches("web", [(1, "Web"), (2, "Web Shop")]) == [1]


PROJECTS = [ProjectInfo(10, "Acme", i, name) for i, name in NAMED]


def test_only_match_names_one_project_or_says_why_not() -> None:
    assert only_match("#mobile-app", PROJECTS).project_id == 3
    with pytest.raises(NoProjectMatches):
        only_match("nothing", PROJECTS)
    with pytest.raises(AmbiguousProject) as ambiguous:
        only_match("web", PROJECTS)
    assert ambiguous.value.candidates == [(1, "Website"), (2, "Web Shop")]


def test_candidates_name_their_space_only_where_the_project_names_repeat() -> None:
    projects = [
        ProjectInfo(10, "Acme", 1, "Web"),
        ProjectInfo(20, "Beta", 2, "web"),
        ProjectInfo(20, "Beta", 3, "Web API"),
    ]
    assert choices(projects) == [(1, "Acme / Web"), (2, "Beta / web"), (3, "Web API")]


SPACES = [SpaceDto(space_id=10, space_name="Acme")]
DTOS = [ProjectDto(project_id=i, space_id=10, project_name=name) for i, name in NAMED]


async def _task_list_project(word: str) -> int:
    return (await ProjectCatalogue(FakeAstravue(SPACES, DTOS)).one_project(LINK, word)).project_id


async def _timesheet_project(word: str) -> int:
    timers = TimerService(None, FakeAstravue(SPACES, DTOS), None)  # type: ignore[arg-type]
    return (await timers.find_project(LINK, word)).project_id


@pytest.mark.parametrize("word", ["3", "#40", "website", "Mobile App", "des", "shop"])
async def test_timesheet_and_task_list_resolve_a_name_the_same_way(word: str) -> None:
    assert await _timesheet_project(word) == await _task_list_project(word)


async def test_a_timesheet_for_an_unknown_or_ambiguous_name_says_so() -> None:
    with pytest.raises(UnknownProject):
        await _timesheet_project("nothing")
    with pytest.raises(AmbiguousProject) as ambiguous:
        await _timesheet_project("web")
    assert ambiguous.value.candidates == [(1, "Website"), (2, "Web Shop")]
