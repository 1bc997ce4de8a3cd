"""The dispatch benchmark runs in quick mode (no timing asserted: that is the benchmark's job)."""

from __future__ import annotations

import pytest

from bench.bench_dispatch import main


def test_bench_quick_run_reports_both_sides(capsys: pytest.CaptureFixture[str]) -> None:
    result = main(["--quick"])
    assert result.runs == 1
    assert result.readers == 5
    assert result.story.per_second > 0
    assert result.null.per_second > 0
    assert result.story.p99_ms >= result.story.p50_ms > 0
    assert result.ratio > 0
    out = capsys.readouterr().out
    assert "/read + Next" in out
    assert "ratio" in out
