"""The writer task: batching, failure isolation, flushing on close, use after close."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path

import pytest

from bot.storage import ReadingStore, StoreClosed
from tests.storage.tracing import first_words, trace_statements


async def test_concurrent_position_writes_share_one_statement(
    store: ReadingStore, raw: sqlite3.Connection
) -> None:
    statements = await trace_statements(store)
    await asyncio.gather(*(store.set_position(user, "story", 1, user) for user in range(64)))
    inserts = [sql for sql in statements if sql.lstrip().upper().startswith("INSERT")]
    assert 1 <= len(inserts) < 64  # rows of many readers in each statement
    # A round of one statement is its own transaction: no BEGIN or COMMIT trips.
    assert "BEGIN IMMEDIATE" not in first_words(statements)
    assert raw.execute("SELECT count(*) FROM positions").fetchone() == (64,)
    assert raw.execute("SELECT sum(page) FROM positions").fetchone() == (sum(range(64)),)


async def test_a_round_of_several_statements_is_one_transaction(
    store: ReadingStore, raw: sqlite3.Connection
) -> None:
    statements = await trace_statements(store)
    await asyncio.gather(
        store.set_position(1, "story", 0, 1),
        store.set_meta("k", "v"),
        store.set_position(2, "story", 0, 2),
    )
    words = first_words(statements)
    assert words[0] == "BEGIN IMMEDIATE"
    assert words[-1] == "COMMIT"
    assert raw.execute("SELECT count(*) FROM positions").fetchone() == (2,)
    assert await store.get_meta("k") == "v"


async def test_mixed_writes_in_one_batch_keep_their_order(store: ReadingStore) -> None:
    await asyncio.gather(
        store.set_meta("k", "1"),
        store.mark_quote_seen(1, "s", "q"),
        store.set_meta("k", "2"),
        store.add_bookmark(1, "s", 0, 0),
        store.set_meta("k", "3"),
    )
    assert await store.get_meta("k") == "3"
    assert await store.seen_quotes(1, "s") == {"q"}
    assert len(await store.list_bookmarks(1, "s")) == 1


async def test_a_failing_write_fails_only_its_caller(
    store: ReadingStore, raw: sqlite3.Connection, caplog: pytest.LogCaptureFixture
) -> None:
    good = [store.set_position(user, "story", 2, 0) for user in range(20)]
    bad = store.set_meta("key", None)  # type: ignore[arg-type]  # NOT NULL violation
    with caplog.at_level(logging.WARNING, logger="bot.storage.store"):
        results = await asyncio.gather(*good[:10], bad, *good[10:], return_exceptions=True)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert len(errors) == 1
    assert isinstance(results[10], sqlite3.IntegrityError)
    assert raw.execute("SELECT count(*) FROM positions").fetchone() == (20,)
    assert raw.execute("SELECT count(*) FROM meta").fetchone() == (0,)
    assert any("retrying one by one" in r.getMessage() for r in caplog.records)
    # The writer goes on.
    await store.set_meta("key", "fine")
    assert await store.get_meta("key") == "fine"


async def test_close_commits_writes_already_asked_for(db_path: Path) -> None:
    store = await ReadingStore.open(db_path)
    writes = [asyncio.create_task(store.set_position(user, "story", 3, 3)) for user in range(100)]
    await asyncio.sleep(0)  # the writes are queued, not yet committed
    await store.close()
    assert all(task.done() and task.exception() is None for task in writes)
    async with await ReadingStore.open(db_path) as reopened:
        assert len(await reopened.positions_for_story("story")) == 100


async def test_store_refuses_work_after_close(db_path: Path) -> None:
    store = await ReadingStore.open(db_path)
    await store.close()
    await store.close()  # closing twice is fine
    with pytest.raises(StoreClosed):
        await store.set_position(1, "story", 0, 0)
    with pytest.raises(StoreClosed):
        await store.get_position(1, "story")


async def test_a_cancelled_caller_does_not_break_the_writer(store: ReadingStore) -> None:
    task = asyncio.create_task(store.set_position(1, "story", 1, 1))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert (await store.set_position(2, "story", 2, 2)).page == 2
    assert await store.get_position(2, "story") is not None


async def test_writer_death_fails_waiting_callers_instead_of_hanging(
    store: ReadingStore, caplog: pytest.LogCaptureFixture
) -> None:
    async with store._tx_lock:  # the writer takes the batch, then waits for this lock
        waiting = asyncio.create_task(store.set_position(1, "story", 0, 0))
        await asyncio.sleep(0.01)
        with caplog.at_level(logging.ERROR, logger="bot.storage.store"):
            store._writer.cancel()
            await asyncio.sleep(0.01)
    with pytest.raises(StoreClosed, match="writer stopped"):
        await waiting
    with pytest.raises(StoreClosed):
        await store.set_position(2, "story", 0, 0)
    assert any("writer stopped" in r.getMessage() for r in caplog.records)
    await store.close()  # still closes cleanly


async def test_a_locked_database_fails_the_batch_at_once(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with await ReadingStore.open(db_path, busy_timeout_ms=50) as store:
        other = sqlite3.connect(db_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        try:
            with caplog.at_level(logging.WARNING, logger="bot.storage.store"):
                results = await asyncio.gather(
                    *(store.set_position(user, "story", 0, 0) for user in range(10)),
                    return_exceptions=True,
                )
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert all(isinstance(r, sqlite3.OperationalError) for r in results)
        assert "locked" in str(results[0])
        # Not retried one by one: each retry would have waited out the busy timeout again.
        assert not any("retrying one by one" in r.getMessage() for r in caplog.records)
        # Once the lock is gone, writing works again.
        assert (await store.set_position(1, "story", 5, 5)).scene == 5
        assert await store.get_position(1, "story") is not None
