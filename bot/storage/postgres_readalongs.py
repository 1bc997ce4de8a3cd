"""Read-alongs on PostgreSQL (`PostgresStorage.readalongs`): see `interface.ReadAlongStore`.

Each change is one statement: a claim is a compare-and-set `UPDATE` whose `RETURNING` feeds
the `INSERT` of the post's row (a data-modifying `WITH`), so two processes claiming the same
part at the same instant see one of them win, and the other change nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import asyncpg

from bot.storage.errors import ReadAlongExists
from bot.storage.records import PartPost, ReadAlong, ReadAlongPlan
from bot.storage.rows import check_aware, readalong_from_row
from bot.storage.schema import TABLE_COLUMNS

Query = Callable[..., Awaitable[list[asyncpg.Record]]]

_COLUMNS = ", ".join(TABLE_COLUMNS["readalongs"])
_POST_COLUMNS = ", ".join(TABLE_COLUMNS["readalong_posts"])

_CREATE = f"""
    INSERT INTO readalongs (guild_id, channel_id, story_id, part_rule, local_time, timezone,
        weekdays, role_id, created_by, created_at, next_part, next_due_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now(), 1, $10)
    ON CONFLICT (channel_id) DO NOTHING
    RETURNING {_COLUMNS}
"""
_GET = f"SELECT {_COLUMNS} FROM readalongs WHERE channel_id = $1"
_BY_ID = f"SELECT {_COLUMNS} FROM readalongs WHERE id = $1"
_IN_GUILD = f"SELECT {_COLUMNS} FROM readalongs WHERE guild_id = $1 ORDER BY id"
_DUE = f"""
    SELECT {_COLUMNS} FROM readalongs
    WHERE paused_reason IS NULL AND next_due_at IS NOT NULL AND next_due_at <= $1
    ORDER BY next_due_at, id
"""
_SOONEST = (
    "SELECT min(next_due_at) FROM readalongs"
    " WHERE paused_reason IS NULL AND next_due_at IS NOT NULL"
)
_CLAIM = """
    WITH claimed AS (
        UPDATE readalongs SET next_part = next_part + 1, next_due_at = $4, last_posted_at = $6
        WHERE id = $1 AND next_part = $2 AND next_due_at IS NOT DISTINCT FROM $3
            AND paused_reason IS NULL
        RETURNING id
    )
    INSERT INTO readalong_posts (readalong_id, part, due_at, claimed_at)
    SELECT id, $2, $5, $6 FROM claimed
    RETURNING part
"""
_RECORD_POST = """
    UPDATE readalong_posts SET message_id = $3, thread_id = $4
    WHERE readalong_id = $1 AND part = $2
"""
_RELEASE = """
    WITH released AS (
        DELETE FROM readalong_posts WHERE readalong_id = $1 AND part = $2 RETURNING part
    )
    UPDATE readalongs SET next_part = $2, paused_reason = $3 WHERE id = $1
"""
_PAUSE = """
    UPDATE readalongs SET paused_reason = $2
    WHERE id = $1 AND paused_reason IS NULL AND next_due_at IS NOT NULL RETURNING id
"""
_RESUME = """
    WITH resumed AS (
        UPDATE readalongs SET paused_reason = NULL, next_due_at = $2
        WHERE id = $1 AND paused_reason IS NOT NULL RETURNING id
    ), forgotten AS (
        DELETE FROM readalong_posts
        WHERE readalong_id IN (SELECT id FROM resumed) AND message_id IS NULL
    )
    SELECT id FROM resumed
"""
_SKIP = """
    UPDATE readalongs SET next_part = next_part + 1, next_due_at = $3
    WHERE id = $1 AND next_part = $2 RETURNING id
"""
_STOP = "DELETE FROM readalongs WHERE id = $1 RETURNING id"
_POSTS = f"SELECT {_POST_COLUMNS} FROM readalong_posts WHERE readalong_id = $1 ORDER BY part"
_UNCONFIRMED = f"""
    SELECT {_POST_COLUMNS} FROM readalong_posts
    WHERE message_id IS NULL AND claimed_at < $1 ORDER BY readalong_id, part
"""


def _moment(value: Any) -> datetime | None:
    return value if value is None else check_aware(value)


def _readalong(row: asyncpg.Record) -> ReadAlong:
    return readalong_from_row(tuple(row), _moment)


def _post(row: asyncpg.Record) -> PartPost:
    return PartPost(
        int(row[0]), int(row[1]), row[2], row[3], row[4], row[5]
    )  # times: timestamptz, aware already


class PostgresReadAlongs:
    """The read-along tables, through the storage's pool (`fetch` reads, `write` writes:
    both turn a lost server into the storage's own errors)."""

    def __init__(self, fetch: Query, write: Query) -> None:
        self._fetch = fetch
        self._write = write

    async def create(self, plan: ReadAlongPlan) -> ReadAlong:
        rows = await self._write(
            _CREATE,
            plan.guild_id,
            plan.channel_id,
            plan.story_id,
            plan.part_rule,
            plan.local_time,
            plan.timezone,
            plan.weekdays,
            plan.role_id,
            plan.created_by,
            check_aware(plan.first_due_at),
        )
        if not rows:
            raise ReadAlongExists()
        return _readalong(rows[0])

    async def get(self, channel_id: int) -> ReadAlong | None:
        rows = await self._fetch(_GET, channel_id)
        return _readalong(rows[0]) if rows else None

    async def by_id(self, readalong_id: int) -> ReadAlong | None:
        rows = await self._fetch(_BY_ID, readalong_id)
        return _readalong(rows[0]) if rows else None

    async def in_guild(self, guild_id: int) -> list[ReadAlong]:
        return [_readalong(row) for row in await self._fetch(_IN_GUILD, guild_id)]

    async def due(self, before: datetime) -> list[ReadAlong]:
        return [_readalong(row) for row in await self._fetch(_DUE, check_aware(before))]

    async def soonest(self) -> datetime | None:
        [row] = await self._fetch(_SOONEST)
        return _moment(row[0])

    async def claim(
        self, readalong: ReadAlong, *, due_at: datetime, next_due_at: datetime | None, now: datetime
    ) -> bool:
        rows = await self._write(
            _CLAIM,
            readalong.id,
            readalong.next_part,
            readalong.next_due_at,
            next_due_at,
            check_aware(due_at),
            check_aware(now),
        )
        return bool(rows)

    async def record_post(
        self, readalong_id: int, part: int, message_id: int, thread_id: int | None
    ) -> None:
        await self._write(_RECORD_POST, readalong_id, part, message_id, thread_id)

    async def release(self, readalong_id: int, part: int, reason: str) -> None:
        await self._write(_RELEASE, readalong_id, part, reason)

    async def pause(self, readalong_id: int, reason: str) -> bool:
        return bool(await self._write(_PAUSE, readalong_id, reason))

    async def resume(self, readalong_id: int, next_due_at: datetime) -> bool:
        return bool(await self._write(_RESUME, readalong_id, check_aware(next_due_at)))

    async def skip(self, readalong: ReadAlong, next_due_at: datetime | None) -> bool:
        return bool(await self._write(_SKIP, readalong.id, readalong.next_part, next_due_at))

    async def stop(self, readalong_id: int) -> bool:
        return bool(await self._write(_STOP, readalong_id))

    async def posts(self, readalong_id: int) -> list[PartPost]:
        return [_post(row) for row in await self._fetch(_POSTS, readalong_id)]

    async def unconfirmed(self, claimed_before: datetime) -> list[PartPost]:
        return [_post(row) for row in await self._fetch(_UNCONFIRMED, check_aware(claimed_before))]
