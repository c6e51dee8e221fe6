"""`astravue-bot api-probe` as an operator runs it: as a linked user (from the database) or
with a token read from stdin; the exit status is the verdict and no token is printed."""

from __future__ import annotations

import asyncio
import io

import httpx
import pytest

from bot.cli import main
from bot.sandbox.seed import ACME
from bot.sandbox.stack import Stack
from tests.scenario.conftest import connect


def _cli(stack: Stack, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    for key, value in stack.sandbox.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("DATABASE_URL", stack.settings.database_url)
    monkeypatch.setenv("TOKEN_ENCRYPTION_KEYS", stack.settings.token_encryption_keys or "")
    monkeypatch.setenv("PUBLIC_URL", stack.settings.public_url)
    return main(["api-probe", *args])


async def test_the_command_probes_as_a_linked_user_and_exits_by_the_verdict(
    stack: Stack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stack.sandbox.dialect.switch_to("")
    await connect(stack, "U0MARIA")
    assert await asyncio.to_thread(_cli, stack, monkeypatch, "--slack-user", "U0MARIA") == 0
    out = capsys.readouterr().out
    assert "linked to U0MARIA" in out and "every assumption held" in out
    assert "listNotifications" in out and "eyJ" not in out

    stack.sandbox.dialect.switch_to("spring_pages")
    assert await asyncio.to_thread(_cli, stack, monkeypatch, "--slack-user", "U0MARIA") == 1
    assert "list shape: BROKE" in capsys.readouterr().out


async def test_the_command_reads_a_given_token_from_stdin_and_never_prints_it(
    stack: Stack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stack.sandbox.dialect.switch_to("")
    async with httpx.AsyncClient() as http:
        answer = await http.post(
            f"{stack.settings.astravue_auth_url}/protocol/openid-connect/token",
            data={"grant_type": "password", "username": "dev", "password": "sandbox",
                  "client_id": stack.settings.astravue_client_id,
                  "client_secret": stack.settings.astravue_client_secret})
    token = answer.json()["access_token"]
    monkeypatch.setattr("sys.stdin", io.StringIO(token + "\n"))
    code = await asyncio.to_thread(_cli, stack, monkeypatch, "--token", "-",
                                   "--org-id", str(ACME))
    out = capsys.readouterr().out
    assert code == 0, out
    assert "with the given token" in out and token not in out
    assert await asyncio.to_thread(_cli, stack, monkeypatch, "--token", "x") == 2  # no org
