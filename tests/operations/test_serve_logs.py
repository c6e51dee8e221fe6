"""What `serve` prints at LOG_LEVEL=INFO: what an operator needs, not library chatter."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bot.config import load_settings
from bot.startup_checks import configuration_warnings
from tests.operations.serving import serving


def test_info_logs_leave_out_migration_chatter_and_the_bolt_token_notice(tmp_path: Path) -> None:
    env = _env(tmp_path, SLACK_BOT_TOKEN="xoxb-1-serve-logs", SLACK_SIGNING_SECRET="s" * 32)
    with serving([sys.executable, "-m", "bot"], cwd=tmp_path, env=env) as served:
        for _ in range(3):  # each /readyz used to log Alembic's plugin lines again
            with urllib.request.urlopen(f"{served.url}/readyz", timeout=10):  # noqa: S310
                pass
    assert served.ready_status == 200, served.output
    assert "serving on port" in served.output
    assert " alembic." not in served.output, served.output  # the logger names
    assert "will be unused" not in served.output, served.output


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "LOG_LEVEL": "INFO",
        "SCHEDULER_ENABLED": "false",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/serve.db",
        **extra,
    }


def test_a_taken_port_is_one_line_and_exit_status_2(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(  # noqa: S603 (our own command, fixed arguments)
            [sys.executable, "-m", "bot", "serve", "--port", str(port)],
            cwd=tmp_path,
            env=_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"astravue-bot: port {port} is not available (Address already in use): stop what uses "
        "it, or choose another with PORT or --port"
    ]


def test_start_up_warnings_name_the_fix_and_do_not_stop_the_app(tmp_path: Path) -> None:
    closed = "http://127.0.0.1:9"  # nothing listens on the discard port
    env = _env(
        tmp_path,
        SLACK_BOT_TOKEN="xoxb-1-warnings",
        SLACK_SIGNING_SECRET="s" * 32,
        PUBLIC_URL="http://localhost:3000",
        ASTRAVUE_API_URL=closed,
        ASTRAVUE_AUTH_URL=f"{closed}/realms/astravue",
    )
    with serving([sys.executable, "-m", "bot"], cwd=tmp_path, env=env) as served:
        time.sleep(1)  # the reachability checks run beside start-up
    assert served.ready_status == 200, served.output
    warnings = [line for line in served.output.splitlines() if " WARNING bot.startup " in line]
    assert any(
        "PUBLIC_URL is http://localhost:3000, which Slack cannot reach" in line for line in warnings
    ), served.output
    assert any("ASTRAVUE_CLIENT_ID is not" in line for line in warnings), served.output
    assert "Traceback" not in served.output
    # Without ASTRAVUE_CLIENT_ID nobody can connect, so Astravue is not probed: probe it now.
    with serving(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env={**env, "ASTRAVUE_CLIENT_ID": "astravue-slack"},
    ) as served:
        time.sleep(1)
    assert served.ready_status == 200, served.output
    assert "Astravue's API (ASTRAVUE_API_URL) is unreachable at http://127.0.0.1:9" in served.output
    assert "Keycloak (ASTRAVUE_AUTH_URL) is unreachable" in served.output


def test_configuration_warnings_stay_quiet_when_all_is_set() -> None:
    settings = load_settings(
        _env_file=None,
        slack_bot_token="xoxb-1-ok",
        slack_signing_secret="s" * 32,
        public_url="https://bot.example.com",
        astravue_client_id="astravue-slack",
    )
    assert configuration_warnings(settings) == []
    plain_http = load_settings(
        _env_file=None,
        slack_bot_token="xoxb-1-ok",
        slack_signing_secret="s" * 32,
        public_url="http://bot.example.com",
        astravue_client_id="astravue-slack",
    )
    assert "https://" in configuration_warnings(plain_http)[0]
    assert configuration_warnings(load_settings(_env_file=None)) == []  # Slack not set up yet
