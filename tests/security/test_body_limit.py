"""Issue 12 item 2: an unauthenticated 50 MB POST to /slack/events leaves the server's peak
memory flat, whether it declares its size (refused from the headers with 413) or streams it
chunked (reading stops at the limit, 413).

The real server runs as a subprocess (`astravue-bot serve`); its peak resident size (VmHWM in
/proc) is read before and after. The requests carry fresh timestamps and a junk signature:
what anyone on the Internet can send.
"""

from __future__ import annotations

import os
import select
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.sandbox.server import free_port

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="reads peak memory from /proc (Linux only)"
)

ATTACK_BYTES = 50 * 1024 * 1024
PIECE = b"x" * 65_536
FLAT_KIB = 6 * 1024  # "flat": the peak may grow by a few MB (allocator noise), not by 50


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[int, int]]:
    """(pid, port) of `astravue-bot serve` on SQLite, ready to answer."""
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "PORT": str(port),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "the-real-secret",
        "SCHEDULER_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_ready(process, port)
        yield process.pid, port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_ready(process: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited: {process.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("serve did not answer /healthz within 60 s")


def _peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM in /proc status")


def _post(port: int, *, chunked: bool) -> int:
    """Send a 50 MB junk-signed POST until the server answers; its HTTP status."""
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {ATTACK_BYTES}"
    head = (
        "POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"X-Slack-Request-Timestamp: {int(time.time())}\r\nX-Slack-Signature: v0=00\r\n"
        f"{framing}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head)
        for _ in range(ATTACK_BYTES // len(PIECE)):
            if select.select([sock], [], [], 0)[0]:
                break  # the server answered before reading it all
            piece = b"%x\r\n%s\r\n" % (len(PIECE), PIECE) if chunked else PIECE
            try:
                sock.sendall(piece)
            except (BrokenPipeError, ConnectionResetError):
                break
        else:
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        status_line = sock.makefile("rb").readline()
    return int(status_line.split()[1])


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_50_mb_unauthenticated_post_leaves_peak_memory_flat(
    server: tuple[int, int], chunked: bool
) -> None:
    pid, port = server
    warm_up = httpx.post(
        f"http://127.0.0.1:{port}/slack/events",
        content=b"x" * 1024,
        headers={"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=00"},
    )
    assert warm_up.status_code == 401  # the code path is loaded before the baseline
    before = _peak_kib(pid)
    status = _post(port, chunked=chunked)
    grown = _peak_kib(pid) - before
    assert grown < FLAT_KIB, f"peak RSS grew by {grown} KiB on a {ATTACK_BYTES} byte request"
    assert status == 413
