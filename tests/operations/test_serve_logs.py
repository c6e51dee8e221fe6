"""What `serve` prints at LOG_LEVEL=INFO: what an operator needs, not library chatter."""

from __future__ import annotations

import os
import sys
import urllib.request
from pathlib import Path

from tests.operations.serving import serving


def test_info_logs_leave_out_migration_chatter_and_the_bolt_token_notice(tmp_path: Path) -> None:
    env = {"PATH": os.environ.get("PATH", ""), "LOG_LEVEL": "INFO", "SCHEDULER_ENABLED": "false",
           "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/serve.db",
           "SLACK_BOT_TOKEN": "xoxb-1-serve-logs", "SLACK_SIGNING_SECRET": "s" * 32}
    with serving([sys.executable, "-m", "bot"], cwd=tmp_path, env=env) as served:
        for _ in range(3):  # each /readyz used to log Alembic's plugin lines again
            with urllib.request.urlopen(f"{served.url}/readyz", timeout=10):  # noqa: S310
                pass
    assert served.ready_status == 200, served.output
    assert "serving on port" in served.output
    assert " alembic." not in served.output, served.output  # the logger names
    assert "will be unused" not in served.output, served.output
