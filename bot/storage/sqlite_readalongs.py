"""Read-alongs on SQLite (`SQLiteStorage.readalongs`): see `interface.ReadAlongStore`.

A claim is two statements in one write (the batch's transaction holds SQLite's write lock, so
no other process writes between them): the compare-and-set on the read-along, then the row
for its post.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from functools import partial
from typing import Any

from bot.storage.errors import ReadAlongExists
from bot.storage.records import PartPost, ReadAlong, ReadAlongPlan
from bot.storage.rows import readalong_from_row
from bot.storage.schema import TABLE_COLUMNS
from bot.storage.sqlite_values import fetch_rows, time_text
from bot.storage.sqlite_worker import SQLiteWorker

Row = tuple[Any, ...]

_COLUMNS = ", ".join(TABLE_COLUMNS["readalongs"])
_POST_COLUMNS = ", ".join(TABLE_COLUMNS["readalong_posts"])

_CREATE = f"""
    INSERT INTO readalongs (guild_id, channel_id, story_id, part_rule, local_time, timezone,
        weekdays, role_id, created_by, created_at, next_part, next_due_at)
    VALUES (:guild_id, :channel_id, :story_id, :part_rule, :local_time, :timezone,
        :weekdays, :role_id, :created_by, :now, 1, :first_due_at)
    RETURNING {_COLUMNS}
"""
_GET = f"SELECT {_COLUMNS} FROM readalongs WHERE channel_id = ?"
_BY_ID = f"SELECT {_COLUMNS} FROM readalongs WHERE id = ?"
_IN_GUILD = f"SELECT {_COLUMNS} FROM readalongs WHERE guild_id = ? ORDER BY id"
_DUE = f"""
    SELECT {_COLUMNS} FROM readalongs
    WHERE paused_reason IS NULL AND next_due_at IS NOT NULL AND next_due_at <= ?
    ORDER BY next_due_at, id
"""
_SOONEST = (
    "SELECT min(next_due_at) FROM readalongs"
    " WHERE paused_reason IS NULL AND next_due_at IS NOT NULL"
)
_CLAIM = """
    UPDATE readalongs SET next_part = next_part + 1, next_due_at = :next_due_at,
        last_posted_at = :now
    WHERE id = :id AND next_part = :part AND next_due_at IS :was_due AND paused_reason IS NULL
"""
_CLAIMED = """
    INSERT INTO readalong_posts (readalong_id, part, due_at, claimed_at)
    VALUES (:id, :part, :due_at, :now)
"""
_RECORD_POST = """
    UPDATE readalong_posts SET message_id = ?, thread_id = ? WHERE readalong_id = ? AND part = ?
"""
_RELEASE_POST = "DELETE FROM readalong_posts WHERE readalong_id = ? AND part = ?"
_RELEASE = "UPDATE readalongs SET next_part = ?, paused_reason = ? WHERE id = ?"
_PAUSE = """
    UPDATE readalongs SET paused_reason = ?
    WHERE id = ? AND paused_reason IS NULL AND next_due_at IS NOT NULL
"""
_RESUME = """
    UPDATE readalongs SET paused_reason = NULL, next_due_at = ?
    WHERE id = ? AND paused_reason IS NOT NULL
"""
_FORGET_UNCONFIRMED = "DELETE FROM readalong_posts WHERE readalong_id = ? AND message_id IS NULL"
_SKIP = """
    UPDATE readalongs SET next_part = next_part + 1, next_due_at = ?
    WHERE id = ? AND next_part = ?
"""
_STOP = "DELETE FROM readalongs WHERE id = ?"
_POSTS = f"SELECT {_POST_COLUMNS} FROM readalong_posts WHERE readalong_id = ? ORDER BY part"
_UNCONFIRMED = f"""
    SELECT {_POST_COLUMNS} FROM readalong_posts
    WHERE message_id IS NULL AND claimed_at < ? ORDER BY readalong_id, part
