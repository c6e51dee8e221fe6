"""The feed cycle benchmark still runs end to end and ends with its verdict line (no
threshold here: figures vary by machine)."""

from __future__ import annotations

import re

import pytest

from bench import feed_cycle


@pytest.mark.timeout(300)
def test_feed_cycle_benchmark_polls_every_feed_and_prints_its_ratio(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert feed_cycle.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^50\s+50\s+0\s+0\s", out, re.MULTILINE), out  # polled all, none failed
    last = out.strip().splitlines()[-1]
    assert re.fullmatch(r"ratio \d+\.\d\dx \(target <= 1\.30x\) (met|missed)", last), last
