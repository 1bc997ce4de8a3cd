"""Read-alongs in storage, on both backends: one per channel, each part claimed once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.storage.errors import ReadAlongExists
from bot.storage.interface import Storage
from bot.storage.records import ReadAlong, ReadAlongPlan
from tests.storage.helpers import now

DAY = timedelta(days=1)
FIRST = datetime(2026, 3, 1, 19, 0, tzinfo=UTC)


def plan(channel_id: int = 10, guild_id: int = 1, by: int = 7) -> ReadAlongPlan:
    return ReadAlongPlan(
        guild_id=guild_id,
        channel_id=channel_id,
        story_id="story",
        part_rule="chapter",
        local_time="20:00",
        timezone="Europe/Berlin",
        weekdays="0123456",
        role_id=None,
        created_by=by,
        first_due_at=FIRST,
    )


async def claim(storage: Storage, row: ReadAlong, at: datetime | None = None) -> bool:
    assert row.next_due_at is not None
    return await storage.readalongs.claim(
        row, due_at=row.next_due_at, next_due_at=row.next_due_at + DAY, now=at or now()
    )


async def test_one_read_along_per_channel(storage: Storage) -> None:
    made = await storage.readalongs.create(plan())
    assert (made.next_part, made.next_due_at, made.running) == (1, FIRST, True)
    assert made.paused_reason is None
    with pytest.raises(ReadAlongExists):
        await storage.readalongs.create(plan())
    other = await storage.readalongs.create(plan(channel_id=11))
    assert await storage.readalongs.get(10) == made
    assert await storage.readalongs.by_id(other.id) == other
    assert await storage.readalongs.in_guild(1) == [made, other]
    assert await storage.readalongs.in_guild(2) == []


async def test_a_part_is_claimed_once_however_many_ask_at_once(storage: Storage) -> None:
    row = await storage.readalongs.create(plan())
    results = await asyncio.gather(*(claim(storage, row) for _ in range(8)))
    assert results.count(True) == 1
    after = await storage.readalongs.get(10)
    assert after is not None
    assert (after.next_part, after.next_due_at) == (2, FIRST + DAY)
    assert after.last_posted_at is not None
    [post] = await storage.readalongs.posts(row.id)
    assert (post.part, post.due_at, post.message_id) == (1, FIRST, None)
    assert not await claim(storage, row)  # the row as read before: stale, changes nothing
    assert await claim(storage, after)


async def test_a_post_recorded_or_released(storage: Storage) -> None:
    row = await storage.readalongs.create(plan())
    assert await claim(storage, row)
    assert await storage.readalongs.unconfirmed(now() + DAY) != []
    await storage.readalongs.record_post(row.id, 1, message_id=555, thread_id=666)
    [post] = await storage.readalongs.posts(row.id)
    assert (post.message_id, post.thread_id) == (555, 666)
    assert await storage.readalongs.unconfirmed(now() + DAY) == []

    second = await storage.readalongs.get(10)
    assert second is not None
    assert await claim(storage, second)
    await storage.readalongs.release(row.id, 2, "the channel is gone")
    released = await storage.readalongs.get(10)
    assert released is not None
    assert (released.next_part, released.paused_reason) == (2, "the channel is gone")
    assert not released.running
    assert [post.part for post in await storage.readalongs.posts(row.id)] == [1]
    assert not await claim(storage, released)  # paused: nothing is posted


async def test_pause_resume_skip_and_stop(storage: Storage) -> None:
    row = await storage.readalongs.create(plan())
    assert await storage.readalongs.pause(row.id, "paused by an admin")
    assert not await storage.readalongs.pause(row.id, "again")  # already paused
    assert await storage.readalongs.due(FIRST + DAY) == []
    assert await storage.readalongs.soonest() is None
    assert await storage.readalongs.resume(row.id, FIRST + DAY)
    assert not await storage.readalongs.resume(row.id, FIRST)  # running already
    resumed = await storage.readalongs.get(10)
    assert resumed is not None
    assert (resumed.running, resumed.next_due_at) == (True, FIRST + DAY)
    assert await storage.readalongs.skip(resumed, FIRST + 2 * DAY)
    assert not await storage.readalongs.skip(resumed, FIRST)  # part 1 is no longer next
    skipped = await storage.readalongs.get(10)
    assert skipped is not None
    assert (skipped.next_part, skipped.next_due_at) == (2, FIRST + 2 * DAY)
    assert await claim(storage, skipped)
    assert await storage.readalongs.stop(row.id)
    assert not await storage.readalongs.stop(row.id)
    assert await storage.readalongs.get(10) is None
    assert await storage.readalongs.posts(row.id) == []  # its records went with it


async def test_what_is_due_soonest_first(storage: Storage) -> None:
    late = await storage.readalongs.create(plan(channel_id=12))
    await storage.readalongs.skip(late, FIRST + DAY)
    early = await storage.readalongs.create(plan(channel_id=13))
    finished = await storage.readalongs.create(plan(channel_id=14))
    await storage.readalongs.skip(finished, None)  # its last part: nothing more is due
    assert [r.channel_id for r in await storage.readalongs.due(FIRST)] == [13]
    assert [r.channel_id for r in await storage.readalongs.due(FIRST + DAY)] == [13, 12]
    assert await storage.readalongs.soonest() == FIRST
    assert early.running


async def test_the_one_who_set_it_up_is_part_of_their_data(storage: Storage) -> None:
    await storage.readalongs.create(plan(channel_id=20, by=7))
    await storage.readalongs.create(plan(channel_id=21, by=8))
    assert (await storage.export_user(7)).readalongs_started == (20,)
    assert await storage.delete_user(7, at=now()) == 1
    kept = await storage.readalongs.get(20)
    assert kept is not None
    assert kept.created_by is None  # the read-along stays for the channel; its starter is gone
    assert (await storage.export_user(7)).is_empty
    assert (await storage.export_user(8)).readalongs_started == (21,)


async def test_resuming_forgets_a_claim_no_post_was_recorded_for(storage: Storage) -> None:
    """A process stopped between claiming and posting: paused once for it; once someone has
    looked at the channel and resumed, the next start does not pause it again."""
    row = await storage.readalongs.create(plan())
    assert await claim(storage, row)
    posted = await storage.readalongs.get(10)
    assert posted is not None
    assert await claim(storage, posted)
    await storage.readalongs.record_post(row.id, 1, message_id=555, thread_id=666)
    [unknown] = await storage.readalongs.unconfirmed(now() + DAY)
    assert unknown.part == 2
    assert await storage.readalongs.pause(row.id, "part 2 may not have been posted")
    assert await storage.readalongs.resume(row.id, FIRST + 3 * DAY)
    assert await storage.readalongs.unconfirmed(now() + DAY) == []
    assert [post.part for post in await storage.readalongs.posts(row.id)] == [1]  # kept


async def test_a_finished_read_along_is_not_paused(storage: Storage) -> None:
    finished = await storage.readalongs.create(plan())
    await storage.readalongs.skip(finished, None)  # its last part left out: nothing is due
    assert not await storage.readalongs.pause(finished.id, "paused by an admin")
    after = await storage.readalongs.get(10)
    assert after is not None
    assert after.paused_reason is None
