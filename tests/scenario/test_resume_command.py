"""A command that needs connect (or the organisation) first runs by itself once it is given:
through the real OAuth flow against the sandbox Keycloak, and the organisation modal."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.db.models import OAuthState
from bot.sandbox.stack import Stack
from bot.ui.ids import Action
from tests.scenario.conftest import SLACK_USERNAMES, buttons, eventually, last_response, text_of

DEV, SAM = 2, 3


def _titles_of(stack: Stack, user: int) -> set[str]:
    return {
        t.title
        for t in stack.sandbox.astravue.tasks.values()
        if user in t.owner_ids and t.completion < 100
    }


def _responses(stack: Stack, user: str, after: int) -> list[dict[str, Any]]:
    return [p.payload for p in stack.sandbox.slack.responses[after:] if p.user == user]


async def test_connect_runs_the_command_that_asked_for_it(stack: Stack) -> None:
    dev = stack.user("U0DEV")
    before = len(stack.sandbox.slack.responses)
    await dev.command("task list")
    prompt = await last_response(stack, "U0DEV", before)
    assert "I'll run `/astravue task list` for you" in text_of(prompt)
    async with stack.runtime.sessions() as session:
        states = (await session.scalars(select(OAuthState))).all()
    assert len(states) == 1 and states[0].command_ct  # sealed with its state
    assert "task list" not in states[0].command_ct

    page = await stack.follow_connect(
        buttons(prompt)[Action.CONNECT]["url"], SLACK_USERNAMES["U0DEV"]
    )
    assert page.status_code == 200, page.text
    listed = await eventually(
        lambda: [
            p
            for p in _responses(stack, "U0DEV", before)
            if any(title in text_of(p) for title in _titles_of(stack, DEV))
        ]
    )
    said = "\n".join(text_of(p) for p in _responses(stack, "U0DEV", before))
    assert "Connected as" in said and "Running `/astravue task list` now" in said
    assert "Organisation *Acme* (1)" in said  # the name sign-in gave, not only the id
    assert len(listed) == 1  # run once, not again
    async with stack.runtime.sessions() as session:
        assert (await session.scalars(select(OAuthState))).all() == []  # gone with its state
    before = len(stack.sandbox.slack.responses)
    await dev.command("whoami")
    assert "*Acme* (1)" in text_of(await last_response(stack, "U0DEV", before))


async def test_the_organisation_prompt_runs_the_command_once_it_is_set(stack: Stack) -> None:
    sam = stack.user("U0SAM")  # the sandbox gives Sam no tenant_id claim
    before = len(stack.sandbox.slack.responses)
    await sam.command("task list")
    prompt = await last_response(stack, "U0SAM", before)
    await stack.follow_connect(buttons(prompt)[Action.CONNECT]["url"], SLACK_USERNAMES["U0SAM"])
    connected = await eventually(
        lambda: [p for p in _responses(stack, "U0SAM", before) if "Connected as" in text_of(p)]
    )
    assert "Then I'll run `/astravue task list` for you" in text_of(connected[-1])
    await sam.click(
        Action.SET_ORG, buttons(connected[-1])[Action.SET_ORG]["value"], message=connected[-1]
    )
    modal = (await eventually(lambda: stack.sandbox.slack.open_views("U0SAM")))[-1]
    await sam.submit(modal, {"org": {"org_id": {"type": "number_input", "value": "1"}}})

    def shown() -> list[Any]:
        return [
            e
            for e in stack.sandbox.slack.ephemerals_for("U0SAM")
            if any(title in text_of(e.as_slack()) for title in _titles_of(stack, SAM))
        ]

    listed = await eventually(shown)
    assert [e.channel for e in listed] == ["C0GENERAL"]  # where the command was typed


async def test_a_command_without_its_organisation_asks_for_it_and_then_runs(stack: Stack) -> None:
    sam = stack.user("U0SAM")
    before = len(stack.sandbox.slack.responses)
    await sam.command("connect")
    prompt = await last_response(stack, "U0SAM", before)
    assert "run your command again" in text_of(prompt)  # nothing to resume
    await stack.follow_connect(buttons(prompt)[Action.CONNECT]["url"], SLACK_USERNAMES["U0SAM"])
    await eventually(
        lambda: [p for p in _responses(stack, "U0SAM", before) if "Connected as" in text_of(p)]
    )
    before = len(stack.sandbox.slack.responses)
    await sam.command("task list")
    asked = await last_response(stack, "U0SAM", before)
    assert "Then I'll run `/astravue task list` for you" in text_of(asked)
