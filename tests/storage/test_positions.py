"""Reading positions: set, update atomically per reader, notices, listing, persistence."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.storage import Position, ReadingStore, Storage


def test_reading_store_implements_the_storage_interface() -> None:
    # Checked by mypy: a ReadingStore is usable wherever a Storage is expected.
    def as_storage(store: ReadingStore) -> Storage:
        return store

    assert callable(as_storage)


async def test_unknown_position_is_none(store: ReadingStore) -> None:
    assert await store.get_position(1, "story") is None
    assert await store.positions_for_user(1) == []
    assert await store.positions_for_story("story") == []


async def test_set_position_returns_what_is_stored(store: ReadingStore) -> None:
    before = datetime.now(UTC)
    written = await store.set_position(1, "story", 3, 2)
    assert written == Position(1, "story", 3, 2, written.updated_at, None)
    assert before - timedelta(seconds=1) <= written.updated_at <= datetime.now(UTC)
    assert written.updated_at.tzinfo is not None
    assert await store.get_position(1, "story") == written


async def test_set_position_is_committed_before_it_returns(
    store: ReadingStore, raw: sqlite3.Connection
) -> None:
    await store.set_position(5, "story", 4, 1)
    # Another connection sees only committed rows.
    rows = raw.execute("SELECT scene, page FROM positions WHERE user_id = 5").fetchall()
    assert rows == [(4, 1)]


async def test_set_position_overwrites_and_replaces_notice(store: ReadingStore) -> None:
    await store.set_position(1, "story", 0, 0, notice="moved")
    moved = await store.get_position(1, "story")
    assert moved is not None
    assert moved.notice == "moved"
    await store.set_position(1, "story", 1, 5)
    position = await store.get_position(1, "story")
    assert position is not None
    assert (position.scene, position.page, position.notice) == (1, 5, None)


async def test_clear_notice_keeps_the_place(store: ReadingStore) -> None:
    set_at = await store.set_position(1, "story", 2, 3, notice="The story was shortened.")
    await store.clear_notice(1, "story")
    assert await store.get_position(1, "story") == Position(1, "story", 2, 3, set_at.updated_at)
    await store.clear_notice(2, "nothing")  # no row: nothing happens
    assert await store.get_position(2, "nothing") is None


async def test_negative_places_are_refused(store: ReadingStore) -> None:
    with pytest.raises(ValueError, match="0-based"):
        await store.set_position(1, "story", -1, 0)
    with pytest.raises(ValueError, match="0-based"):
        await store.update_position(1, "story", lambda _: (0, -2))
    assert await store.get_position(1, "story") is None


async def test_delete_position(store: ReadingStore) -> None:
    await store.set_position(1, "a", 0, 0)
    await store.set_position(1, "b", 0, 0)
    assert await store.delete_position(1, "a") is True
    assert await store.delete_position(1, "a") is False
    assert await store.get_position(1, "a") is None
    assert await store.get_position(1, "b") is not None


async def test_positions_for_user_most_recent_first(store: ReadingStore) -> None:
    for story in ("a", "b", "c"):
        await store.set_position(1, story, 0, 0)
    await store.set_position(1, "a", 1, 0)  # now the most recent
    await store.set_position(2, "z", 0, 0)
    listed = await store.positions_for_user(1)
    assert [p.story_id for p in listed] == ["a", "c", "b"]
    assert [p.updated_at for p in listed] == sorted((p.updated_at for p in listed), reverse=True)


async def test_positions_for_story(store: ReadingStore) -> None:
    await store.set_position(3, "a", 1, 1)
    await store.set_position(1, "a", 2, 2)
    await store.set_position(2, "b", 3, 3)
    assert [(p.user_id, p.scene) for p in await store.positions_for_story("a")] == [(1, 2), (3, 1)]


async def test_update_position_computes_from_current(store: ReadingStore) -> None:
    seen: list[Position | None] = []

    def next_page(current: Position | None) -> tuple[int, int]:
        seen.append(current)
        return (0, 0) if current is None else (current.scene, current.page + 1)

    first = await store.update_position(1, "story", next_page)
    second = await store.update_position(1, "story", next_page)
    assert (first.scene, first.page) == (0, 0)
    assert (second.scene, second.page) == (0, 1)
    assert seen == [None, first]
    assert await store.get_position(1, "story") == second


async def test_update_position_keeps_a_pending_notice(store: ReadingStore) -> None:
    await store.set_position(1, "story", 9, 0, notice="moved to the last page")
    updated = await store.update_position(1, "story", lambda p: (0, 0))
    assert updated.notice == "moved to the last page"
    assert await store.get_position(1, "story") == updated


async def test_update_position_writes_nothing_when_compute_fails(store: ReadingStore) -> None:
    await store.set_position(1, "story", 1, 1)

    def broken(_: Position | None) -> tuple[int, int]:
        raise LookupError("no such scene")

    with pytest.raises(LookupError):
        await store.update_position(1, "story", broken)
    position = await store.get_position(1, "story")
    assert position is not None
    assert (position.scene, position.page) == (1, 1)
    # The reader's lock was released: the next update goes through.
    assert (await store.update_position(1, "story", lambda p: (2, 2))).scene == 2


async def test_concurrent_updates_for_one_reader_are_all_applied(store: ReadingStore) -> None:
    await store.set_position(1, "story", 0, 0)

    def increment(current: Position | None) -> tuple[int, int]:
        assert current is not None
        return current.scene, current.page + 1

    results = await asyncio.gather(
        *(store.update_position(1, "story", increment) for _ in range(200))
    )
    final = await store.get_position(1, "story")
    assert final is not None
    assert final.page == 200
    # One after the other: every intermediate value was produced exactly once.
    assert sorted(r.page for r in results) == list(range(1, 201))
    assert len(store._position_locks) == 0  # per-reader locks do not pile up


async def test_set_and_update_for_one_reader_do_not_lose_writes(store: ReadingStore) -> None:
    await store.set_position(1, "story", 0, 0)

    def increment(current: Position | None) -> tuple[int, int]:
        assert current is not None
        return current.scene + 1, current.page

    # Sets move the page only, updates the scene only: none may undo another.
    calls = []
    for n in range(50):
        calls.append(store.update_position(1, "story", increment))
        calls.append(store.set_position(1, "story", n + 1, n + 1))
    await asyncio.gather(*calls)
    final = await store.get_position(1, "story")
    assert final is not None
    # The last call was a set to (50, 50): nothing written after it.
    assert (final.scene, final.page) == (50, 50)


async def test_many_readers_concurrently_each_end_right(
    store: ReadingStore, raw: sqlite3.Connection
) -> None:
    async def reader(user_id: int) -> None:
        for turn in range(20):
            await store.set_position(user_id, f"story-{user_id % 3}", turn, user_id)

    await asyncio.gather(*(reader(user_id) for user_id in range(100)))
    for user_id in range(100):
        position = await store.get_position(user_id, f"story-{user_id % 3}")
        assert position is not None
        assert (position.scene, position.page) == (19, user_id)
    assert raw.execute("SELECT count(*), sum(scene) FROM positions").fetchone() == (100, 1900)


async def test_positions_survive_a_restart(db_path: Path) -> None:
    async with await ReadingStore.open(db_path) as store:
        written = await store.set_position(42, "story", 7, 3, notice="hello")
    async with await ReadingStore.open(db_path) as store:
        assert await store.get_position(42, "story") == written


async def test_a_move_cancelled_while_waiting_for_its_reader_leaves_no_lock(
    store: ReadingStore,
) -> None:
    await store.set_position(1, "story", 0, 0)
    release = asyncio.Event()

    async def slow_compute_holder() -> None:
        async with store._position_locks.hold((1, "story")):
            await release.wait()

    holder = asyncio.create_task(slow_compute_holder())
    await asyncio.sleep(0)
    waiting = asyncio.create_task(store.move_position(1, "story", (0, 0), (0, 1)))
    await asyncio.sleep(0)
    assert len(store._position_locks) == 1
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    release.set()
    await holder
    assert len(store._position_locks) == 0
    position = await store.get_position(1, "story")
    assert position is not None
    assert (position.scene, position.page) == (0, 0)  # the cancelled move did nothing
