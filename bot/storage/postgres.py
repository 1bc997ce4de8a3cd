"""`PostgresStorage`: the `Storage` interface on PostgreSQL (asyncpg), for shards in several
processes sharing one database.

One pool, made at start and passed in. Each call is one statement on a pooled connection
(`pool.fetch`), or one transaction where statements must agree:

- every write on a user's behalf calls `storybot_may_write(user, asked_at)` in its statement
  (0002_anchors.sql): a shared advisory lock on the user, then the erasure check; a data
  deletion takes the same lock exclusively first, so the two never overlap.
- a bookmark insert at the limit: under READ COMMITTED two transactions inserting at once
  would each count 24 rows. An advisory transaction lock per (user, story) comes first and
  the count after it, in a statement of its own (its snapshot taken once the lock is held),
  so concurrent inserts for one reader run one after the other, in any process, and other
  readers are not held up. A row lock would need a row to lock, which a reader's first
  bookmark has not; a count row would be one more table to keep right.
- moves for a changed text lock the rows they may change in id order first, so two
  processes reconciling the same story at start cannot deadlock.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import asyncpg
import asyncpg.exceptions as pg_errors

from bot.library.anchors import Anchor
from bot.storage.errors import (
    BookmarkLimitReached,
    BookmarkNotFound,
    StorageReadUnavailable,
    StorageSetupError,
    StorageUnavailable,
    StoreClosed,
)
from bot.storage.faults import FaultEpisodes
from bot.storage.interface import ERASURE_MEMORY
from bot.storage.locations import PostgresLocation
from bot.storage.postgres_readalongs import PostgresReadAlongs
from bot.storage.postgres_search import PostgresSearch
from bot.storage.postgres_setup import create_pool, explain, migrate
from bot.storage.records import (
    MAX_BOOKMARKS_PER_STORY,
    Bookmark,
    BookmarkMove,
    Position,
    ReaderMove,
    UserData,
)
from bot.storage.rows import bookmark_from_row, check_aware, place_columns, position_from_row
from bot.storage.schema import TABLE_COLUMNS, load_migrations, migrations_dir

log = logging.getLogger(__name__)

DEFAULT_POOL_SIZE = 10

# Faults of the server or the way to it, not of one statement: the reader may try again.
_FAULTS: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    pg_errors.PostgresConnectionError,  # 08: connection lost, refused
    pg_errors.OperatorInterventionError,  # 57: shutting down, starting up, cancelled
    pg_errors.InsufficientResourcesError,  # 53: disk full, out of memory, too many clients
    pg_errors.PostgresSystemError,  # 58: I/O error
    pg_errors.TransactionRollbackError,  # 40: serialization failure, deadlock
    pg_errors.ReadOnlySQLTransactionError,  # a standby, after a failover
)

_POSITION_COLUMNS = ", ".join(TABLE_COLUMNS["positions"])
_BOOKMARK_COLUMNS = ", ".join(TABLE_COLUMNS["bookmarks"])
_PLACE_TYPES = ("integer", "integer", "integer", "integer", "text")

_GET_POSITION = f"SELECT {_POSITION_COLUMNS} FROM positions WHERE user_id = $1 AND story_id = $2"
_POSITIONS_FOR_USER = (
    f"SELECT {_POSITION_COLUMNS} FROM positions WHERE user_id = $1"
    " ORDER BY updated_at DESC, story_id"
)
_POSITIONS_FOR_STORY = (
    f"SELECT {_POSITION_COLUMNS} FROM positions WHERE story_id = $1 ORDER BY user_id"
)
_NEW_POSITION = f"""
    INSERT INTO positions ({_POSITION_COLUMNS})
    SELECT $1::bigint, $2::text, $3::integer, $4::integer, $5::integer, $6::integer,
        $7::text, now(), $8::text
    WHERE storybot_may_write($1, $9)
