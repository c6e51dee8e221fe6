"""Link unfurls (issue 16): Astravue links shared in a channel, read with the sharer's token."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update

from bot.db.models import AstravueLink, LinkStatus
from bot.domain.app_urls import project_url, space_url
from bot.domain.tasks import TaskRef, task_url
from bot.sandbox.slack_requests.in_channel import click_in_unfurl, share_links
from bot.sandbox.stack import SLACK_USERNAMES, Stack
from bot.ui.ids import Action
from tests.scenario.conftest import connect, eventually, last_response, text_of

DEV, SAM = 2, 3


def url_of(stack: Stack, title: str) -> str:
    task = next(t for t in stack.sandbox.astravue.tasks.values() if t.title == title)
    ref = TaskRef(task.task_id, task.space_id, task.project_id) if task.project_id else None
    return task_url(stack.settings.astravue_app_url, ref or TaskRef(task.task_id))


async def settled(stack: Stack) -> None:
    """Every lazy listener started so far has finished (Bolt starts them before it answers
    the request, so after a response the work is in `lazy_work` or already done)."""

    def idle() -> bool:
        return not any(not task.done() for task in stack.runtime.lazy_work)

    await eventually(idle)
    await asyncio.sleep(0)


def unfurl_text(unfurl: dict[str, Any]) -> str:
    return text_of({"blocks": unfurl["blocks"]})


async def test_a_linked_sharer_gets_previews_whose_buttons_act_as_the_clicker(
    stack: Stack,
) -> None:
    await connect(stack, "U0MARIA")
    await connect(stack, "U0DEV")
    app = stack.settings.astravue_app_url
    state = stack.sandbox.astravue
    website = next(p for p in state.projects.values() if p.name == "Website")
    pricing, passport = url_of(stack, "Update pricing page copy"), url_of(stack, "Renew passport")
    hidden = url_of(stack, "Read the caching RFC")  # Dev's personal task: Maria can't see it
    project = project_url(app, website.space_id, website.project_id)
    space = space_url(app, website.space_id)
    shared = [pricing + "?tab=comments", passport, project, space, hidden, "https://example.com/x"]

    response, _ = await share_links(stack.user("U0MARIA"), stack.sandbox.unfurls, shared)
    assert response.status_code == 200
    calls = await eventually(lambda: stack.sandbox.unfurls.calls)
    await settled(stack)
    assert len(stack.sandbox.unfurls.calls) == 1
    unfurls = calls[0].unfurls
    # keyed by the exact URLs as shared; what Maria cannot see and foreign links are left out
    assert set(unfurls) == {pricing + "?tab=comments", passport, project, space}
    card = unfurl_text(unfurls[pricing + "?tab=comments"])
    for expected in ("Update pricing page copy", "To Do", "Maria Lopez", "Website"):
        assert expected in card
    assert "Personal task" in unfurl_text(unfurls[passport])
    assert "Website" in unfurl_text(unfurls[project])
    assert "Website" in unfurl_text(unfurls[space])  # the space lists its projects
    assert "Read the caching RFC" not in json.dumps(unfurls)
    actions = [
        e["action_id"]
        for b in unfurls[pricing + "?tab=comments"]["blocks"]
        for e in b.get("elements") or []
        if "action_id" in e
    ]
    assert actions == [Action.TASK_COMPLETE, Action.TIMER_START]

    # Dev clicks Complete on Maria's unfurl: it acts as Dev, and only Dev is answered.
    task = next(t for t in state.tasks.values() if t.title == "Update pricing page copy")
    before = len(stack.sandbox.slack.responses)
    await click_in_unfurl(
        stack.user("U0DEV"), calls[0], pricing + "?tab=comments", Action.TASK_COMPLETE
    )
    reply = await last_response(stack, "U0DEV", before)
    assert "Completed" in text_of(reply)
    assert state.status_of(task).name == "Done" and task.modified_by == DEV
    post = stack.sandbox.slack.responses[-1]
    assert post.outcome == "ephemeral" and post.user == "U0DEV"

    # Sam, not connected, clicks Start timer: the connect prompt, and nothing changes.
    before = len(stack.sandbox.slack.responses)
    other = await share_links(stack.user("U0MARIA"), stack.sandbox.unfurls, [passport])
    assert other[0].status_code == 200
    second = await eventually(lambda: stack.sandbox.unfurls.calls[1:])
    await click_in_unfurl(stack.user("U0SAM"), second[0], passport, Action.TIMER_START)
    prompt = await last_response(stack, "U0SAM", before)
    assert "Connect" in text_of(prompt)
    assert state.running_timer(SAM) is None


async def test_an_unlinked_sharer_gets_slacks_connect_prompt_and_no_details(
    stack: Stack,
) -> None:
    url = url_of(stack, "Update pricing page copy")
    response, _ = await share_links(stack.user("U0SAM"), stack.sandbox.unfurls, [url])
    assert response.status_code == 200
    calls = await eventually(lambda: stack.sandbox.unfurls.calls)
    await settled(stack)
    assert len(calls) == 1
    prompt = calls[0]
    assert prompt.user_auth_required and prompt.unfurls == {}
    assert prompt.user_auth_message and "Connect" in prompt.user_auth_message
    assert prompt.user_auth_url is not None
    assert prompt.user_auth_url.startswith(stack.settings.public_url + "/oauth/astravue/start?")
    assert "Update pricing page copy" not in json.dumps(prompt.__dict__, default=str)

    # The prompt's URL is the real connect flow.
    page = await stack.follow_connect(prompt.user_auth_url, SLACK_USERNAMES["U0SAM"])
    assert page.status_code == 200, page.text
    link = await stack.runtime.services.link("T0ACME", "U0SAM")
    assert link is not None and link.status == LinkStatus.ACTIVE


async def test_a_sharer_whose_link_broke_gets_the_prompt_not_the_task(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    async with stack.runtime.sessions() as session, session.begin():
        await session.execute(
            update(AstravueLink).values(access_expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )
    assert stack.sandbox.keycloak.end_sessions("maria") >= 1  # the refresh now fails
    url = url_of(stack, "Update pricing page copy")
    await share_links(stack.user("U0MARIA"), stack.sandbox.unfurls, [url])
    (prompt,) = await eventually(lambda: stack.sandbox.unfurls.calls)
    assert prompt.user_auth_required and prompt.unfurls == {}
    link = await stack.runtime.services.link("T0ACME", "U0MARIA")
    assert link is not None and link.status == LinkStatus.NEEDS_RELINK


async def test_a_task_the_sharer_cannot_see_is_not_unfurled(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    state = stack.sandbox.astravue
    other_org = next(p for p in state.projects.values() if p.name == "Onboarding")
    hidden = [
        url_of(stack, "Read the caching RFC"),  # Dev's personal task: 404 for Maria
        url_of(stack, "Welcome new hires"),  # another organisation's project task
        project_url(stack.settings.astravue_app_url, other_org.space_id, other_org.project_id),
    ]
    requests_before = len(state.requests)
    response, _ = await share_links(stack.user("U0MARIA"), stack.sandbox.unfurls, hidden)
    assert response.status_code == 200
    await settled(stack)
    assert len(state.requests) > requests_before  # they were read, as Maria
    assert stack.sandbox.unfurls.calls == []
    assert not [c for c in stack.sandbox.slack.calls if c.method == "chat.unfurl"]


async def test_a_retried_link_shared_unfurls_once(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    url = url_of(stack, "Renew passport")
    maria = stack.user("U0MARIA")
    first, event = await share_links(maria, stack.sandbox.unfurls, [url], event_id="EvUNFURL1")
    assert first.status_code == 200
    for retry in (1, 2):  # Slack retries with the same event_id and x-slack-retry-num
        again = await maria.event(event, event_id="EvUNFURL1", retry_num=retry)
        assert again.status_code == 200
    await eventually(lambda: stack.sandbox.unfurls.calls)
    await settled(stack)
    assert len(stack.sandbox.unfurls.calls) == 1
    assert list(stack.sandbox.unfurls.calls[0].unfurls) == [url]


async def test_a_link_in_the_composer_is_unfurled_by_unfurl_id_and_source(stack: Stack) -> None:
    await connect(stack, "U0MARIA")
    url = url_of(stack, "Update pricing page copy")
    _, event = await share_links(
        stack.user("U0MARIA"), stack.sandbox.unfurls, [url], source="composer"
    )
    assert event["channel"] == "COMPOSER"
    (call,) = await eventually(lambda: stack.sandbox.slack.calls_to("chat.unfurl"))
    assert call.ok and "channel" not in call.args and "ts" not in call.args
    assert call.args["unfurl_id"] == event["unfurl_id"] and call.args["source"] == "composer"
    assert list(call.args["unfurls"]) == [url]
