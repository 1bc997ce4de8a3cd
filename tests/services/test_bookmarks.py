"""BookmarkService: where a bookmark goes, labels, and privacy."""

from __future__ import annotations

import dataclasses

import pytest

from bot.library.library import Library
from bot.library.model import StoryMetadata
from bot.services.bookmarks import (
    BadBookmarkChoice,
    BookmarkService,
    NoteTooLong,
    NotStarted,
    bookmark_label,
    parse_bookmark_id,
)
from bot.services.reading import ReadingService
from bot.storage.errors import BookmarkNotFound
from bot.storage.interface import Storage
from tests.bot.harness import (
    SEED_ID,
    anchor_at,
    now,
    page_place,
    put_place,
    seed_library,
    seed_story,
)

ALICE, BOB = 1, 2


def test_parse_bookmark_id() -> None:
    assert parse_bookmark_id(" 12 ") == 12
    for bad in ("", "abc", "-3", "1" * 30):
        with pytest.raises(BadBookmarkChoice):
            parse_bookmark_id(bad)


async def test_labels_fit_in_a_choice(store: Storage) -> None:
    story = seed_library().get(SEED_ID)
    long_title = dataclasses.replace(
        story, metadata=dataclasses.replace(story.metadata, title="T" * 300)
    )
    library = Library([long_title])
    mark = await store.add_bookmark(
        ALICE, SEED_ID, anchor_at(story, 2, 1), "n" * 100, asked_at=now()
    )
    assert mark is not None
    label = bookmark_label(mark, library)
    assert len(label) <= 100
    assert "Scene 3, page 2" in label
    gone = bookmark_label(mark, Library([]))
    assert gone.startswith(f"{SEED_ID} (gone) — Scene 3")
    assert isinstance(story.metadata, StoryMetadata)


async def test_add_open_remove_are_per_reader(store: Storage, reading: ReadingService) -> None:
    marks = BookmarkService(store, reading)
    with pytest.raises(NotStarted):
        await marks.add(ALICE, None, "early", at=now())
    await put_place(store, ALICE, seed_story(), 2, 1)
    with pytest.raises(NoteTooLong):
        await marks.add(ALICE, None, "x" * 101, at=now())
    mark = await marks.add(ALICE, None, "  kept  ", at=now())
    assert (page_place(seed_story(), mark.place), mark.note) == ((2, 1), "kept")
    await put_place(store, ALICE, seed_story(), 0, 0)

    with pytest.raises(BookmarkNotFound):
        await marks.find(BOB, str(mark.id))
    with pytest.raises(BookmarkNotFound):
        await marks.remove(BOB, mark.id)
    assert await marks.choices(BOB, "") == []

    found = await marks.find(ALICE, str(mark.id))
    assert found.exact
    assert (found.page.scene, found.page.number) == (2, 1)
    assert await marks.choices(ALICE, "KEPT") == [
        ("Lay Your Heart Bare — Scene 3, page 2 — kept", str(mark.id))
    ]
    assert await marks.remove(ALICE, str(mark.id)) == mark
    assert await marks.all(ALICE) == []
