"""`astravue-bot api-probe` against the sandbox: every assumption holds in the default
dialect, and under each dialect switch the probe names exactly what that switch breaks."""

from __future__ import annotations

import httpx
import pytest

from bot.astravue.probe import GET_OPERATIONS, run_probe
from bot.sandbox.dialect import SWITCHES
from bot.sandbox.seed import ACME
from bot.sandbox.server import Sandbox
from tests.integration.conftest import login

WRITES = {
    "createPersonalTask",
    "updatePersonalTask",
    "addPersonalTaskManual",
    "deleteTimer",
    "deletePersonalTask",
}
BREAKS = {
    "null_collections": {"types", "list shape"},  # owners: null; an empty list answered null
    "spring_pages": {"list shape"},
    "put_replaces": {"PUT keeps fields not sent"},
    "oldest_first": {"newest first"},
    "string_ids": {"types"},
    "extra_fields": {"field names"},
}


async def _token(sandbox: Sandbox, keycloak: object, http: httpx.AsyncClient) -> str:
    return (await login(keycloak, http, "maria")).tokens.access_token  # type: ignore[arg-type]


async def test_every_assumption_holds_against_the_default_sandbox(
    sandbox: Sandbox, keycloak: object, http: httpx.AsyncClient
) -> None:
    sandbox.dialect.switch_to("")
    token = await _token(sandbox, keycloak, http)
    report = await run_probe(base_url=sandbox.base_url, org_id=ACME, token=token, write=True)
    table = report.table()
    assert report.ok, table
    answered = {row.operation for row in report.rows if row.status == "200"}
    assert set(GET_OPERATIONS) | WRITES <= answered, table
    assert "every assumption held" in table and token not in table
    assert not [t for t in sandbox.astravue.tasks.values() if t.title.startswith("api-probe")]


@pytest.mark.parametrize("switch", SWITCHES)
async def test_the_probe_names_what_each_dialect_switch_breaks(
    switch: str, sandbox: Sandbox, keycloak: object, http: httpx.AsyncClient
) -> None:
    sandbox.dialect.switch_to(switch)
    token = await _token(sandbox, keycloak, http)
    report = await run_probe(base_url=sandbox.base_url, org_id=ACME, token=token, write=True)
    broken = {assumption for names in report.broken.values() for assumption in names}
    assert broken == BREAKS[switch], report.table()
    assert "BROKE" in report.table() and not report.ok
