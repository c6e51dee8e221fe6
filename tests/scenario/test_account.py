"""Account linking end to end: signed Slack requests in, real OAuth against the sandbox."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.db.models import AstravueLink, LinkStatus, PollState
from bot.sandbox.stack import Stack
from tests.scenario.conftest import buttons, connect, eventually, last_response, text_of


async def _link(stack: Stack, user_id: str) -> AstravueLink | None:
    async with stack.runtime.sessions() as session:
        return (
            await session.scalars(select(AstravueLink).where(AstravueLink.slack_user_id == user_id))
        ).one_or_none()


async def test_connect_whoami_doctor_disconnect_reconnect(stack: Stack) -> None:
    maria = stack.user("U0MARIA")
    await connect(stack, "U0MARIA")
    link = await _link(stack, "U0MARIA")
    assert link is not None and link.status == LinkStatus.ACTIVE
    assert link.astravue_user_id == 1 and link.org_id == 1
    assert link.astravue_email == "maria@acme.test"
    assert link.refresh_token_ct and link.refresh_token_ct.startswith("v1.")
    # encrypted, not the JWT itself (never a JWT shape; a bare "eyJ" can occur by chance)
    assert not re.search(r"eyJ[\w-]{10,}\.[\w-]{10,}\.", link.refresh_token_ct)
    async with stack.runtime.sessions() as session:
        assert await session.get(PollState, link.id) is not None

    before = len(stack.sandbox.slack.responses)
    await maria.command("whoami")
    card = text_of(await last_response(stack, "U0MARIA", before))
    assert "maria@acme.test" in card and "Maria Lopez" in card

    before = len(stack.sandbox.slack.responses)
    await maria.command("doctor")
    report = text_of(await last_response(stack, "U0MARIA", before))
    assert "Astravue doctor" in report
    assert "token valid" in report and "I can DM you" in report

    before = len(stack.sandbox.slack.responses)
    await maria.command("logout")
    confirm = await last_response(stack, "U0MARIA", before)
    assert "account.disconnect_confirm" in buttons(confirm)
    revokes = stack.sandbox.keycloak.revoke_requests
    before = len(stack.sandbox.slack.responses)
    await maria.click("account.disconnect_confirm", "yes", message=confirm, channel_id="C0GENERAL")
    done = text_of(await last_response(stack, "U0MARIA", before))
    assert "Disconnected" in done
    link = await _link(stack, "U0MARIA")
    assert link is not None and link.status == LinkStatus.DISCONNECTED
    assert link.refresh_token_ct is None and link.access_token_ct is None
    assert stack.sandbox.keycloak.revoke_requests == revokes + 1

    await connect(stack, "U0MARIA")  # re-connect works and reactivates the same row
    relinked = await _link(stack, "U0MARIA")
    assert relinked is not None and relinked.id == link.id
    assert relinked.status == LinkStatus.ACTIVE


async def test_user_without_organisation_claim_sets_it_in_a_modal(stack: Stack) -> None:
    await connect(stack, "U0SAM")  # the sandbox gives Sam no tenant_id claim
    link = await _link(stack, "U0SAM")
    assert link is not None and link.org_id is None
    sam = stack.user("U0SAM")
    await sam.command("org")
    view = await eventually(lambda: stack.sandbox.slack.open_views("U0SAM"))
    modal = view[-1]
    response = await sam.submit(
        modal, {"org": {"org_id": {"type": "number_input", "value": "abc"}}}
    )
    assert response.json()["response_action"] == "errors"  # inline, nothing saved
    await sam.submit(modal, {"org": {"org_id": {"type": "number_input", "value": "1"}}})
    await eventually(
        lambda: (
            stack.sandbox.slack.dm_messages("U0SAM") or stack.sandbox.slack.ephemerals_for("U0SAM")
        )
    )

    async def org_set() -> bool:
        found = await _link(stack, "U0SAM")
        return found is not None and found.org_id == 1

    for _ in range(100):
        if await org_set():
            break
        import asyncio

        await asyncio.sleep(0.02)
    assert await org_set()


async def test_unlinked_user_gets_the_connect_prompt_then_retries(stack: Stack) -> None:
    dev = stack.user("U0DEV")
    before = len(stack.sandbox.slack.responses)
    assert (await dev.command("whoami")).status_code == 200
    prompt = await last_response(stack, "U0DEV", before)
    assert "Connect Astravue" in str(prompt) and "account.connect" in buttons(prompt)
    # a click on any button while unlinked leads to connect too
    before = len(stack.sandbox.slack.responses)
    await dev.click(
        "account.set_org",
        "set",
        message={
            "ts": "1.0",
            "blocks": [
                {
                    "type": "actions",
                    "block_id": "b",
                    "elements": [
                        {
                            "type": "button",
                            "action_id": "account.set_org",
                            "text": {"type": "plain_text", "text": "Set"},
                        }
                    ],
                }
            ],
        },
        channel_id="C0GENERAL",
    )
    prompt = await last_response(stack, "U0DEV", before)
    assert "account.connect" in buttons(prompt)
    assert "run your command again" in text_of(prompt)
    await connect(stack, "U0DEV")
    before = len(stack.sandbox.slack.responses)
    await dev.command("whoami")
    assert "dev@acme.test" in text_of(await last_response(stack, "U0DEV", before))


async def test_replayed_expired_and_foreign_state_link_nothing(stack: Stack) -> None:
    import httpx

    maria = stack.user("U0MARIA")
    before = len(stack.sandbox.slack.responses)
    await maria.command("connect")
    url = buttons(await last_response(stack, "U0MARIA", before))["account.connect"]["url"]
    async with httpx.AsyncClient() as browser:
        first = await browser.get(url)
        assert first.status_code == 302
        replay = await browser.get(url)  # the signed start URL is single use
        assert replay.status_code == 400 and "already used" in replay.text
        forged = await browser.get(
            stack.app_url + "/oauth/astravue/callback", params={"state": "made-up", "code": "x"}
        )
        assert forged.status_code == 400
        tampered = await browser.get(url[:-3] + "abc")
        assert tampered.status_code == 400 and "not valid" in tampered.text
    assert await _link(stack, "U0MARIA") is None


async def test_help_and_unknown_words_answer_in_the_ack(stack: Stack) -> None:
    maria = stack.user("U0MARIA")
    response = await maria.command("help")
    assert response.status_code == 200
    assert "/astravue connect" in response.text
    response = await maria.command("conect")
    body = response.json()
    assert "Did you mean" in text_of(body) and "/astravue connect" in text_of(body)


async def test_an_organisation_the_user_is_not_in_is_refused_and_not_kept(stack: Stack) -> None:
    await connect(stack, "U0SAM")
    before = len(stack.sandbox.slack.responses)
    await stack.user("U0SAM").command("org 999")
    answer = await last_response(stack, "U0SAM", before)
    assert "aren't a member of organisation 999" in text_of(answer)
    link = await _link(stack, "U0SAM")
    assert link is not None and link.org_id is None