"""
_OPEN_POSITION = f"""{_NEW_POSITION}
    ON CONFLICT (user_id, story_id) DO UPDATE SET updated_at = EXCLUDED.updated_at
    RETURNING {_POSITION_COLUMNS}
"""
_SAVE_POSITION = f"""{_NEW_POSITION}
    ON CONFLICT (user_id, story_id) DO UPDATE SET
        scene = EXCLUDED.scene, page = EXCLUDED.page, paragraph = EXCLUDED.paragraph,
        char_offset = EXCLUDED.char_offset, snippet = EXCLUDED.snippet,
        updated_at = EXCLUDED.updated_at, notice = EXCLUDED.notice
    RETURNING updated_at
"""
_AT_WAS = """
    target.scene = m.was_scene AND target.page IS NOT DISTINCT FROM m.was_page
    AND target.paragraph IS NOT DISTINCT FROM m.was_paragraph
    AND target.char_offset IS NOT DISTINCT FROM m.was_char_offset
    AND target.snippet IS NOT DISTINCT FROM m.was_snippet
"""
_MOVE_COLUMNS = (
    "was_scene, was_page, was_paragraph, was_char_offset, was_snippet,"
    " scene, page, paragraph, char_offset, snippet"
)


def _place_arrays(first: int) -> str:
    """`$first::integer[], …`: the was and now place columns of moves, for unnest."""
    kinds = enumerate(_PLACE_TYPES * 2, start=first)
    return ", ".join(f"${number}::{kind}[]" for number, kind in kinds)


_LOCK_READERS = """
    SELECT 1 FROM positions WHERE story_id = $1 AND user_id = ANY($2::bigint[])
    ORDER BY user_id FOR UPDATE
"""
# A changed text moves readers, not their reading: updated_at stays, a pending notice too
# unless the move brings one.
_MOVE_READERS = f"""
    UPDATE positions AS target SET
        scene = m.scene, page = m.page, paragraph = m.paragraph,
        char_offset = m.char_offset, snippet = m.snippet,
        notice = coalesce(m.notice, target.notice)
    FROM unnest($2::bigint[], {_place_arrays(3)}, $13::text[])
        AS m(user_id, {_MOVE_COLUMNS}, notice)
    WHERE target.story_id = $1 AND target.user_id = m.user_id AND {_AT_WAS}
"""
_CLEAR_NOTICE = "UPDATE positions SET notice = NULL WHERE user_id = $1 AND story_id = $2"

_LOCK_READER_BOOKMARKS = "SELECT pg_advisory_xact_lock(hashtext($1::text), hashtext($2::text))"
_MAY_WRITE = "SELECT storybot_may_write($1, $2)"
_ADD_BOOKMARK = """
    INSERT INTO bookmarks (
        user_id, story_id, scene, page, paragraph, char_offset, snippet, note, created_at
    )
    SELECT $1::bigint, $2::text, $3::integer, $4::integer, $5::integer, $6::integer,
        $7::text, $8::text, now()
    WHERE (SELECT count(*) FROM bookmarks WHERE user_id = $1 AND story_id = $2) < $9
    RETURNING id, created_at
"""
_GET_BOOKMARK = f"SELECT {_BOOKMARK_COLUMNS} FROM bookmarks WHERE id = $1 AND user_id = $2"
_BOOKMARKS_FOR_USER = f"SELECT {_BOOKMARK_COLUMNS} FROM bookmarks WHERE user_id = $1 ORDER BY id"
_BOOKMARKS_OF_STORY = (
    f"SELECT {_BOOKMARK_COLUMNS} FROM bookmarks WHERE user_id = $1 AND story_id = $2 ORDER BY id"
)
_BOOKMARKS_FOR_STORY = f"SELECT {_BOOKMARK_COLUMNS} FROM bookmarks WHERE story_id = $1 ORDER BY id"
_REMOVE_BOOKMARK = (
    f"DELETE FROM bookmarks WHERE id = $1 AND user_id = $2 RETURNING {_BOOKMARK_COLUMNS}"
)
_LOCK_BOOKMARKS = "SELECT 1 FROM bookmarks WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE"
_MOVE_BOOKMARKS = f"""
    UPDATE bookmarks AS target SET
        scene = m.scene, page = m.page, paragraph = m.paragraph,
        char_offset = m.char_offset, snippet = m.snippet
    FROM unnest($1::bigint[], {_place_arrays(2)})
        AS m(id, {_MOVE_COLUMNS})
    WHERE target.id = m.id AND {_AT_WAS}
