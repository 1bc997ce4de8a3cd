"""The storage benchmark runs on both backends (no timing asserted: that is its job)."""

from __future__ import annotations

import asyncio

import pytest

from bench.bench_storage import main


async def test_bench_quick_run_reports_both_backends(
    postgres_admin_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    results = await asyncio.to_thread(main, ["--quick", "--postgres-url", postgres_admin_url])
    assert [result.backend for result in results] == ["sqlite", "postgresql"]
    for result in results:
        assert result.rounds == 1
        assert result.store.per_second > 0
        assert result.raw.per_second > 0
        assert 0 < result.store.p50_ms <= result.store.p99_ms
        assert 0 < result.paced.p50_ms <= result.paced.p99_ms
        assert result.paced.per_second > 0
    out = capsys.readouterr().out
    assert "sqlite      store/raw = " in out
    assert "postgresql  store/raw = " in out
