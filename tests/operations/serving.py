"""Run `astravue-bot serve` as a subprocess, as an operator starts it, and keep its output."""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bot.sandbox.server import free_port


@dataclass
class Served:
    url: str
    pid: int = 0
    ready_status: int | None = None
    output: str = field(default="")


@contextmanager
def serving(
    command: Sequence[str],
    *,
    cwd: Path,
    env: dict[str, str],
    ready_within: float = 120,
    options: Sequence[str] = (),
) -> Iterator[Served]:
    """Start `command serve --port N [options]`, wait until /readyz answers 200 (or the
    process exits or the time is up), yield; then stop it and keep everything it printed in
    `output`."""
    port = free_port()
    served = Served(url=f"http://127.0.0.1:{port}")
    log_path = cwd / f"serve-{port}.log"  # a file, not a pipe: a full pipe would block the app
    with log_path.open("w", encoding="utf-8") as log_file:
        process = subprocess.Popen(  # noqa: S603 (our own command, fixed arguments)
            [*command, "serve", "--port", str(port), *options],
            cwd=cwd,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        served.pid = process.pid
        try:
            served.ready_status = _wait_ready(f"{served.url}/readyz", process, ready_within)
            yield served
        finally:
            process.terminate()
            process.wait(timeout=30)
    served.output = log_path.read_text(encoding="utf-8")


def _wait_ready(url: str, process: subprocess.Popen[bytes], within: float) -> int | None:
    stop = time.monotonic() + within
    while time.monotonic() < stop and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310  # nosec B310
                return int(response.status)
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    return None
