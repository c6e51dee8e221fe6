"""LOG_FORMAT=json: one JSON object per line, with the Slack request's ids, and no secret in
any field."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import time
from pathlib import Path

import httpx

from bot.log_context import ContextFilter, bind_slack_request
from bot.log_json import JsonFormatter
from bot.logging import RedactionFilter
from bot.sandbox.server import (
    BOT_TOKEN,
    CLIENT_SECRET,
    SIGNING_SECRET,
    LoopbackServer,
    build_sandbox,
)
from bot.sandbox.slack_requests import slash_command
from tests.operations.serving import Served, serving


async def test_serve_writes_json_lines_with_ids_and_no_secrets(tmp_path: Path) -> None:
    sandbox = build_sandbox()  # Slack's Web API (auth.test, the reply) and Astravue's fakes
    server = LoopbackServer(sandbox.app())
    sandbox.set_base_url(await server.start())
    env = {
        "PATH": os.environ.get("PATH", ""),
        "LOG_LEVEL": "DEBUG",
        "LOG_FORMAT": "json",
        "SCHEDULER_ENABLED": "false",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/j.db",
        **sandbox.env(),
    }
    response_url = f"{sandbox.base_url}/slack/respond/opaque-capability-4242"

    def serve_one_command() -> tuple[Served, int]:
        with serving([sys.executable, "-m", "bot"], cwd=tmp_path, env=env) as served:
            body, headers = slash_command(
                "help", user_id="U0MARIA", trigger_id="1.2.3", response_url=response_url
            )
            acked = httpx.post(
                f"{served.url}/slack/events", content=body, headers=headers, timeout=30
            )
            time.sleep(1)  # the lazy reply
        return served, acked.status_code

    try:
        served, status = await asyncio.to_thread(serve_one_command)
    finally:
        await server.stop()
    assert served.ready_status == 200 and status == 200, served.output
    lines = [json.loads(line) for line in served.output.splitlines() if line.strip()]
    assert lines and all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    tagged = [line for line in lines if line.get("action") == "/astravue"]
    assert tagged, "no line carries the request's ids"
    assert {"team_id", "user_id", "request_id"} <= set(tagged[0])
    assert tagged[0]["user_id"] == "U0MARIA"
    for secret in (BOT_TOKEN, SIGNING_SECRET, CLIENT_SECRET, "opaque-capability-4242"):
        assert secret not in served.output


def test_every_field_is_redacted_even_nested_extras() -> None:
    record = logging.LogRecord(
        "bot.x", logging.WARNING, __file__, 1, "refresh with %s", (f"Bearer {'a' * 20}",), None
    )
    record.detail = {"refresh_token": "r" * 24, "items": ["xoxb-2-nested-secret"]}
    bind_slack_request({"team_id": "T1", "user_id": "U1", "command": "/astravue"})
    RedactionFilter().filter(record)
    ContextFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["team_id"] == "T1" and line["action"] == "/astravue" and line["request_id"]
    text = json.dumps(line)
    assert "a" * 20 not in text and "r" * 24 not in text and "nested-secret" not in text
