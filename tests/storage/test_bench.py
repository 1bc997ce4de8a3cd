"""The storage benchmark runs (no timing asserted: that is the benchmark's job)."""

from __future__ import annotations

import pytest

from bench.bench_storage import main


def test_bench_quick_run_reports_throughputs(capsys: pytest.CaptureFixture[str]) -> None:
    result = main(["--quick"])
    assert result.store_per_second > 0
    assert result.raw_per_second > 0
    assert result.ratio > 0
    assert result.rounds == 1
    assert "position writes: store " in capsys.readouterr().out
