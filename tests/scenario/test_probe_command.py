"""`astravue-bot api-probe` as an operator runs it, in its own process: as a linked user
(found in the database) or with a token read from stdin; the exit status is the verdict and
no token is printed."""

from __future__ import annotations

import asyncio
import os
import sys

import httpx

from bot.sandbox.seed import ACME
from bot.sandbox.stack import Stack
from tests.scenario.conftest import connect


async def _probe(stack: Stack, *args: str, stdin: str = "") -> tuple[int, str]:
    env = {
        **os.environ,
        **stack.sandbox.env(),
        "DATABASE_URL": stack.settings.database_url,
        "TOKEN_ENCRYPTION_KEYS": stack.settings.token_encryption_keys or "",
        "PUBLIC_URL": stack.settings.public_url,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "api-probe",
        *args,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(stdin.encode()), timeout=90)
    assert process.returncode is not None
    return process.returncode, out.decode()


async def test_the_command_probes_as_a_linked_user_and_exits_by_the_verdict(
    stack: Stack,
) -> None:
    await connect(stack, "U0MARIA")
    code, out = await _probe(stack, "--slack-user", "U0MARIA")
    assert code == 0, out
    assert "linked to U0MARIA" in out and "every assumption held" in out
    assert "listNotifications" in out and "eyJ" not in out

    stack.sandbox.dialect.switch_to("spring_pages")
    code, out = await _probe(stack, "--slack-user", "U0MARIA")
    assert code == 1 and "list shape: BROKE" in out, out


async def test_the_command_reads_a_given_token_from_stdin_and_never_prints_it(
    stack: Stack,
) -> None:
    async with httpx.AsyncClient() as http:
        answer = await http.post(
            f"{stack.settings.astravue_auth_url}/protocol/openid-connect/token",
            data={
                "grant_type": "password",
                "username": "dev",
                "password": "sandbox",
                "client_id": stack.settings.astravue_client_id,
                "client_secret": stack.settings.astravue_client_secret,
            },
        )
    token = answer.json()["access_token"]
    code, out = await _probe(stack, "--token", "-", "--org-id", str(ACME), stdin=token + "\n")
    assert code == 0, out
    assert "with the given token" in out and token not in out
    code, out = await _probe(stack, "--token", "x")
    assert code == 2 and "--token needs --org-id" in out
