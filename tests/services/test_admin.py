"""AdminService: compare libraries, swap, clamp readers, keep the old library on failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.library.errors import EmptyLibrary
from bot.library.library import Library
from bot.library.loader import load_library
from bot.services import build_services
from bot.services.admin import compare, fingerprint
from bot.storage.interface import Storage
from tests.bot.harness import SEED_ID, now, page_place, put_place

ALICE, BOB = 1, 2


def shorten(texts: Path) -> None:
    path = texts / f"{SEED_ID}.txt"
    lines = path.read_text(encoding="utf-8").splitlines()[:100]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_compare_finds_nothing_between_two_loads(texts: Path) -> None:
    first, second = load_library(texts)[0], load_library(texts)[0]
    assert compare(first, second) == ([], [], [])
    assert fingerprint(first.get(SEED_ID)) == fingerprint(second.get(SEED_ID))


async def test_reload_swaps_and_clamps(store: Storage, texts: Path, two_stories: Library) -> None:
    services = build_services(store, two_stories)
    reading, admin = services.reading, services.admin
    await put_place(store, ALICE, two_stories.get(SEED_ID), 4, 0)
    await put_place(store, BOB, two_stories.get(SEED_ID), 0, 0)
    shorten(texts)
    (texts / "the-lighthouse.txt").unlink()
    report = await admin.reload(texts)
    assert services.library.current is not two_stories
    assert [c.story_id for c in report.changed] == [SEED_ID]
    assert report.changed[0].describe() == (
        "Lay Your Heart Bare (5 scenes, 6 pages → 2 scenes, 2 pages)"
    )
    assert [c.story_id for c in report.removed] == ["the-lighthouse"]
    assert report.readers_moved == 1
    alice = await store.get_position(ALICE, SEED_ID)
    assert alice is not None
    assert page_place(services.library.current.get(SEED_ID), alice.place) == (1, 0)
    assert alice.notice is not None
    assert "the last page" in alice.notice
    bob = await store.get_position(BOB, SEED_ID)
    assert bob is not None
    assert bob.notice is None

    story = reading.story(SEED_ID)
    view = await reading.open(ALICE, story, at=now())
    assert view.notice == alice.notice
    assert (await reading.open(ALICE, story, at=now())).notice is None


async def test_a_failed_reload_keeps_the_old_library(
    store: Storage, tmp_path: Path, two_stories: Library
) -> None:
    services = build_services(store, two_stories)
    with pytest.raises(EmptyLibrary):
        await services.admin.reload(tmp_path / "missing")
    assert services.library.current is two_stories