"""

_SEEN_QUOTES = "SELECT quote_id FROM seen_quotes WHERE user_id = $1 AND story_id = $2"
_ALL_SEEN_QUOTES = "SELECT story_id, quote_id FROM seen_quotes WHERE user_id = $1"
_MARK_QUOTE_SEEN = """
    INSERT INTO seen_quotes (user_id, story_id, quote_id)
    SELECT $1::bigint, $2::text, $3::text WHERE storybot_may_write($1, $4)
    ON CONFLICT DO NOTHING
"""
_FORGET_QUOTES = (
    "DELETE FROM seen_quotes WHERE user_id = $1 AND story_id = $2 AND quote_id = ANY($3::text[])"
)
_FORGET_ALL_QUOTES = "DELETE FROM seen_quotes WHERE user_id = $1 AND story_id = $2"

_GET_FLAG = "SELECT value FROM user_flags WHERE user_id = $1 AND flag = $2"
_ALL_FLAGS = "SELECT flag, value FROM user_flags WHERE user_id = $1"
_SET_FLAG = """
    INSERT INTO user_flags (user_id, flag, value)
    SELECT $1::bigint, $2::text, $3::text WHERE storybot_may_write($1, $4)
    ON CONFLICT (user_id, flag) DO UPDATE SET value = EXCLUDED.value
"""
_GET_META = "SELECT value FROM meta WHERE key = $1"
_SET_META = """
    INSERT INTO meta (key, value) VALUES ($1, $2)
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
"""
_TEXT_VERSIONS = "SELECT story_id, digest FROM texts"
_SET_TEXT_VERSION = """
    INSERT INTO texts (story_id, digest) VALUES ($1, $2)
    ON CONFLICT (story_id) DO UPDATE SET digest = EXCLUDED.digest
"""

_READALONGS_STARTED = "SELECT channel_id FROM readalongs WHERE created_by = $1 ORDER BY channel_id"
_LOCK_USER = "SELECT pg_advisory_xact_lock($1)"  # exclusive: waits out the user's writes
# One statement after the lock: its snapshot holds every write committed before it.
_DELETE_USER = """
    WITH positions_gone AS (DELETE FROM positions WHERE user_id = $1 RETURNING 1),
        bookmarks_gone AS (DELETE FROM bookmarks WHERE user_id = $1 RETURNING 1),
        quotes_gone AS (DELETE FROM seen_quotes WHERE user_id = $1 RETURNING 1),
        flags_gone AS (DELETE FROM user_flags WHERE user_id = $1 RETURNING 1),
        -- A read-along they set up stays for its channel; who set it up is forgotten.
        starter_forgotten AS (
            UPDATE readalongs SET created_by = NULL WHERE created_by = $1 RETURNING 1
        ),
        forgotten AS (DELETE FROM erasures WHERE erased_at < $3 AND user_id <> $1),
        remembered AS (
            INSERT INTO erasures (user_id, erased_at) VALUES ($1, $2)
            ON CONFLICT (user_id) DO UPDATE
            SET erased_at = greatest(erasures.erased_at, EXCLUDED.erased_at)
        )
    SELECT (SELECT count(*) FROM positions_gone) + (SELECT count(*) FROM bookmarks_gone)
        + (SELECT count(*) FROM quotes_gone) + (SELECT count(*) FROM flags_gone)
        + (SELECT count(*) FROM starter_forgotten)
