"""The dispatch benchmark still runs end to end (no threshold: figures vary by machine)."""

from __future__ import annotations

import re

import pytest

from bench import dispatch


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