"""


def _text(moment: datetime | None) -> str | None:
    return None if moment is None else time_text(moment)


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _readalong(row: Row) -> ReadAlong:
    return readalong_from_row(row, _moment)


def _post(row: Row) -> PartPost:
    due, claimed = _moment(row[2]), _moment(row[3])
    assert due is not None
    assert claimed is not None
    return PartPost(int(row[0]), int(row[1]), due, claimed, row[4], row[5])


def _changed(sql: str, params: Any, conn: sqlite3.Connection) -> bool:
    return conn.execute(sql, params).rowcount > 0


def _resume(readalong_id: int, next_due_at: str | None, conn: sqlite3.Connection) -> bool:
    if conn.execute(_RESUME, (next_due_at, readalong_id)).rowcount == 0:
        return False
    conn.execute(_FORGET_UNCONFIRMED, (readalong_id,))
    return True


def _create(params: dict[str, Any], conn: sqlite3.Connection) -> Row:
    try:
        return tuple(conn.execute(_CREATE, params).fetchone())
    except sqlite3.IntegrityError as error:
        if "channel_id" in str(error):
            raise ReadAlongExists() from error
        raise


def _claim(params: dict[str, Any], conn: sqlite3.Connection) -> bool:
    if conn.execute(_CLAIM, params).rowcount == 0:
        return False
    conn.execute(_CLAIMED, params)
    return True


def _release(readalong_id: int, part: int, reason: str, conn: sqlite3.Connection) -> None:
    conn.execute(_RELEASE_POST, (readalong_id, part))
    conn.execute(_RELEASE, (part, reason, readalong_id))


class SQLiteReadAlongs:
    """The read-along tables, through the storage's one writer."""

    def __init__(self, worker: SQLiteWorker) -> None:
        self._worker = worker

    async def _read(self, sql: str, *params: Any) -> list[Row]:
        return await self._worker.read(partial(fetch_rows, sql, params))

    async def create(self, plan: ReadAlongPlan) -> ReadAlong:
        params = {
            "guild_id": plan.guild_id,
            "channel_id": plan.channel_id,
            "story_id": plan.story_id,
            "part_rule": plan.part_rule,
            "local_time": plan.local_time,
            "timezone": plan.timezone,
            "weekdays": plan.weekdays,
            "role_id": plan.role_id,
            "created_by": plan.created_by,
            "now": _text(datetime.now(UTC)),
            "first_due_at": _text(plan.first_due_at),
        }
        return _readalong(await self._worker.write(partial(_create, params)))

    async def get(self, channel_id: int) -> ReadAlong | None:
        rows = await self._read(_GET, channel_id)
        return _readalong(rows[0]) if rows else None

    async def by_id(self, readalong_id: int) -> ReadAlong | None:
        rows = await self._read(_BY_ID, readalong_id)
        return _readalong(rows[0]) if rows else None

    async def in_guild(self, guild_id: int) -> list[ReadAlong]:
        return [_readalong(row) for row in await self._read(_IN_GUILD, guild_id)]

    async def due(self, before: datetime) -> list[ReadAlong]:
        return [_readalong(row) for row in await self._read(_DUE, _text(before))]

    async def soonest(self) -> datetime | None:
        [(soonest,)] = await self._read(_SOONEST)
        return _moment(soonest)

    async def claim(
        self, readalong: ReadAlong, *, due_at: datetime, next_due_at: datetime | None, now: datetime
    ) -> bool:
        params = {
            "id": readalong.id,
            "part": readalong.next_part,
            "was_due": _text(readalong.next_due_at),
            "next_due_at": _text(next_due_at),
            "due_at": _text(due_at),
            "now": _text(now),
        }
        return await self._worker.write(partial(_claim, params))

    async def record_post(
        self, readalong_id: int, part: int, message_id: int, thread_id: int | None
    ) -> None:
        params = (message_id, thread_id, readalong_id, part)
        await self._worker.write(partial(_changed, _RECORD_POST, params))

    async def release(self, readalong_id: int, part: int, reason: str) -> None:
        await self._worker.write(partial(_release, readalong_id, part, reason))

    async def pause(self, readalong_id: int, reason: str) -> bool:
        return await self._worker.write(partial(_changed, _PAUSE, (reason, readalong_id)))

    async def resume(self, readalong_id: int, next_due_at: datetime) -> bool:
        return await self._worker.write(partial(_resume, readalong_id, _text(next_due_at)))

    async def skip(self, readalong: ReadAlong, next_due_at: datetime | None) -> bool:
        params = (_text(next_due_at), readalong.id, readalong.next_part)
        return await self._worker.write(partial(_changed, _SKIP, params))

    async def stop(self, readalong_id: int) -> bool:
        return await self._worker.write(partial(_changed, _STOP, (readalong_id,)))

    async def posts(self, readalong_id: int) -> list[PartPost]:
        return [_post(row) for row in await self._read(_POSTS, readalong_id)]

    async def unconfirmed(self, claimed_before: datetime) -> list[PartPost]:
        return [_post(row) for row in await self._read(_UNCONFIRMED, _text(claimed_before))]
