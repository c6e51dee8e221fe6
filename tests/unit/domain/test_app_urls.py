"""Astravue web-app URLs read back into what they point at (the forms "Open in Astravue" uses)."""

from __future__ import annotations

import pytest

from bot.domain.app_urls import (
    ProjectLink,
    SpaceLink,
    TaskLink,
    app_host,
    parse_app_url,
    project_url,
    space_url,
)
from bot.domain.tasks import TaskRef, task_url

APP = "https://app.astravue.com"


def test_the_urls_the_app_builds_read_back() -> None:
    assert parse_app_url(task_url(APP, TaskRef(7)), APP) == TaskLink(TaskRef(7))
    assert parse_app_url(task_url(APP, TaskRef(9, 1, 2)), APP) == TaskLink(TaskRef(9, 1, 2))
    assert parse_app_url(project_url(APP, 1, 2), APP) == ProjectLink(1, 2)
    assert parse_app_url(space_url(APP, 1), APP) == SpaceLink(1)


@pytest.mark.parametrize(
    "url",
    [
        "https://app.astravue.com/tasks/7/",
        "https://APP.astravue.com/tasks/7?tab=comments",
        "http://app.astravue.com/tasks/7#c3",
    ],
)
def test_slash_query_fragment_scheme_and_case_do_not_matter(url: str) -> None:
    assert parse_app_url(url, APP) == TaskLink(TaskRef(7))


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/tasks/7",
        "https://app.astravue.com.evil.test/tasks/7",
        "https://evil.test/?u=https://app.astravue.com/tasks/7",
        "https://app.astravue.com/tasks/7/edit",
        "https://app.astravue.com/tasks/abc",
        "https://app.astravue.com/spaces/1/projects",
        "https://app.astravue.com/",
        "ftp://app.astravue.com/tasks/7",
        "https://app.astravue.com:99999/tasks/7",
        "https://app.astravue.com:8443/tasks/7",
        "not a url",
    ],
)
def test_anything_else_is_not_ours(url: str) -> None:
    assert parse_app_url(url, APP) is None


def test_an_app_url_with_a_path_prefix_and_port() -> None:
    base = "http://127.0.0.1:8123/app"
    assert parse_app_url("http://127.0.0.1:8123/app/spaces/3", base) == SpaceLink(3)
    assert parse_app_url("http://127.0.0.1:8123/spaces/3", base) is None
    assert app_host(base) == "127.0.0.1" and app_host(APP + "/") == "app.astravue.com"
