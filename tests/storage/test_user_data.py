"""A user's data as a whole, on both backends: export, and erasure that nothing undoes."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

import pytest

from bot.storage.errors import BookmarkLimitReached
from bot.storage.interface import ERASURE_MEMORY, Storage
from bot.storage.records import UserData
from tests.storage.helpers import anchor, before, now


async def fill(storage: Storage, user_id: int) -> None:
    await storage.save_position(user_id, "a", anchor(1), asked_at=now(), notice="n")
    await storage.save_position(user_id, "b", anchor(2), asked_at=now())
    await storage.add_bookmark(user_id, "a", anchor(1), "note", asked_at=now())
    await storage.mark_quote_seen(user_id, "a", "q1", asked_at=now())
    await storage.set_flag(user_id, "welcomed", "yes", asked_at=now())


async def test_export_holds_everything_about_the_user(storage: Storage) -> None:
    await fill(storage, 1)
    await fill(storage, 2)
    data = await storage.export_user(1)
    assert data.user_id == 1
    assert [p.story_id for p in data.positions] == ["b", "a"]
    assert [(b.story_id, b.note) for b in data.bookmarks] == [("a", "note")]
    assert data.seen_quotes == {"a": frozenset({"q1"})}
    assert data.flags == {"welcomed": "yes"}
    assert all(p.user_id == 1 for p in data.positions)
    assert json.loads(json.dumps(data.to_json_dict()))["flags"] == {"welcomed": "yes"}


async def test_export_of_a_stranger_is_empty(storage: Storage) -> None:
    assert (await storage.export_user(5)).is_empty


async def test_delete_user_erases_every_row_and_counts_them(storage: Storage) -> None:
    await fill(storage, 1)
    await fill(storage, 2)
    assert await storage.delete_user(1, at=now()) == 5
    assert await storage.export_user(1) == UserData(user_id=1)
    assert await storage.get_position(1, "a") is None
    assert not (await storage.export_user(2)).is_empty
    assert await storage.delete_user(1, at=now()) == 0


Write = Callable[[Storage, datetime], Awaitable[object]]

WRITES: dict[str, Write] = {
    "open_position": lambda s, at: s.open_position(1, "a", anchor(0), asked_at=at),
    "save_position": lambda s, at: s.save_position(1, "a", anchor(3), asked_at=at),
    "add_bookmark": lambda s, at: s.add_bookmark(1, "a", anchor(3), None, asked_at=at),
    "mark_quote_seen": lambda s, at: s.mark_quote_seen(1, "a", "q", asked_at=at),
    "set_flag": lambda s, at: s.set_flag(1, "f", "v", asked_at=at),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
async def test_a_write_asked_for_before_the_erasure_writes_nothing(
    storage: Storage, write: Write
) -> None:
    await fill(storage, 1)
    erased_at = now()
    await storage.delete_user(1, at=erased_at)
    assert await write(storage, before(erased_at)) is None
    assert await write(storage, erased_at) is None  # the same instant counts as before
    assert (await storage.export_user(1)).is_empty


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
async def test_a_write_asked_for_after_the_erasure_is_saved(storage: Storage, write: Write) -> None:
    erased_at = now()
    await storage.delete_user(1, at=erased_at)
    await write(storage, erased_at + timedelta(milliseconds=1))
    assert not (await storage.export_user(1)).is_empty


async def test_an_erasure_is_remembered_only_for_a_while(storage: Storage) -> None:
    erased_at = now() - ERASURE_MEMORY - timedelta(minutes=1)
    await storage.delete_user(1, at=erased_at)
    assert await storage.save_position(1, "a", anchor(1), asked_at=before(erased_at)) is None
    # A later erasure (of anyone) forgets those older than ERASURE_MEMORY: no interaction
    # asked for before them can still arrive.
    await storage.delete_user(2, at=now())
    assert await storage.save_position(1, "a", anchor(1), asked_at=before(erased_at)) is not None
    assert await storage.save_position(2, "a", anchor(1), asked_at=before(now())) is None


async def test_an_earlier_erasure_does_not_shorten_a_later_one(storage: Storage) -> None:
    later = now()
    await storage.delete_user(1, at=later)
    await storage.delete_user(1, at=before(later, 60))
    assert await storage.save_position(1, "a", anchor(1), asked_at=before(later)) is None


async def test_erasure_racing_writes_leaves_nothing_behind(storage: Storage) -> None:
    """Writes asked for before the erasure, in flight on other connections (PostgreSQL's
    pool) or batches (SQLite) when it runs: whichever commits first, nothing is left."""
    for round_number in range(10):
        user_id = 100 + round_number
        asked = now()
        erased_at = asked + timedelta(milliseconds=1)

        async def add(scene: int, user_id: int = user_id, asked: datetime = asked) -> None:
            with contextlib.suppress(BookmarkLimitReached):
                await storage.add_bookmark(user_id, "a", anchor(scene), None, asked_at=asked)

        writes = [
            *(storage.save_position(user_id, "a", anchor(n), asked_at=asked) for n in range(8)),
            *(add(n) for n in range(4)),
            storage.mark_quote_seen(user_id, "a", "q", asked_at=asked),
            storage.set_flag(user_id, "f", "v", asked_at=asked),
        ]
        middle = len(writes) // 2
        await asyncio.gather(
            *writes[:middle], storage.delete_user(user_id, at=erased_at), *writes[middle:]
        )
        assert (await storage.export_user(user_id)).is_empty, f"round {round_number}"
