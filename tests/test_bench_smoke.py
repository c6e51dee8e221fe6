"""The dispatch and poll benchmarks still run end to end (no threshold: figures vary by machine)."""

from __future__ import annotations

import re

import pytest

from bench import dispatch, poll_cycle


def test_dispatch_benchmark_prints_its_table_and_ratio(capsys: pytest.CaptureFixture[str]) -> None:
    assert dispatch.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^ours\s+100\s+[\d.]+ ms", out, re.MULTILINE), out
    assert re.search(r"^bare Bolt \(ack only\)\s+100\s+[\d.]+ ms", out, re.MULTILINE), out
    assert_verdict(out, r"dispatch, our p99 over bare Bolt's", "1.20")


def test_poll_benchmark_brackets_each_round_by_floors(capsys: pytest.CaptureFixture[str]) -> None:
    assert poll_cycle.main(["--quick", "--rounds", "2"]) == 0
    out = capsys.readouterr().out
    # 50 users, 100 polls over two rounds, none failed; three floors (before, between, after)
    row = r"^50\s+100\s+0\s+.*\s2\s+[\d.]+ ms\s+[\d.]+ ms \(([\d.]+ ms(, )?){3}\)"
    assert re.search(row, out, re.MULTILINE), out
    assert_verdict(out, r"poll CPU per user over the floor \(SQLite, 50 users\)", "1.60")


def assert_verdict(out: str, label: str, target: str) -> None:
    """The benchmark's last line: its main figure as a ratio, the target, met or missed."""
    last = out.strip().splitlines()[-1]
    verdict = rf"{label}: ratio \d+\.\d\dx \(target {re.escape(target)}x or less\) (met|missed)"
    assert re.fullmatch(verdict, last), out
