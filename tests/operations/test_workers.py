"""`serve --workers N`: N processes accept on one port; the poller runs in one of them on
SQLite and in all of them on PostgreSQL; a worker killed is started again.

Real processes, as an operator starts them: the listening socket is found in /proc/net/tcp
and each process holding it is found by its file descriptors (Linux).
"""

from __future__ import annotations

import concurrent.futures
import os
import re
import signal
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.security.crypto import generate_key_spec
from tests.operations.serving import serving

WORKERS = 2
linux_only = pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads /proc (Linux)")


def _listening_inode(port: int) -> str:
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            fields = row.split()
            if fields[1].endswith(f":{port:04X}") and fields[3] == "0A":  # 0A: LISTEN
                return fields[9]
    raise AssertionError(f"nothing listens on port {port}")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _holds(pid: int, inode: str) -> bool:
    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(fd) == f"socket:[{inode}]":
                return True
        except OSError:
            continue
    return False


def _workers(parent: int, port: int) -> set[int]:
    inode = _listening_inode(port)
    return {pid for pid in _children(parent) if _holds(pid, inode)}


def _until(check, within: float = 60.0):  # type: ignore[no-untyped-def]
    """Poll for a condition (processes start and stop asynchronously), failing after `within`."""
    stop = time.monotonic() + within
    while (result := check()) is None or result is False:
        if time.monotonic() > stop:
            raise AssertionError("condition not met in time")
        time.sleep(0.2)
    return result


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
        return int(response.status)


@linux_only
def test_workers_share_the_port_and_one_is_started_again(tmp_path: Path, database_url: str) -> None:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "LOG_LEVEL": "INFO",
        "SCHEDULER_ENABLED": "true",
        "NOTIFY_POLL_SECONDS": "3600",
        "DATABASE_URL": database_url,
        "TOKEN_ENCRYPTION_KEYS": generate_key_spec(),
    }
    options = ("--workers", str(WORKERS))
    with serving([sys.executable, "-m", "bot"], cwd=tmp_path, env=env, options=options) as served:
        assert served.ready_status == 200
        port = int(served.url.rsplit(":", 1)[1])
        log = tmp_path / f"serve-{port}.log"  # what serving() writes the output to

        def started(worker: int) -> int:
            return log.read_text(encoding="utf-8").count(f"(worker {worker}")

        # Every worker past its start-up (its line is logged once it serves).
        _until(lambda: all(started(w + 1) for w in range(WORKERS)))
        first = _until(lambda: w if len(w := _workers(served.pid, port)) == WORKERS else None)
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(_get, [f"{served.url}/healthz"] * 40))
        assert statuses == [200] * 40

        killed = min(first)
        os.kill(killed, signal.SIGKILL)
        again = _until(
            lambda: (
                w if len(w := _workers(served.pid, port)) == WORKERS and killed not in w else None
            )
        )
        assert len(again & first) == WORKERS - 1
        _until(lambda: sum(started(w + 1) for w in range(WORKERS)) == WORKERS + 1)
        assert _until(lambda: _get(f"{served.url}/readyz") == 200)
    output = served.output
    assert f"with {WORKERS} worker processes" in output, output
    assert "exited (status -9): starting it again" in output, output
    roles = set(re.findall(r"\(worker (\d+)(, poller)?\)", output))
    if database_url.startswith("sqlite"):  # one writer: only worker 1 polls
        assert roles == {("1", ", poller"), ("2", "")}, output
    else:  # the leases share the users among all of them
        assert roles == {("1", ", poller"), ("2", ", poller")}, output


def test_workers_must_be_a_positive_number(tmp_path: Path) -> None:
    import subprocess

    result = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--workers", "0"],
        cwd=tmp_path,
        env={"PATH": os.environ.get("PATH", "")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "'0' is not a number of processes (1 or more)" in result.stderr
    assert "Traceback" not in result.stderr
