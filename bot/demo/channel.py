"""The demo in the channel (issue 16): links shared in #general and their unfurls, and the
project feed's posts after a change in Astravue.

A shared link becomes the `link_shared` event Slack sends (built by the Slack fake's unfurl
ledger); what the app then answers with `chat.unfurl` is drawn as a surface of #general whose
buttons are clicked as Slack sends a click in an unfurl. The feed job runs as the scheduler
would run it: at subscribe time (its first read only records what is there) and after a change.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rich.text import Text

from bot.demo.conversation import Conversation
from bot.demo.render import Control
from bot.demo.stack import NOTIFY_POLL_SECONDS
from bot.demo.surfaces import COMMAND_CHANNEL, DemoInputError, Surface
from bot.domain.tasks import TaskRef, task_url
from bot.sandbox.astravue_state.entities import Task
from bot.sandbox.slack.methods.unfurls import Unfurl
from bot.sandbox.slack_requests import channel_name
from bot.sandbox.slack_requests.in_channel import click_in_unfurl, share_links


class InChannel(Conversation):
    """Sharing links, unfurls as surfaces, and the project feed's job."""

    # ---- sharing a link -----------------------------------------------------------------

    async def _share(self, arg: str) -> None:
        if not arg:
            raise DemoInputError("share needs a task title or a link, e.g. `share Fix login`")
        url = arg if arg.startswith(("http://", "https://")) else self._task_link(arg)
        name = self.fake.users[self.user_id].name
        self.console.print(Text(f"#{channel_name(COMMAND_CHANNEL)} · {name}: {url}", style="bold"))
        response, _ = await share_links(
            self.sim, self.stack.sandbox.unfurls, [url], channel=COMMAND_CHANNEL
        )
        if response.status_code != 200:
            raise DemoInputError(f"the app answered HTTP {response.status_code}")

    def _task_link(self, title: str) -> str:
        """The "Open in Astravue" link of the task titled `title` (or the one title
        containing it)."""
        task = self._task_titled(title)
        ref = (
            TaskRef(task.task_id, task.space_id, task.project_id)
            if task.project_id is not None
            else TaskRef(task.task_id)
        )
        return task_url(self.stack.settings.astravue_app_url, ref)

    def _task_titled(self, title: str) -> Task:
        tasks = [t for t in self.stack.sandbox.astravue.tasks.values() if t.parent_id is None]
        wanted = title.lower().strip()
        exact = [t for t in tasks if t.title.lower() == wanted]
        partial = [t for t in tasks if wanted in t.title.lower()]
        if exact or len(partial) == 1:
            return (exact or partial)[0]
        if partial:
            listed = "; ".join(t.title for t in partial[:5])
            raise DemoInputError(f"{title!r} matches several tasks: {listed}")
        raise DemoInputError(f"no task titled {title!r} in Astravue")

    def _surfaces(self) -> list[Surface]:
        return [*super()._surfaces(), *self._unfurl_surfaces()]

    def _unfurl_surfaces(self) -> list[Surface]:
        found = []
        for index, call in enumerate(self.stack.sandbox.unfurls.calls):
            if call.share.user != self.user_id and call.share.channel != COMMAND_CHANNEL:
                continue
            where = f"#{channel_name(call.share.channel)}"
            for url, unfurl in call.unfurls.items():
                payload = {"blocks": unfurl.get("blocks") or [], "ts": call.share.ts}
                found.append(
                    Surface(
                        ("unfurl", str(index), url),
                        f"{where} · Astravue preview of {url}",
                        payload,
                        call.share.channel,
                    )
                )
            if call.user_auth_required and call.share.user == self.user_id:
                found.append(self._auth_prompt(index, call))
        return found

    def _auth_prompt(self, index: int, call: Unfurl) -> Surface:
        """Slack's own prompt to the sharer to connect the app (only they see it)."""
        message = call.user_auth_message or "Connect Astravue to see a preview of this link."
        blocks: list[dict[str, Any]] = [
            {"type": "section", "text": {"type": "mrkdwn", "text": message}}
        ]
        if call.user_auth_url:
            button = {
                "type": "button",
                "action_id": "user_auth",
                "text": {"type": "plain_text", "text": "Connect Astravue"},
                "url": call.user_auth_url,
            }
            blocks.append({"type": "actions", "elements": [button]})
        return Surface(
            ("unfurl-auth", str(index)),
            "Slackbot · only visible to you",
            {"blocks": blocks},
            call.share.channel,
            ephemeral=True,
        )

    async def _act(self, surface: Surface, control: Control, fields: dict[str, Any]) -> None:
        if surface.key[0] == "unfurl-auth":
            return  # Slack's own prompt: the click only opens its link
        if surface.key[0] != "unfurl":
            await super()._act(surface, control, fields)
            return
        call = self.stack.sandbox.unfurls.calls[int(surface.key[1])]
        action_id = str(control.element.get("action_id", ""))
        response = await click_in_unfurl(self.sim, call, surface.key[2], action_id)
        if response.status_code != 200:
            raise DemoInputError(f"the app answered HTTP {response.status_code}")

    # ---- the project feed ---------------------------------------------------------------

    async def _complete(self, arg: str) -> None:
        """A teammate completes a project task in Astravue (what a feed reports)."""
        if not arg:
            raise DemoInputError("complete needs a task title, e.g. `complete Fix login`")
        state = self.stack.sandbox.astravue
        task = self._task_titled(arg)
        if task.project_id is None:
            raise DemoInputError(f'"{task.title}" is a personal task: feeds follow projects')
        done = next(
            (
                s
                for s in state.statuses_for(task.org_id, task.project_id)
                if s.category.lower() in ("done", "completed", "closed")
            ),
            None,
        )
        if done is None or task.status_id == done.status_id:
            raise DemoInputError(f'"{task.title}" is already done')
        email = self.fake.users[self.user_id].email
        me = next((u.user_id for u in state.users.values() if u.email == email), None)
        actors = [
            u
            for u in state.org_users(task.org_id)
            if u.user_id != me and not u.is_guest and u.user_id in task.owner_ids
        ] or [u for u in state.org_users(task.org_id) if u.user_id != me and not u.is_guest]
        if not actors:
            raise DemoInputError("nobody else in Astravue could complete it")
        actor = actors[0]
        state.update_task(actor.user_id, task.task_id, status=done.name)
        self.console.print(
            Text(
                f'↯ Meanwhile in Astravue: {actor.full_name} completed "{task.title}"',
                style="magenta",
            )
        )
        await self._after_feed_change()

    async def _after_feed_change(self) -> None:
        if self.tick_notifications:
            await self._poll_feeds()
        else:
            self.console.print(
                Text(
                    f"(the feed job runs every {NOTIFY_POLL_SECONDS} s; press Enter to see "
                    "new posts)",
                    style="dim",
                )
            )

    async def _poll_feeds(self) -> None:
        """One run of the feed job, as the scheduler would run it: a feed read less than the
        poll interval ago is not due yet, so wait until one is."""
        service = self.stack.runtime.services.feed_poller
        for _ in range(2 * NOTIFY_POLL_SECONDS + 2):
            if await service.tick():
                return
            await asyncio.sleep(0.5)
