"""The dispatch benchmark runs in quick mode (no timing asserted: that is the benchmark's job)."""

from __future__ import annotations

import gc

import pytest

from bench.bench_dispatch import main


def test_bench_quick_run_reports_both_sides(capsys: pytest.CaptureFixture[str]) -> None:
    result = main(["--quick"])
    assert result.runs == 1
    assert result.readers == 5
    for side in (result.story, result.null, result.persistent_null):
        assert side.per_second > 0
        assert side.p99_ms >= side.p50_ms > 0
    assert result.ratio > 0
    assert result.ratio_to_persistent > 0
    out = capsys.readouterr().out
    for name in ("/read + Next", "null", "persistent null", "ratio"):
        assert name in out
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0  # the benchmark leaves the collector as it found it
