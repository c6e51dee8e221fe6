"""Quick capture: a line of text becomes a task draft, with its project and people placed
(or a question when a word names several), in the user's time zone.

`QuickCapture` is a part of `TaskService` (it reads the tasks in view to know who is who);
it holds the capture rules only.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.astravue.models import TaskDto
from bot.domain.calendar import show_day
from bot.domain.errors import TitleMissing
from bot.domain.links import LinkInfo
from bot.domain.tasks import Pick, TaskDraft
from bot.domain.workflow import DEFAULT_PRIORITY
from bot.parsing import parse_capture, user_today
from bot.parsing.capture import PersonRef
from bot.services.people import PeopleDirectory, Person
from bot.services.projects import ProjectInfo
from bot.services.zones import UserZones

PICK_CHOICES = 25


class QuickCapture:
    """Needs, from the service it is part of: `people`, `zones`, `tz`, `match_projects` and
    `all_tasks`."""

    people: PeopleDirectory
    zones: UserZones

    async def tz(self, link: LinkInfo) -> str:
        return await self.zones.name(link.slack_user_id)

    async def match_projects(self, link: LinkInfo, word: str) -> list[ProjectInfo]:
        raise NotImplementedError

    async def all_tasks(self, link: LinkInfo) -> list[TaskDto]:
        raise NotImplementedError

    def statuses(self, link: LinkInfo, project_id: int | None) -> list[str]:
        raise NotImplementedError

    async def draft_from_text(
        self, link: LinkInfo, text: str, *, personal: bool = False
    ) -> TaskDraft:
        """Quick capture: parse in the user's time zone and date order, then place projects and
        people (`personal`: `#words` stay in the title)."""
        today = user_today(await self.tz(link), datetime.now(UTC))
        parsed = parse_capture(
            text, today=today, day_first=await self.zones.day_first(link.slack_user_id)
        )
        draft = TaskDraft(
            title=parsed.title,
            description=parsed.description,
            due=parsed.due,
            start=parsed.start,
            priority=parsed.priority,
            tags=parsed.tags,
        )
        leftovers: list[str] = []
        unused = [f"`{word}` (one {kind} per task)" for word, kind in parsed.unused]
        for index, word in enumerate(parsed.project_refs):
            matches = await self.match_projects(link, word) if index == 0 and not personal else []
            if len(matches) == 1:
                draft.space_id, draft.project_id = matches[0].space_id, matches[0].project_id
                draft.project_name = matches[0].project_name
            elif matches:
                draft.picks.append(
                    Pick(
                        "project",
                        f"#{word}",
                        [(p.label, f"{p.space_id}:{p.project_id}") for p in matches[:PICK_CHOICES]],
                    )
                )
            else:
                leftovers.append(f"#{word}")
                why = (
                    "a personal task has no project"
                    if personal
                    else "no project matches"
                    if index == 0
                    else "one project per task"
                )
                unused.append(f"`#{word}` ({why})")
        for ref in parsed.people_refs:
            if not await self._place_person(link, draft, ref):
                leftovers.append(f"@{ref.value}")
                unused.append(f"`@{ref.value}` (no Astravue user I know by that name)")
        if not parsed.people_refs and link.astravue_user_id is not None:
            draft.owners = [(link.astravue_user_id, link.name or "you")]
        draft.title = " ".join([draft.title, *leftovers]).strip()
        if not draft.title:
            raise TitleMissing()
        if unused:  # one note for every word that looked like a field but was not used
            draft.notes.append("Not used, so left in the title: " + ", ".join(unused) + ".")
        if draft.due is not None and draft.due < today:
            draft.notes.append(f"The due date, {show_day(draft.due, today)}, is in the past.")
        self.apply_defaults(link, draft)
        return draft

    def apply_defaults(self, link: LinkInfo, draft: TaskDraft) -> None:
        """What Astravue would apply anyway, made explicit so the preview shows what will be
        created: the default priority, and the first status of the project's workflow (again
        when a status the draft has is not one of the chosen project's)."""
        draft.priority = draft.priority or DEFAULT_PRIORITY
        workflow = self.statuses(link, draft.project_id)
        if draft.status not in workflow:
            draft.status = workflow[0]

    async def _place_person(self, link: LinkInfo, draft: TaskDraft, ref: PersonRef) -> bool:
        """Own the draft by that person, or ask which one; False when nobody matches."""
        org = link.org_id or 0
        if ref.kind == "me" and link.astravue_user_id is not None:
            draft.owners.append((link.astravue_user_id, link.name or "you"))
            return True
        if ref.kind == "slack":
            person = await self.person_for_slack(link, ref.value)
            if person is None:
                draft.notes.append(
                    f"{await self.slack_name(ref.value)} can't be mapped to an "
                    "Astravue user (no connected account or matching email), so not assigned."
                )
            else:
                draft.owners.append((person.user_id, person.name))
            return True
        if not self.people.known(org):
            await self.all_tasks(link)  # builds the directory from the tasks in view
        matches = self.people.by_name(org, ref.value)
        if len(matches) == 1:
            draft.owners.append((matches[0].user_id, matches[0].name))
        elif matches:
            draft.picks.append(
                Pick(
                    "person",
                    f"@{ref.value}",
                    [
                        (f"{p.name} ({p.email or p.user_id})", str(p.user_id))
                        for p in matches[:PICK_CHOICES]
                    ],
                )
            )
        return bool(matches)

    async def person_for_slack(self, link: LinkInfo, slack_user_id: str) -> Person | None:
        org = link.org_id or 0
        if not self.people.known(org):
            await self.all_tasks(link)
        return await self.people.astravue_user_for(link.team_id, slack_user_id, org)

    async def slack_name(self, slack_user_id: str) -> str:
        """A Slack user named in plain text (their Slack name, else their id), never as a
        mention: the app writes only the people it resolved."""
        return await self.people.slack_name(slack_user_id)

    @staticmethod
    def apply_pick(draft: TaskDraft, index: int, value: str) -> None:
        """Take the user's answer to one of the preview's questions."""
        pick = draft.picks.pop(index)
        label = dict((v, lbl) for lbl, v in pick.choices).get(value, value)
        if pick.kind == "project":
            space, project = value.split(":")
            draft.space_id, draft.project_id = int(space), int(project)
            draft.project_name = label.split(" / ")[-1]
        else:
            draft.owners.append((int(value), label.split(" (")[0]))
