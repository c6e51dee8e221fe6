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
    last = out.strip().splitlines()[-1]
    assert re.fullmatch(
        r"dispatch, our p99 over bare Bolt's: ratio \d+\.\d\dx \(target 1\.20x or less\) "
        r"(met|missed)",
        last,
    ), out


def test_poll_benchmark_brackets_each_round_by_floors(capsys: pytest.CaptureFixture[str]) -> None:
    assert poll_cycle.main(["--quick", "--rounds", "2"]) == 0
    out = capsys.readouterr().out
    # 50 users, 100 polls over two rounds, none failed; three floors (before, between, after)
    row = r"^50\s+100\s+0\s+.*\s2\s+[\d.]+ ms\s+[\d.]+ ms \(([\d.]+ ms(, )?){3}\)"
    assert re.search(row, out, re.MULTILINE), out
    last = out.strip().splitlines()[-1]
    assert re.fullmatch(
        r"poll CPU per user over the floor \(SQLite, 50 users\): ratio \d+\.\d\dx "
        r"\(target 1\.60x or less\) (met|missed)",
        last,
    ), out
