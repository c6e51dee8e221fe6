"""Item 10 of the security review: re-linking a Slack user to another Astravue account takes
that account's organisation (or none, and asks), never the previous account's; the same
account re-linking keeps the organisation its user set by hand."""

from __future__ import annotations

import httpx

from bot.sandbox.stack import Stack
from tests.scenario import conftest as scenario
from tests.scenario.conftest import connect, eventually
from tests.security.connect_flow import link_of, sign_in, told_in_slack

stack = scenario.stack
no_secret_in_debug_logs = scenario.no_secret_in_debug_logs


async def _relink(stack: Stack, login: str) -> None:
    """Maria re-links as `login`, her Slack email now being that account's (so the callback
    links at once: this is about the organisation, not the confirmation page)."""
    stack.sandbox.slack.users["U0MARIA"].email = stack.sandbox.keycloak.users[login].email
    async with httpx.AsyncClient() as browser:
        done = await sign_in(stack, browser, "U0MARIA", login)
    assert done.status_code == 200 and "Connected" in done.text


async def test_relinking_as_another_astravue_user_takes_that_users_organisation(
    stack: Stack,
) -> None:
    await connect(stack, "U0MARIA")
    link = await link_of(stack, "U0MARIA")
    assert (link.astravue_user_id, link.org_id) == (1, 1)

    await _relink(stack, "sam")  # Sam's token names no organisation
    link = await link_of(stack, "U0MARIA")
    assert (link.astravue_user_id, link.org_id) == (3, None)
    await eventually(
        lambda: any("which organisation" in text for text in told_in_slack(stack, "U0MARIA"))
    )

    await stack.runtime.services.linking.set_org(
        team_id="T0ACME", slack_user_id="U0MARIA", org_id=1
    )
    await _relink(stack, "sam")  # the same account again: the organisation set by hand stays
    assert (await link_of(stack, "U0MARIA")).org_id == 1

    await _relink(stack, "olga")  # another account, in organisation 2
    link = await link_of(stack, "U0MARIA")
    assert (link.astravue_user_id, link.org_id) == (5, 2)
