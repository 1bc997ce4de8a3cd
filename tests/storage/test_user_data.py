"""Export and erasure of everything stored about a user."""

from __future__ import annotations

import json
from pathlib import Path

from bot.storage import ReadingStore, UserData


async def fill(store: ReadingStore, user_id: int) -> None:
    await store.set_position(user_id, "a", 1, 2, notice="moved")
    await store.set_position(user_id, "b", 3, 4)
    await store.add_bookmark(user_id, "a", 1, 1, "note")
    await store.add_bookmark(user_id, "b", 2, 2)
    await store.mark_quote_seen(user_id, "a", "q1")
    await store.mark_quote_seen(user_id, "a", "q2")
    await store.mark_quote_seen(user_id, "b", "q3")
    await store.set_flag(user_id, "adult_confirmed", "yes")


async def test_export_holds_everything_and_is_json(store: ReadingStore) -> None:
    await fill(store, 1)
    await fill(store, 2)
    data = await store.export_user(1)
    assert data.user_id == 1
    assert data.positions == tuple(await store.positions_for_user(1))
    assert data.bookmarks == tuple(await store.list_bookmarks(1))
    assert data.seen_quotes == {"a": frozenset({"q1", "q2"}), "b": frozenset({"q3"})}
    assert data.flags == {"adult_confirmed": "yes"}
    assert not data.is_empty

    exported = json.loads(json.dumps(data.to_json_dict()))
    assert exported["user_id"] == 1
    assert [p["story_id"] for p in exported["positions"]] == ["b", "a"]
    assert exported["positions"][1]["notice"] == "moved"
    assert exported["bookmarks"][0]["note"] == "note"
    assert exported["seen_quotes"] == {"a": ["q1", "q2"], "b": ["q3"]}
    assert exported["flags"] == {"adult_confirmed": "yes"}


async def test_export_of_unknown_user_is_empty(store: ReadingStore) -> None:
    data = await store.export_user(404)
    assert data == UserData(404)
    assert data.is_empty
    assert json.loads(json.dumps(data.to_json_dict())) == {
        "user_id": 404,
        "positions": [],
        "bookmarks": [],
        "seen_quotes": {},
        "flags": {},
    }


async def test_delete_user_removes_everything_and_only_theirs(store: ReadingStore) -> None:
    await fill(store, 1)
    await fill(store, 2)
    await store.set_meta("command_sync_hash", "abc")
    before = await store.export_user(2)

    # 2 positions + 2 bookmarks + 3 seen quotes + 1 flag
    assert await store.delete_user(1) == 8
    assert (await store.export_user(1)).is_empty
    assert await store.export_user(2) == before
    assert await store.get_meta("command_sync_hash") == "abc"
    assert await store.delete_user(1) == 0


async def test_delete_user_is_committed(db_path: Path) -> None:
    async with await ReadingStore.open(db_path) as store:
        await fill(store, 1)
        await store.delete_user(1)
    async with await ReadingStore.open(db_path) as store:
        assert (await store.export_user(1)).is_empty
