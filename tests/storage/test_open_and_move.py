"""`open_position` and `move_position`: the one-statement reads and page turns, alone and in
bursts (where many readers share a statement), with their edge cases."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from bot.storage import Position, ReadingStore
from tests.storage.tracing import trace_statements


async def test_open_saves_a_new_reader_at_the_first_place(
    store: ReadingStore, raw: sqlite3.Connection
) -> None:
    opened = await store.open_position(1, "story", 0, 0)
    assert (opened.user_id, opened.story_id, opened.scene, opened.page) == (1, "story", 0, 0)
    assert opened.notice is None
    assert raw.execute("SELECT scene, page FROM positions").fetchall() == [(0, 0)]
    assert await store.get_position(1, "story") == opened


async def test_open_gives_the_saved_place_and_keeps_its_notice(store: ReadingStore) -> None:
    saved = await store.set_position(1, "story", 4, 2, notice="The story was shortened.")
    opened = await store.open_position(1, "story", 0, 0)
    assert (opened.scene, opened.page, opened.notice) == (4, 2, saved.notice)
    assert opened.updated_at > saved.updated_at  # it counts as read just now


async def test_open_makes_the_story_the_most_recent(store: ReadingStore) -> None:
    await store.set_position(1, "first", 0, 0)
    await store.set_position(1, "second", 0, 0)
    await store.open_position(1, "first", 0, 0)
    assert [p.story_id for p in await store.positions_for_user(1)] == ["first", "second"]


async def test_open_refuses_a_negative_first_place(store: ReadingStore) -> None:
    with pytest.raises(ValueError, match="0-based"):
        await store.open_position(1, "story", -1, 0)


async def test_a_burst_of_opens_is_one_statement_per_hundred_readers(
    store: ReadingStore,
) -> None:
    for user in range(0, 250, 2):  # every other reader has a place already
        await store.set_position(user, "story", 3, user % 7)
    statements = await trace_statements(store)
    opens = (store.open_position(user, "story", 0, 0) for user in range(250))
    opened = await asyncio.gather(*opens)
    for user, position in enumerate(opened):
        assert position.user_id == user
        expected = (3, user % 7) if user % 2 == 0 else (0, 0)
        assert (position.scene, position.page) == expected
    inserts = [sql for sql in statements if sql.lstrip().upper().startswith("INSERT")]
    assert 3 <= len(inserts) <= 6  # at most 100 rows per statement, few rounds


async def test_two_opens_of_one_reader_together_agree(store: ReadingStore) -> None:
    first, second = await asyncio.gather(
        store.open_position(1, "story", 2, 0), store.open_position(1, "story", 2, 0)
    )
    assert (first.scene, first.page) == (second.scene, second.page) == (2, 0)
    assert len(await store.positions_for_user(1)) == 1


async def test_move_from_the_saved_place(store: ReadingStore) -> None:
    saved = await store.set_position(1, "story", 2, 1, notice="kept")
    moved = await store.move_position(1, "story", (2, 1), (3, 0))
    assert moved is not None
    assert (moved.scene, moved.page, moved.notice) == (3, 0, "kept")
    assert moved.updated_at > saved.updated_at
    assert await store.get_position(1, "story") == moved


@pytest.mark.parametrize("expected", [(2, 0), (0, 1), (5, 5)])
async def test_move_from_elsewhere_changes_nothing(
    store: ReadingStore, expected: tuple[int, int]
) -> None:
    saved = await store.set_position(1, "story", 2, 1)
    assert await store.move_position(1, "story", expected, (9, 9)) is None
    assert await store.get_position(1, "story") == saved


async def test_move_of_a_reader_with_no_place_is_none(store: ReadingStore) -> None:
    assert await store.move_position(1, "story", (0, 0), (0, 1)) is None
    assert await store.get_position(1, "story") is None


async def test_move_touches_only_its_reader_and_story(store: ReadingStore) -> None:
    for user, story in ((1, "a"), (1, "b"), (2, "a")):
        await store.set_position(user, story, 0, 0)
    await store.move_position(1, "a", (0, 0), (0, 1))
    places = {
        (p.user_id, p.story_id): (p.scene, p.page)
        for user in (1, 2)
        for p in await store.positions_for_user(user)
    }
    assert places == {(1, "a"): (0, 1), (1, "b"): (0, 0), (2, "a"): (0, 0)}


async def test_move_refuses_a_negative_target(store: ReadingStore) -> None:
    await store.set_position(1, "story", 0, 0)
    with pytest.raises(ValueError, match="0-based"):
        await store.move_position(1, "story", (0, 0), (0, -1))


async def test_two_moves_of_one_reader_from_one_place_apply_once(store: ReadingStore) -> None:
    """A double click: both turns start from the page on screen; only the first can match."""
    await store.set_position(1, "story", 0, 0)
    results = await asyncio.gather(
        store.move_position(1, "story", (0, 0), (0, 1)),
        store.move_position(1, "story", (0, 0), (0, 1)),
    )
    assert sum(result is not None for result in results) == 1
    position = await store.get_position(1, "story")
    assert position is not None
    assert (position.scene, position.page) == (0, 1)
    assert len(store._position_locks) == 0


async def test_a_burst_of_moves_shares_statements_and_moves_each_reader(
    store: ReadingStore,
) -> None:
    for user in range(64):
        await store.set_position(user, "story", 1, user)
    statements = await trace_statements(store)
    stale = set(range(0, 64, 8))  # these readers press on a page they are no longer on
    moved = await asyncio.gather(
        *(
            store.move_position(user, "story", (1, user + (user in stale)), (2, user))
            for user in range(64)
        )
    )
    for user, result in enumerate(moved):
        if user in stale:
            assert result is None
        else:
            assert isinstance(result, Position)
            assert (result.user_id, result.scene, result.page) == (user, 2, user)
    updates = [sql for sql in statements if "UPDATE POSITIONS" in sql.upper()]
    assert 1 <= len(updates) < 64
    for user in range(64):
        position = await store.get_position(user, "story")
        assert position is not None
        assert position.scene == (1 if user in stale else 2)
