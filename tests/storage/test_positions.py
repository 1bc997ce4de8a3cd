"""Reading positions on both backends: open, save, read back, move for a changed text."""

from __future__ import annotations

import asyncio

import pytest

from bot.library.anchors import Anchor, PagePlace, Place
from bot.storage.interface import Storage
from bot.storage.records import ReaderMove
from tests.storage.helpers import anchor, now


async def test_a_new_reader_has_no_position(storage: Storage) -> None:
    assert await storage.get_position(1, "story") is None
    assert await storage.positions_for_user(1) == []
    assert await storage.positions_for_story("story") == []


async def test_opening_saves_a_new_reader_at_the_first_place(storage: Storage) -> None:
    first = anchor(0)
    opened = await storage.open_position(1, "story", first, asked_at=now())
    assert opened is not None
    assert (opened.user_id, opened.story_id, opened.place, opened.notice) == (
        1,
        "story",
        first,
        None,
    )
    assert await storage.get_position(1, "story") == opened


async def test_opening_again_keeps_the_saved_place_and_marks_it_read(storage: Storage) -> None:
    await storage.open_position(1, "story", anchor(0), asked_at=now())
    saved = await storage.save_position(1, "story", anchor(3, 2, 40), asked_at=now(), notice="hi")
    assert saved is not None
    reopened = await storage.open_position(1, "story", anchor(0), asked_at=now())
    assert reopened is not None
    assert reopened.place == anchor(3, 2, 40)
    assert reopened.notice == "hi"
    assert reopened.updated_at >= saved.updated_at


@pytest.mark.parametrize(
    "place",
    [anchor(0), anchor(7, 12, 345), Anchor(2, 0, 0, ""), Anchor(1, 1, 1, "“Quoted” — é ✓ 𝄞")],
)
async def test_a_saved_anchor_reads_back_exactly(storage: Storage, place: Anchor) -> None:
    saved = await storage.save_position(42, "story", place, asked_at=now())
    assert saved is not None
    assert saved.place == place
    assert await storage.get_position(42, "story") == saved


async def test_saving_replaces_the_place_and_the_notice(storage: Storage) -> None:
    await storage.save_position(1, "story", anchor(1), asked_at=now(), notice="changed")
    await storage.save_position(1, "story", anchor(2), asked_at=now())
    position = await storage.get_position(1, "story")
    assert position is not None
    assert (position.place, position.notice) == (anchor(2), None)


async def test_discord_sized_ids_are_kept(storage: Storage) -> None:
    user_id = 2**63 - 1  # the largest snowflake a signed 64-bit column holds
    await storage.save_position(user_id, "story", anchor(1), asked_at=now())
    position = await storage.get_position(user_id, "story")
    assert position is not None
    assert position.user_id == user_id


async def test_positions_for_user_come_most_recently_read_first(storage: Storage) -> None:
    for story in ("a", "b", "c"):
        await storage.save_position(1, story, anchor(0), asked_at=now())
    await storage.open_position(1, "a", anchor(0), asked_at=now())  # reading "a" again
    await storage.save_position(2, "b", anchor(0), asked_at=now())
    assert [p.story_id for p in await storage.positions_for_user(1)] == ["a", "c", "b"]


async def test_positions_for_story_lists_its_readers(storage: Storage) -> None:
    for user_id in (3, 1, 2):
        await storage.save_position(user_id, "story", anchor(user_id), asked_at=now())
    await storage.save_position(9, "other", anchor(0), asked_at=now())
    readers = await storage.positions_for_story("story")
    assert [(p.user_id, p.place) for p in readers] == [
        (1, anchor(1)),
        (2, anchor(2)),
        (3, anchor(3)),
    ]


async def test_clear_notice_keeps_the_place(storage: Storage) -> None:
    await storage.save_position(1, "story", anchor(5), asked_at=now(), notice="moved")
    await storage.clear_notice(1, "story")
    await storage.clear_notice(2, "story")  # nobody there: nothing happens
    position = await storage.get_position(1, "story")
    assert position is not None
    assert (position.place, position.notice) == (anchor(5), None)


async def test_move_readers_moves_only_readers_still_at_the_old_place(storage: Storage) -> None:
    await storage.save_position(1, "story", anchor(1), asked_at=now())
    await storage.save_position(2, "story", anchor(2), asked_at=now())
    await storage.save_position(3, "other", anchor(1), asked_at=now())
    before_move = await storage.get_position(1, "story")
    moves = [
        ReaderMove(1, anchor(1), anchor(10), notice="The story changed."),
        ReaderMove(2, anchor(1), anchor(20)),  # reader 2 is not at anchor(1): stays
        ReaderMove(3, anchor(1), anchor(30)),  # reader 3 reads another story: stays
        ReaderMove(4, anchor(1), anchor(40)),  # no such reader
    ]
    assert await storage.move_readers("story", moves) == 1
    moved = await storage.get_position(1, "story")
    assert moved is not None
    assert before_move is not None
    assert (moved.place, moved.notice) == (anchor(10), "The story changed.")
    assert moved.updated_at == before_move.updated_at  # a changed text is not reading
    unmoved = await storage.get_position(2, "story")
    other = await storage.get_position(3, "other")
    assert unmoved is not None
    assert other is not None
    assert (unmoved.place, other.place) == (anchor(2), anchor(1))
    assert await storage.move_readers("story", []) == 0


async def test_a_silent_move_keeps_a_pending_notice(storage: Storage) -> None:
    await storage.save_position(1, "story", anchor(1), asked_at=now(), notice="waiting")
    assert await storage.move_readers("story", [ReaderMove(1, anchor(1), anchor(2))]) == 1
    position = await storage.get_position(1, "story")
    assert position is not None
    assert (position.place, position.notice) == (anchor(2), "waiting")


async def test_a_move_compares_the_whole_anchor(storage: Storage) -> None:
    here = Anchor(1, 2, 3, "the snippet")
    await storage.save_position(1, "story", here, asked_at=now())
    near_misses: list[Place] = [
        Anchor(1, 2, 3, "another snippet"),
        Anchor(1, 2, 4, "the snippet"),
        Anchor(1, 3, 3, "the snippet"),
        Anchor(0, 2, 3, "the snippet"),
        PagePlace(1, 2),
    ]
    for was in near_misses:
        assert await storage.move_readers("story", [ReaderMove(1, was, anchor(9))]) == 0
    assert await storage.move_readers("story", [ReaderMove(1, here, anchor(9))]) == 1


async def test_a_burst_of_readers_is_saved_whole(storage: Storage) -> None:
    async def reader(user_id: int) -> None:
        for turn in range(20):
            saved = await storage.save_position(user_id, "story", anchor(turn), asked_at=now())
            assert saved is not None

    await asyncio.gather(*(reader(user_id) for user_id in range(64)))
    readers = await storage.positions_for_story("story")
    assert len(readers) == 64
    assert {p.place for p in readers} == {anchor(19)}
