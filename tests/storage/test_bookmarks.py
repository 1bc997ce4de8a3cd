"""Bookmarks: notes, ordering, the per-story limit (also under concurrency), ownership."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.storage import (
    MAX_BOOKMARKS_PER_STORY,
    MAX_NOTE_LENGTH,
    Bookmark,
    BookmarkLimitReached,
    BookmarkNotFound,
    ReadingStore,
)
from bot.storage.store import clean_note


async def test_add_get_list_remove(store: ReadingStore) -> None:
    added = await store.add_bookmark(1, "story", 4, 2, "the kiss")
    assert added == Bookmark(added.id, 1, "story", 4, 2, "the kiss", added.created_at)
    assert await store.get_bookmark(1, added.id) == added
    assert await store.list_bookmarks(1, "story") == [added]
    assert await store.remove_bookmark(1, added.id) == added
    assert await store.list_bookmarks(1, "story") == []
    with pytest.raises(BookmarkNotFound):
        await store.get_bookmark(1, added.id)
    with pytest.raises(BookmarkNotFound):
        await store.remove_bookmark(1, added.id)


async def test_ids_are_not_reused(store: ReadingStore) -> None:
    first = await store.add_bookmark(1, "story", 0, 0)
    await store.remove_bookmark(1, first.id)
    second = await store.add_bookmark(1, "story", 0, 0)
    assert second.id > first.id


async def test_list_is_in_reading_order(store: ReadingStore) -> None:
    late = await store.add_bookmark(1, "b", 5, 0)
    early = await store.add_bookmark(1, "b", 1, 3)
    middle = await store.add_bookmark(1, "b", 1, 4)
    other_story = await store.add_bookmark(1, "a", 9, 9)
    await store.add_bookmark(2, "b", 0, 0)  # someone else's
    assert await store.list_bookmarks(1, "b") == [early, middle, late]
    assert await store.list_bookmarks(1) == [other_story, early, middle, late]


async def test_notes_are_cleaned(store: ReadingStore) -> None:
    blank = await store.add_bookmark(1, "story", 0, 0, "   ")
    trimmed = await store.add_bookmark(1, "story", 0, 1, "  hi  ")
    long = await store.add_bookmark(1, "story", 0, 2, "x" * 500)
    assert blank.note is None
    assert trimmed.note == "hi"
    assert long.note is not None
    assert len(long.note) == MAX_NOTE_LENGTH
    assert long.note.endswith("…")
    assert await store.get_bookmark(1, long.id) == long


@given(st.text(max_size=300) | st.none())
def test_clean_note_always_fits(note: str | None) -> None:
    cleaned = clean_note(note)
    if cleaned is not None:
        assert 0 < len(cleaned) <= MAX_NOTE_LENGTH
        assert cleaned == cleaned.strip() or cleaned.endswith("…")
    else:
        assert note is None or not note.strip()


async def test_limit_per_user_and_story(store: ReadingStore) -> None:
    for page in range(MAX_BOOKMARKS_PER_STORY):
        await store.add_bookmark(1, "story", 0, page)
    with pytest.raises(BookmarkLimitReached) as caught:
        await store.add_bookmark(1, "story", 1, 0)
    assert caught.value.limit == MAX_BOOKMARKS_PER_STORY == 25
    assert "25" in caught.value.user_message
    # Other stories and other users are not affected.
    await store.add_bookmark(1, "other", 0, 0)
    await store.add_bookmark(2, "story", 0, 0)
    # Removing one frees a place.
    first = (await store.list_bookmarks(1, "story"))[0]
    await store.remove_bookmark(1, first.id)
    await store.add_bookmark(1, "story", 1, 0)
    assert len(await store.list_bookmarks(1, "story")) == MAX_BOOKMARKS_PER_STORY


async def test_limit_holds_under_concurrency(store: ReadingStore) -> None:
    results = await asyncio.gather(
        *(store.add_bookmark(1, "story", 0, page, f"note {page}") for page in range(30)),
        return_exceptions=True,
    )
    added = [r for r in results if isinstance(r, Bookmark)]
    refused = [r for r in results if isinstance(r, BookmarkLimitReached)]
    assert len(added) == 25
    assert len(refused) == 5
    assert len(await store.list_bookmarks(1, "story")) == 25
    assert len({b.id for b in added}) == 25


async def test_another_users_bookmark_is_not_found(store: ReadingStore) -> None:
    mine = await store.add_bookmark(1, "story", 3, 3, "mine")
    with pytest.raises(BookmarkNotFound) as caught:
        await store.get_bookmark(2, mine.id)
    assert caught.value.user_message
    with pytest.raises(BookmarkNotFound):
        await store.remove_bookmark(2, mine.id)
    assert await store.get_bookmark(1, mine.id) == mine
    assert await store.list_bookmarks(2) == []


async def test_negative_place_is_refused(store: ReadingStore) -> None:
    with pytest.raises(ValueError, match="0-based"):
        await store.add_bookmark(1, "story", 0, -1)
    assert await store.list_bookmarks(1) == []


async def test_bookmarks_survive_a_restart(db_path: Path) -> None:
    async with await ReadingStore.open(db_path) as store:
        kept = await store.add_bookmark(9, "story", 1, 2, "keep me")
    async with await ReadingStore.open(db_path) as store:
        assert await store.list_bookmarks(9) == [kept]
