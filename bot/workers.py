"""`serve --workers N`: N HTTP processes sharing one listening socket.

The parent binds the port and prepares the database once, then starts N worker processes
(spawned, so no state is inherited but the socket) and supervises them: a worker that dies
is started again, and SIGTERM or SIGINT stops them all. The kernel hands each connection to
one of the workers accepting on the shared socket.

The poller: PostgreSQL leases (`FOR UPDATE SKIP LOCKED`) let every worker run it, sharing
the users. SQLite has one writer at a time, so there only the first worker runs it (and
only that one answers Socket Mode and prints the start-up warnings in every case).
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import signal
import socket
import sys
import time
from collections.abc import Callable, Coroutine, MutableSequence
from dataclasses import dataclass
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.config import Settings

log = logging.getLogger("bot.workers")

# A worker that exits by itself this soon after starting failed at start-up (configuration,
# database): starting it again would only repeat the failure, so the whole server stops. One
# killed by a signal (the OOM killer, an operator) is started again at any age.
START_UP_FAILURE = 10.0
STOP_WITHIN = 30.0


WORKERS_HELP = (
    "HTTP processes on the port (default: the number of cores); with SQLite one of them runs "
    "the poller, with PostgreSQL all do"
)


def default_workers() -> int:
    """The cores this process may run on (its CPU affinity, where the OS reports one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def worker_count(text: str) -> int:
    """`--workers` as argparse reads it: a whole number, 1 or more."""
    try:
        count = int(text)
    except ValueError:
        count = 0
    if count < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes (1 or more)")
    return count


def runs_scheduler(index: int, *, scheduler_enabled: bool, is_sqlite: bool) -> bool:
    """Every worker polls on PostgreSQL (leases share the users); only the first on SQLite."""
    return scheduler_enabled and (index == 0 or not is_sqlite)


@dataclass
class Worker:
    index: int
    process: BaseProcess
    started: float


@dataclass(frozen=True)
class Entry:
    """What a worker runs (`bot.cli`'s functions, passed in: this module never imports the
    CLI): `load` reads the settings with the command line's overrides, `serve` serves."""

    load: Callable[..., Settings]
    serve: Callable[..., Coroutine[Any, Any, None]]
    prepare: Callable[[Settings], Coroutine[Any, Any, None]]


def _worker_main(
    entry: Entry,
    index: int,
    overrides: dict[str, Any],
    socket_mode: bool,
    listener: socket.socket,
    ack_slots: MutableSequence[float],
) -> None:
    """Worker process body: the same `serve` as one process, on the inherited socket."""
    import asyncio

    from bot.config import ConfigError
    from bot.listeners.ack_gate import AckBoard

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it sends SIGTERM
    settings = entry.load(**overrides)
    settings = settings.model_copy(
        update={
            "scheduler_enabled": runs_scheduler(
                index,
                scheduler_enabled=settings.scheduler_enabled,
                is_sqlite=settings.is_sqlite,
            )
        }
    )
    try:
        asyncio.run(
            entry.serve(
                settings,
                socket_mode=socket_mode and index == 0,
                listener=listener,
                worker=index,
                ack_board=AckBoard(ack_slots, index),
            )
        )
    except ConfigError as exc:
        print(f"astravue-bot: {exc}", file=sys.stderr)
        sys.exit(2)


class Supervisor:
    def __init__(
        self,
        entry: Entry,
        count: int,
        overrides: dict[str, Any],
        socket_mode: bool,
        listener: socket.socket,
    ) -> None:
        self.entry = entry
        self.count = count
        self.overrides = overrides
        self.socket_mode = socket_mode
        self.listener = listener
        self.context = multiprocessing.get_context("spawn")
        # Each worker's lazy work waits for the acks of all (bot.listeners.ack_gate; imported
        # here: it pulls in Bolt, which the CLI's other commands do without).
        from bot.listeners.ack_gate import shared_slots

        self.ack_slots = shared_slots(self.context, count)
        self.workers: dict[int, Worker] = {}
        self.stopping = False

    def start(self, index: int) -> None:
        process = self.context.Process(
            target=_worker_main,
            args=(
                self.entry,
                index,
                self.overrides,
                self.socket_mode,
                self.listener,
                self.ack_slots,
            ),
            name=f"astravue-bot worker {index + 1}",
        )
        process.start()
        self.workers[index] = Worker(index, process, time.monotonic())

    def _stop(self, signum: int, _frame: FrameType | None) -> None:
        self.stopping = True

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        for index in range(self.count):
            self.start(index)
        status = 0
        try:
            while not self.stopping:
                sentinels = {w.process.sentinel: w for w in self.workers.values()}
                for ready in wait(list(sentinels), timeout=0.5):
                    worker = sentinels[ready]  # type: ignore[index]
                    worker.process.join()
                    code = worker.process.exitcode
                    if self.stopping:
                        break
                    if (
                        code is not None
                        and code >= 0
                        and (time.monotonic() - worker.started < START_UP_FAILURE)
                    ):
                        log.error(
                            "worker %d exited at start-up (status %s): stopping",
                            worker.index + 1,
                            code,
                        )
                        self.stopping, status = True, code or 1
                        break
                    log.warning(
                        "worker %d exited (status %s): starting it again", worker.index + 1, code
                    )
                    self.start(worker.index)
        finally:
            self.shutdown()
        return status

    def shutdown(self) -> None:
        for worker in self.workers.values():
            if worker.process.is_alive():
                worker.process.terminate()
        deadline = time.monotonic() + STOP_WITHIN
        for worker in self.workers.values():
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()


def serve_workers(
    entry: Entry, count: int, settings: Settings, overrides: dict[str, Any], socket_mode: bool
) -> int:
    """Bind the port and prepare the database once, then run `count` workers on it until
    stopped; the exit status."""
    import asyncio

    from bot.startup_checks import bind_port
    from bot.wiring import resolve_keyring

    listener = bind_port(settings.port)  # first: a taken port is one line, before any work
    listener.listen(2048)  # connections queue while the workers start
    resolve_keyring(settings)  # a missing key is one line here; SQLite's key file made once
    asyncio.run(entry.prepare(settings))
    log.info("serving on port %s with %d worker processes", settings.port, count)
    return Supervisor(entry, count, overrides, socket_mode, listener).run()