"""


def _position(row: asyncpg.Record) -> Position:
    return position_from_row(tuple(row), row["updated_at"])


def _bookmark(row: asyncpg.Record) -> Bookmark:
    return bookmark_from_row(tuple(row), row["created_at"])


def _changed(status: str) -> int:
    """Rows changed, from a command status such as "UPDATE 3"."""
    return int(status.rsplit(" ", 1)[-1])


def _move_arrays(moves: Iterable[tuple[Any, ...]]) -> list[list[Any]]:
    """Rows of move values, turned into one array per column (for unnest)."""
    return [list(column) for column in zip(*moves, strict=True)]


class PostgresStorage:
    """Open with `await PostgresStorage.open(location)`, or build on a pool already made."""

    def __init__(self, pool: asyncpg.Pool, location: PostgresLocation) -> None:
        """Use `open` (or `migrate` the pool's database first)."""
        self._pool = pool
        self.location = location
        self._faults = FaultEpisodes(location.describe())
        self._closed = False
        self._readalongs = PostgresReadAlongs(self._fetch, self._write)
        self._search = PostgresSearch(self._fetch, self._write, self._transaction)

    @property
    def readalongs(self) -> PostgresReadAlongs:
        return self._readalongs

    @property
    def search(self) -> PostgresSearch:
        return self._search

    @property
    def backend(self) -> str:
        return "postgresql"

    @classmethod
    async def open(
        cls, location: PostgresLocation, *, pool_size: int = DEFAULT_POOL_SIZE
    ) -> PostgresStorage:
        """Make the pool and migrate the schema; `StorageSetupError` (one line) when the
        server cannot be reached or used."""
        migrations = load_migrations(migrations_dir("postgresql"))
        pool = await create_pool(location, pool_size)
        try:
            # The first connection: where most faults show.
            await migrate(pool, migrations, where=f"the {location.describe()}")
        except BaseException as error:
            await pool.close()
            if isinstance(error, Exception) and not isinstance(error, StorageSetupError):
                raise explain(location, error) from None
            raise
        log.info("PostgreSQL storage opened: %s", location.describe())
        return cls(pool, location)

    async def close(self) -> None:
        """Wait for the calls in flight, then close the pool. Idempotent."""
        if not self._closed:
            self._closed = True
            await self._pool.close()
            log.info("PostgreSQL storage closed (%s)", self.location.describe())

    @asynccontextmanager
    async def _guard(self, doing: str) -> AsyncIterator[None]:
        """Turn a fault of the server into `StorageUnavailable` (logged once an episode)."""
        if self._closed:
            raise StoreClosed("the PostgreSQL storage is closed")
        try:
            yield
        except _FAULTS as error:
            if self._closed:
                raise StoreClosed("the PostgreSQL storage is closed") from error
            self._faults.failed(error, doing=doing)
            # The idle connections died with this one: new ones at their next use.
            await self._pool.expire_connections()
            unavailable = StorageReadUnavailable if doing == "reading" else StorageUnavailable
            raise unavailable(str(error)) from error
        self._faults.worked(doing=doing)

    async def _fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        async with self._guard("reading"):
            return await self._pool.fetch(sql, *args)

    async def _write(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        async with self._guard("writing"):
            return await self._pool.fetch(sql, *args)

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[asyncpg.pool.PoolConnectionProxy[Any]]:
        """A pooled connection in a transaction, its faults the storage's own errors."""
        async with self._guard("writing"), self._pool.acquire() as conn, conn.transaction():
            yield conn

    # --- positions -----------------------------------------------------------------------

    async def get_position(self, user_id: int, story_id: str) -> Position | None:
        rows = await self._fetch(_GET_POSITION, user_id, story_id)
        return _position(rows[0]) if rows else None

    async def positions_for_user(self, user_id: int) -> list[Position]:
        return [_position(row) for row in await self._fetch(_POSITIONS_FOR_USER, user_id)]

    async def positions_for_story(self, story_id: str) -> list[Position]:
        return [_position(row) for row in await self._fetch(_POSITIONS_FOR_STORY, story_id)]

    async def open_position(
        self, user_id: int, story_id: str, first: Anchor, *, asked_at: datetime
    ) -> Position | None:
        rows = await self._write(
            _OPEN_POSITION,
            user_id,
            story_id,
            *place_columns(first),
            None,
            check_aware(asked_at),
        )
        return _position(rows[0]) if rows else None

    async def save_position(
        self,
        user_id: int,
        story_id: str,
        place: Anchor,
        *,
        asked_at: datetime,
        notice: str | None = None,
    ) -> Position | None:
        rows = await self._write(
            _SAVE_POSITION,
            user_id,
            story_id,
            *place_columns(place),
            notice,
            check_aware(asked_at),
        )
        if not rows:
            return None
        return Position(user_id, story_id, place, rows[0]["updated_at"], notice)

    async def move_readers(self, story_id: str, moves: Sequence[ReaderMove]) -> int:
        if not moves:
            return 0
        columns = _move_arrays(
            (move.user_id, *place_columns(move.was), *place_columns(move.now), move.notice)
            for move in moves
        )
        async with self._guard("writing"), self._pool.acquire() as conn, conn.transaction():
            await conn.execute(_LOCK_READERS, story_id, columns[0])
            return _changed(await conn.execute(_MOVE_READERS, story_id, *columns))

    async def clear_notice(self, user_id: int, story_id: str) -> None:
        await self._write(_CLEAR_NOTICE, user_id, story_id)

    # --- bookmarks -----------------------------------------------------------------------

    async def add_bookmark(
        self,
        user_id: int,
        story_id: str,
        place: Anchor,
        note: str | None,
        *,
        asked_at: datetime,
    ) -> Bookmark | None:
        check_aware(asked_at)
        async with self._guard("writing"), self._pool.acquire() as conn, conn.transaction():
            await conn.execute(_LOCK_READER_BOOKMARKS, str(user_id), story_id)
            if not await conn.fetchval(_MAY_WRITE, user_id, asked_at):
                return None
            row = await conn.fetchrow(
                _ADD_BOOKMARK,
                user_id,
                story_id,
                *place_columns(place),
                note,
                MAX_BOOKMARKS_PER_STORY,
            )
        if row is None:
            raise BookmarkLimitReached(MAX_BOOKMARKS_PER_STORY)
        return Bookmark(int(row["id"]), user_id, story_id, place, note, row["created_at"])

    async def list_bookmarks(self, user_id: int, story_id: str | None = None) -> list[Bookmark]:
        if story_id is None:
            rows = await self._fetch(_BOOKMARKS_FOR_USER, user_id)
        else:
            rows = await self._fetch(_BOOKMARKS_OF_STORY, user_id, story_id)
        return [_bookmark(row) for row in rows]

    async def get_bookmark(self, user_id: int, bookmark_id: int) -> Bookmark:
        rows = await self._fetch(_GET_BOOKMARK, bookmark_id, user_id)
        if not rows:
            raise BookmarkNotFound(bookmark_id)
        return _bookmark(rows[0])

    async def remove_bookmark(self, user_id: int, bookmark_id: int) -> Bookmark:
        rows = await self._write(_REMOVE_BOOKMARK, bookmark_id, user_id)
        if not rows:
            raise BookmarkNotFound(bookmark_id)
        return _bookmark(rows[0])

    async def bookmarks_for_story(self, story_id: str) -> list[Bookmark]:
        return [_bookmark(row) for row in await self._fetch(_BOOKMARKS_FOR_STORY, story_id)]

    async def move_bookmarks(self, moves: Sequence[BookmarkMove]) -> int:
        if not moves:
            return 0
        columns = _move_arrays(
            (move.bookmark_id, *place_columns(move.was), *place_columns(move.now)) for move in moves
        )
        async with self._guard("writing"), self._pool.acquire() as conn, conn.transaction():
            await conn.execute(_LOCK_BOOKMARKS, columns[0])
            return _changed(await conn.execute(_MOVE_BOOKMARKS, *columns))

    # --- quotes already shown ------------------------------------------------------------

    async def seen_quotes(self, user_id: int, story_id: str) -> set[str]:
        return {str(row[0]) for row in await self._fetch(_SEEN_QUOTES, user_id, story_id)}

    async def mark_quote_seen(
        self, user_id: int, story_id: str, quote_id: str, *, asked_at: datetime
    ) -> None:
        await self._write(_MARK_QUOTE_SEEN, user_id, story_id, quote_id, check_aware(asked_at))

    async def forget_seen_quotes(
        self, user_id: int, story_id: str, quote_ids: Iterable[str] | None = None
    ) -> None:
        if quote_ids is None:
            await self._write(_FORGET_ALL_QUOTES, user_id, story_id)
            return
        wanted = list(dict.fromkeys(quote_ids))
        if wanted:
            await self._write(_FORGET_QUOTES, user_id, story_id, wanted)

    # --- per-user flags and bot-wide values ----------------------------------------------

    async def get_flag(self, user_id: int, flag: str) -> str | None:
        rows = await self._fetch(_GET_FLAG, user_id, flag)
        return str(rows[0][0]) if rows else None

    async def set_flag(self, user_id: int, flag: str, value: str, *, asked_at: datetime) -> None:
        await self._write(_SET_FLAG, user_id, flag, value, check_aware(asked_at))

    async def get_meta(self, key: str) -> str | None:
        rows = await self._fetch(_GET_META, key)
        return str(rows[0][0]) if rows else None

    async def set_meta(self, key: str, value: str) -> None:
        await self._write(_SET_META, key, value)

    # --- texts served --------------------------------------------------------------------

    async def text_versions(self) -> dict[str, str]:
        return {str(row[0]): str(row[1]) for row in await self._fetch(_TEXT_VERSIONS)}

    async def set_text_version(self, story_id: str, digest: str) -> None:
        await self._write(_SET_TEXT_VERSION, story_id, digest)

    # --- a user's data as a whole --------------------------------------------------------

    async def export_user(self, user_id: int) -> UserData:
        async with (
            self._guard("reading"),
            self._pool.acquire() as conn,
            conn.transaction(isolation="repeatable_read", readonly=True),
        ):
            positions = await conn.fetch(_POSITIONS_FOR_USER, user_id)
            bookmarks = await conn.fetch(_BOOKMARKS_FOR_USER, user_id)
            quotes = await conn.fetch(_ALL_SEEN_QUOTES, user_id)
            flags = await conn.fetch(_ALL_FLAGS, user_id)
            started = await conn.fetch(_READALONGS_STARTED, user_id)
        seen: dict[str, set[str]] = {}
        for story_id, quote_id in quotes:
            seen.setdefault(story_id, set()).add(quote_id)
        return UserData(
            user_id=user_id,
            positions=tuple(_position(row) for row in positions),
            bookmarks=tuple(_bookmark(row) for row in bookmarks),
            seen_quotes={story_id: frozenset(ids) for story_id, ids in seen.items()},
            flags={str(flag): str(value) for flag, value in flags},
            readalongs_started=tuple(int(row[0]) for row in started),
        )

    async def delete_user(self, user_id: int, *, at: datetime) -> int:
        check_aware(at)
        async with self._guard("writing"), self._pool.acquire() as conn, conn.transaction():
            await conn.execute(_LOCK_USER, user_id)
            deleted = int(await conn.fetchval(_DELETE_USER, user_id, at, at - ERASURE_MEMORY))
        log.info("deleted %d rows of user %d", deleted, user_id)
        return deleted
