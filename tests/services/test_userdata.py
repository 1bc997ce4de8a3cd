"""UserDataService: the export file and the deletion summary."""

from __future__ import annotations

import json

from bot.services.userdata import DataSummary, UserDataService, export_filename
from bot.storage.interface import Storage
from tests.bot.harness import SEED_ID, anchor_at, now, put_place, seed_story
from tests.storage.test_readalongs import plan

ALICE, BOB = 1, 2


async def fill(store: Storage, user: int) -> None:
    story = seed_story()
    await put_place(store, user, story, 2, 1)
    await store.add_bookmark(user, SEED_ID, anchor_at(story, 2, 1), "note", asked_at=now())
    await store.mark_quote_seen(user, SEED_ID, "abc", asked_at=now())
    await store.mark_quote_seen(user, SEED_ID, "def", asked_at=now())
    await store.set_flag(user, "theme", "dark", asked_at=now())


async def test_export_and_delete(store: Storage) -> None:
    await fill(store, ALICE)
    await fill(store, BOB)
    data = UserDataService(store)
    summary, document = await data.export(ALICE)
    assert summary == DataSummary(positions=1, bookmarks=1, seen_quotes=2, flags=1)
    assert summary.describe() == "1 reading place, 1 bookmark, 2 quotes seen and 1 setting"
    parsed = json.loads(document)
    assert parsed["seen_quotes"] == {SEED_ID: ["abc", "def"]}
    assert parsed["user_id"] == ALICE
    assert export_filename(ALICE) == "storybot-data-1.json"

    before, rows = await data.delete(ALICE, at=now())
    assert before == summary
    assert rows >= 5
    assert (await store.export_user(ALICE)).is_empty
    assert (await data.summary(BOB)).total == 5
    assert (await data.delete(ALICE, at=now()))[1] == 0


async def test_a_reader_whose_only_data_is_a_read_along_they_set_up(store: Storage) -> None:
    await store.readalongs.create(plan(channel_id=30, by=ALICE))
    data = UserDataService(store)
    summary, document = await data.export(ALICE)
    assert summary.total == 1
    assert summary.describe() == (
        "0 reading places, 0 bookmarks, 0 quotes seen, 0 settings and 1 read-along set up"
    )
    assert "read-alongs you set up" in json.loads(document)["about"]
    before, rows = await data.delete(ALICE, at=now())
    assert before == summary
    assert rows == 1
    assert (await store.export_user(ALICE)).is_empty
    kept = await store.readalongs.get(30)
    assert kept is not None  # the channel's read-along goes on without its starter
    assert kept.created_by is None
