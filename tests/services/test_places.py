"""Places after a changed text: readers stay at the same sentence, or are told once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.library.anchors import anchor_of, locate, text_digest
from bot.library.library import Library
from bot.library.loader import load_library
from bot.library.model import Page, Story
from bot.services import build_services
from bot.services.places import PlacesService
from bot.storage.interface import Storage
from bot.storage.url import open_storage
from tests.bot.harness import SEED_ID, anchor_at, now, page_place, put_place, seed_story

SEED_FILE = Path(__file__).resolve().parents[2] / "texts" / f"{SEED_ID}.txt"
MIGRATION_1 = (
    Path(__file__).resolve().parents[2] / "bot" / "storage" / "migrations" / "sqlite"
) / "0001_initial.sql"
NEW_OPENING = "A scene written later, put before all the others.\n\n\n"


def seed_with(folder: Path, change: str = "") -> Library:
    """The seed in `folder`, with `change` put after its preface (before the first scene)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = SEED_FILE.read_text(encoding="utf-8")
    marker = "Work Text:\n"
    head, _, body = text.partition(marker)
    (folder / SEED_FILE.name).write_text(head + marker + change + body, encoding="utf-8")
    return load_library(folder)[0]


def begins(story: Story, page: Page) -> str:
    return anchor_of(story, page).snippet


async def test_a_scene_inserted_before_them_keeps_every_reader_at_the_same_sentence(
    store: Storage, tmp_path: Path
) -> None:
    old = seed_story()
    for user, page in enumerate(old.pages, start=1):
        await put_place(store, user, old, page.scene, page.number)
    places = PlacesService(store)
    assert await places.reconcile(Library([old])) != []  # never seen: its version is kept
    assert await places.reconcile(Library([old])) == []  # unchanged: nothing to do
    new = seed_with(tmp_path / "texts", NEW_OPENING).get(SEED_ID)
    [done] = await places.reconcile(Library([new]))
    assert done.readers_moved == len(old.pages)
    assert done.readers_gone == 0
    for user, page in enumerate(old.pages, start=1):
        position = await store.get_position(user, SEED_ID)
        assert position is not None
        assert position.notice is None  # nothing to tell: the reader is where they were
        now_on, exact = locate(new, position.place)
        assert exact
        assert now_on.scene == page.scene + 1
        assert begins(new, now_on) == begins(old, page)
    assert (await store.text_versions())[SEED_ID] == text_digest(new)


async def test_a_reader_whose_text_is_gone_is_moved_before_it_and_told_once(
    store: Storage, tmp_path: Path
) -> None:
    old = seed_story()
    await put_place(store, 1, old, 4, 0)  # the last scene
    await put_place(store, 2, old, 0, 0)
    text = SEED_FILE.read_text(encoding="utf-8")
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / SEED_FILE.name).write_text(text[: len(text) // 3], encoding="utf-8")
    services = build_services(store, load_library(folder)[0])
    new = services.library.current.get(SEED_ID)
    [done] = await services.places.reconcile(services.library.current)
    assert done.readers_gone == 1
    told = await services.reading.open(1, new, at=now())
    assert told.page is new.last_page
    assert told.notice is not None
    assert "(scene 5) is gone" in told.notice
    assert (await services.reading.open(1, new, at=now())).notice is None
    untouched = await services.reading.open(2, new, at=now())
    assert (untouched.page.index, untouched.notice) == (0, None)


async def test_bookmarks_follow_their_text_and_a_gone_one_says_so(
    store: Storage, tmp_path: Path
) -> None:
    old = seed_story()
    kept = await store.add_bookmark(1, SEED_ID, anchor_at(old, 2, 1), "kept", asked_at=now())
    assert kept is not None
    new = seed_with(tmp_path / "texts", NEW_OPENING)
    services = build_services(store, new)
    await services.places.reconcile(new)
    [moved] = await store.list_bookmarks(1)
    found = await services.bookmarks.find(1, moved.id)
    assert found.exact
    assert begins(new.get(SEED_ID), found.page) == begins(old, old.scenes[2].pages[1])
    assert page_place(new.get(SEED_ID), moved.place) == (3, 1)


async def test_places_kept_as_page_numbers_become_anchors(tmp_path: Path) -> None:
    """A database of the first schema (places as scene and page numbers) is migrated, and
    its places are turned into anchors of those pages at the first start."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATION_1.read_text(encoding="utf-8"))
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO positions VALUES (7, ?, 2, 1, '2026-01-01T00:00:00.000000+00:00', NULL)",
        (SEED_ID,),
    )
    conn.execute(
        "INSERT INTO bookmarks (user_id, story_id, scene, page, note, created_at)"
        " VALUES (7, ?, 3, 0, 'old', '2026-01-01T00:00:00.000000+00:00')",
        (SEED_ID,),
    )
    conn.commit()
    conn.close()
    store = await open_storage(f"sqlite:///{path}", base=tmp_path)
    try:
        story = seed_story()
        await PlacesService(store).reconcile(Library([story]))
        position = await store.get_position(7, SEED_ID)
        assert position is not None
        assert position.place == anchor_at(story, 2, 1)
        [bookmark] = await store.list_bookmarks(7)
        assert bookmark.place == anchor_at(story, 3, 0)
        assert bookmark.note == "old"
    finally:
        await store.close()
