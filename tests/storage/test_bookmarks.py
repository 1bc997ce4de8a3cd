"""Bookmarks on both backends: add, list, find, remove, the limit, moves for a changed text."""

from __future__ import annotations

import asyncio

import pytest

from bot.library.anchors import PagePlace
from bot.storage.errors import BookmarkLimitReached, BookmarkNotFound
from bot.storage.interface import Storage
from bot.storage.records import MAX_BOOKMARKS_PER_STORY, MAX_NOTE_LENGTH, BookmarkMove
from tests.storage.helpers import anchor, now


async def test_an_added_bookmark_reads_back(storage: Storage) -> None:
    added = await storage.add_bookmark(1, "story", anchor(2, 3, 4), "a note", asked_at=now())
    assert added is not None
    assert (added.user_id, added.story_id, added.place, added.note) == (
        1,
        "story",
        anchor(2, 3, 4),
        "a note",
    )
    assert await storage.get_bookmark(1, added.id) == added
    assert await storage.list_bookmarks(1) == [added]
    assert await storage.list_bookmarks(1, "story") == [added]
    assert await storage.bookmarks_for_story("story") == [added]


@pytest.mark.parametrize("note", [None, "", "x" * MAX_NOTE_LENGTH, "  spaced  "])
async def test_a_note_is_stored_as_given(storage: Storage, note: str | None) -> None:
    added = await storage.add_bookmark(1, "story", anchor(0), note, asked_at=now())
    assert added is not None
    assert (await storage.get_bookmark(1, added.id)).note == note


async def test_lists_come_oldest_first_and_by_story(storage: Storage) -> None:
    first = await storage.add_bookmark(1, "b", anchor(5), None, asked_at=now())
    second = await storage.add_bookmark(1, "a", anchor(1), None, asked_at=now())
    third = await storage.add_bookmark(1, "b", anchor(0), None, asked_at=now())
    theirs = await storage.add_bookmark(2, "b", anchor(0), None, asked_at=now())
    assert await storage.list_bookmarks(1) == [first, second, third]
    assert await storage.list_bookmarks(1, "b") == [first, third]
    assert await storage.list_bookmarks(1, "none") == []
    assert await storage.bookmarks_for_story("b") == [first, third, theirs]


async def test_someone_elses_bookmark_is_not_found(storage: Storage) -> None:
    added = await storage.add_bookmark(1, "story", anchor(0), None, asked_at=now())
    assert added is not None
    with pytest.raises(BookmarkNotFound):
        await storage.get_bookmark(2, added.id)
    with pytest.raises(BookmarkNotFound):
        await storage.remove_bookmark(2, added.id)
    assert await storage.get_bookmark(1, added.id) == added


async def test_removing_returns_it_once(storage: Storage) -> None:
    added = await storage.add_bookmark(1, "story", anchor(0), "n", asked_at=now())
    assert added is not None
    assert await storage.remove_bookmark(1, added.id) == added
    with pytest.raises(BookmarkNotFound):
        await storage.remove_bookmark(1, added.id)
    with pytest.raises(BookmarkNotFound):
        await storage.get_bookmark(1, added.id)
    assert await storage.list_bookmarks(1) == []


async def test_ids_are_not_reused_after_a_removal(storage: Storage) -> None:
    ids = []
    for scene in range(3):
        added = await storage.add_bookmark(1, "story", anchor(scene), None, asked_at=now())
        assert added is not None
        ids.append(added.id)
    await storage.remove_bookmark(1, ids[-1])
    again = await storage.add_bookmark(1, "story", anchor(9), None, asked_at=now())
    assert again is not None
    assert again.id > max(ids)


async def test_the_limit_is_per_reader_and_story(storage: Storage) -> None:
    for scene in range(MAX_BOOKMARKS_PER_STORY):
        await storage.add_bookmark(1, "story", anchor(scene), None, asked_at=now())
    with pytest.raises(BookmarkLimitReached) as refused:
        await storage.add_bookmark(1, "story", anchor(99), None, asked_at=now())
    assert str(MAX_BOOKMARKS_PER_STORY) in refused.value.user_message
    assert len(await storage.list_bookmarks(1, "story")) == MAX_BOOKMARKS_PER_STORY
    # Other stories and other readers are not affected, and a removal makes room.
    assert await storage.add_bookmark(1, "other", anchor(0), None, asked_at=now()) is not None
    assert await storage.add_bookmark(2, "story", anchor(0), None, asked_at=now()) is not None
    oldest = (await storage.list_bookmarks(1, "story"))[0]
    await storage.remove_bookmark(1, oldest.id)
    assert await storage.add_bookmark(1, "story", anchor(99), None, asked_at=now()) is not None


async def test_concurrent_inserts_at_the_limit_stop_at_the_limit(storage: Storage) -> None:
    """One process, many calls at once: the limit holds (and other readers' saves in the same
    burst are all kept, whatever the refused inserts)."""

    async def add(scene: int) -> bool:
        try:
            return (
                await storage.add_bookmark(1, "story", anchor(scene), None, asked_at=now())
                is not None
            )
        except BookmarkLimitReached:
            return False

    async def turn(user_id: int) -> bool:
        return await storage.save_position(user_id, "story", anchor(7), asked_at=now()) is not None

    results = await asyncio.gather(
        *(add(scene) for scene in range(40)), *(turn(u) for u in range(2, 12))
    )
    assert results[:40].count(True) == MAX_BOOKMARKS_PER_STORY
    assert all(results[40:])
    assert len(await storage.list_bookmarks(1, "story")) == MAX_BOOKMARKS_PER_STORY
    assert len(await storage.positions_for_story("story")) == 10


async def test_move_bookmarks_moves_only_those_still_at_the_old_place(storage: Storage) -> None:
    kept = await storage.add_bookmark(1, "story", anchor(1), "keep", asked_at=now())
    moved = await storage.add_bookmark(2, "story", anchor(1), "move", asked_at=now())
    assert kept is not None
    assert moved is not None
    moves = [
        BookmarkMove(moved.id, anchor(1), anchor(5)),
        BookmarkMove(kept.id, anchor(2), anchor(6)),  # not at anchor(2): stays
        BookmarkMove(kept.id + moved.id + 100, anchor(1), anchor(7)),  # no such bookmark
    ]
    assert await storage.move_bookmarks(moves) == 1
    assert (await storage.get_bookmark(2, moved.id)).place == anchor(5)
    assert (await storage.get_bookmark(2, moved.id)).note == "move"
    assert (await storage.get_bookmark(1, kept.id)).place == anchor(1)
    assert await storage.move_bookmarks([]) == 0


async def test_a_page_place_never_matches_an_anchor(storage: Storage) -> None:
    added = await storage.add_bookmark(1, "story", anchor(1), None, asked_at=now())
    assert added is not None
    assert await storage.move_bookmarks([BookmarkMove(added.id, PagePlace(1, 0), anchor(2))]) == 0
    assert (await storage.get_bookmark(1, added.id)).place == anchor(1)
