"""Astravue web-app URLs read back into what they point at (for link unfurls).

The forms are the ones the app's own "Open in Astravue" links use (`task_url` in
`bot.domain.tasks`, and `space_url` / `project_url` here), below `ASTRAVUE_APP_URL`:

    {app}/tasks/{task}                                  a personal task
    {app}/spaces/{space}/projects/{project}/tasks/{task} a project task
    {app}/spaces/{space}/projects/{project}             a project
    {app}/spaces/{space}                                a space

A comment is its task's page with `#comment-{id}` (`comment_url`): the fragment is the
app's to read, and the page opens at the task even where it is not.

A trailing slash, a query and a fragment are ignored; the scheme may be http or https and
the host is compared without regard to case. Anything else is not ours: None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.domain.tasks import TaskRef, task_url

_PATH = re.compile(
    r"/(?:"
    r"tasks/(?P<personal>\d{1,18})"
    r"|spaces/(?P<space>\d{1,18})"
    r"(?:/projects/(?P<project>\d{1,18})(?:/tasks/(?P<task>\d{1,18}))?)?"
    r")/?"
)


@dataclass(frozen=True)
class TaskLink:
    ref: TaskRef


@dataclass(frozen=True)
class ProjectLink:
    space_id: int
    project_id: int


@dataclass(frozen=True)
class SpaceLink:
    space_id: int


AppLink = TaskLink | ProjectLink | SpaceLink


def space_url(app_url: str, space_id: int) -> str:
    return f"{app_url.rstrip('/')}/spaces/{space_id}"


def project_url(app_url: str, space_id: int, project_id: int) -> str:
    return f"{space_url(app_url, space_id)}/projects/{project_id}"


def comment_url(app_url: str, ref: TaskRef, comment_id: int) -> str:
    return f"{task_url(app_url, ref)}#comment-{comment_id}"


def app_host(app_url: str) -> str:
    """The host Slack's manifest lists under `unfurl_domains` (no scheme, no port)."""
    return (urlsplit(app_url).hostname or "").lower()


def parse_app_url(url: str, app_url: str) -> AppLink | None:
    """What `url` points at, if it is one of the forms above under `app_url`."""
    try:
        shared, base = urlsplit(url.strip()), urlsplit(app_url)
        ports_match = shared.port == base.port
    except ValueError:  # a malformed port or IPv6 literal
        return None
    if shared.scheme.lower() not in ("http", "https") or not ports_match:
        return None
    if (shared.hostname or "").lower() != (base.hostname or "").lower():
        return None
    prefix = base.path.rstrip("/")
    if not shared.path.startswith(prefix + "/"):
        return None
    match = _PATH.fullmatch(shared.path[len(prefix) :])
    if match is None:
        return None
    if match["personal"]:
        return TaskLink(TaskRef(int(match["personal"])))
    space = int(match["space"])
    if match["task"]:
        return TaskLink(TaskRef(int(match["task"]), space, int(match["project"])))
    if match["project"]:
        return ProjectLink(space, int(match["project"]))
    return SpaceLink(space)
