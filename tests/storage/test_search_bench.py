"""The search benchmark runs on both backends (no timing asserted: that is its job)."""

from __future__ import annotations

import asyncio

import pytest

from bench.bench_search import QUERIES, main


async def test_bench_quick_run_reports_both_backends(
    postgres_admin_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    results = await asyncio.to_thread(main, ["--quick", "--postgres-url", postgres_admin_url])
    assert [result.backend for result in results] == ["sqlite", "postgresql"]
    for result in results:
        assert result.library_books == 3
        assert len(result.searches_ms) == 3 * len(QUERIES) * 2  # books, queries, two readers
        assert set(result.per_query_ms) == set(QUERIES)
        assert 0 < result.p50_ms <= result.p99_ms
        assert result.index_s > 0
        assert result.library_s > 0
        assert result.reconcile_ms > 0
        assert result.sync_ms > 0
    out = capsys.readouterr().out
    assert "sqlite: index Amphitryon" in out
    assert "postgresql: start, nothing changed" in out
