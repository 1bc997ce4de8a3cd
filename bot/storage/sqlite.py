"""`SQLiteStorage`: the `Storage` interface on one SQLite file (WAL), the embedded default.

Every write is one statement, or a few in the transaction of its batch (`sqlite_worker`):
SQLite lets one writer at a time hold the file, across processes, so a check and the write it
guards (the erasure check, the bookmark limit) cannot be split by another process's write.
Moments are stored as ISO 8601 UTC text with microseconds, so they also compare as text.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from bot.library.anchors import Anchor, Place
from bot.storage.errors import BookmarkLimitReached, BookmarkNotFound
from bot.storage.faults import FaultEpisodes
from bot.storage.interface import ERASURE_MEMORY
from bot.storage.records import (
    MAX_BOOKMARKS_PER_STORY,
    Bookmark,
    BookmarkMove,
    Position,
    ReaderMove,
    UserData,
)
from bot.storage.rows import (
    bookmark_from_row,
    place_columns,
    position_from_row,
)
from bot.storage.schema import TABLE_COLUMNS, USER_TABLES, load_migrations, migrations_dir
from bot.storage.sqlite_readalongs import SQLiteReadAlongs
from bot.storage.sqlite_search import SQLiteSearch
from bot.storage.sqlite_setup import (
    BUSY_TIMEOUT_MS,
    check_intact,
    check_sqlite_version,
    connect,
    explain,
    migrate,
    prepare_path,
)
from bot.storage.sqlite_values import fetch_rows, time_text
from bot.storage.sqlite_worker import SQLiteWorker

log = logging.getLogger(__name__)

Row = tuple[Any, ...]
Params = dict[str, Any]

_POSITION_COLUMNS = ", ".join(TABLE_COLUMNS["positions"])
_BOOKMARK_COLUMNS = ", ".join(TABLE_COLUMNS["bookmarks"])
_PLACE = ":scene, :page, :paragraph, :char_offset, :snippet"
_SET_PLACE = (
    "scene = excluded.scene, page = excluded.page, paragraph = excluded.paragraph,"
    " char_offset = excluded.char_offset, snippet = excluded.snippet"
)
# Null-safe: a page place has NULL anchor columns and an anchor a NULL page.
_AT_WAS = (
    "scene = :was_scene AND page IS :was_page AND paragraph IS :was_paragraph"
    " AND char_offset IS :was_char_offset AND snippet IS :was_snippet"
)
# A write asked for before the user's data was erased writes nothing (see interface.py).
_NOT_ERASED = (
    "NOT EXISTS (SELECT 1 FROM erasures WHERE user_id = :user_id AND erased_at >= :asked_at)"
)

_GET_POSITION = f"SELECT {_POSITION_COLUMNS} FROM positions WHERE user_id = ? AND story_id = ?"
_POSITIONS_FOR_USER = (
    f"SELECT {_POSITION_COLUMNS} FROM positions WHERE user_id = ?"
    " ORDER BY updated_at DESC, story_id"
)
_POSITIONS_FOR_STORY = (
    f"SELECT {_POSITION_COLUMNS} FROM positions WHERE story_id = ? ORDER BY user_id"
)
# Opening: the saved place, or for a new reader `first`; either way the row counts as just
# read, so "the story you read last" follows /read.
_OPEN_POSITION = f"""
    INSERT INTO positions ({_POSITION_COLUMNS})
    SELECT :user_id, :story_id, {_PLACE}, :now, NULL WHERE {_NOT_ERASED}
    ON CONFLICT (user_id, story_id) DO UPDATE SET updated_at = excluded.updated_at
    RETURNING {_POSITION_COLUMNS}
"""
_SAVE_POSITION = f"""
    INSERT INTO positions ({_POSITION_COLUMNS})
    SELECT :user_id, :story_id, {_PLACE}, :now, :notice WHERE {_NOT_ERASED}
    ON CONFLICT (user_id, story_id) DO UPDATE SET
        {_SET_PLACE}, updated_at = excluded.updated_at, notice = excluded.notice
    RETURNING 1
"""
# A changed text moves readers, not their reading: updated_at stays, a pending notice too
# unless the move brings one.
_MOVE_READER = f"""
    UPDATE positions SET
        scene = :scene, page = :page, paragraph = :paragraph, char_offset = :char_offset,
        snippet = :snippet, notice = coalesce(:notice, notice)
    WHERE user_id = :user_id AND story_id = :story_id AND {_AT_WAS}
"""
_CLEAR_NOTICE = "UPDATE positions SET notice = NULL WHERE user_id = ? AND story_id = ?"

_ERASED_SINCE = "SELECT 1 FROM erasures WHERE user_id = :user_id AND erased_at >= :asked_at"
_COUNT_BOOKMARKS = (
    "SELECT count(*) FROM bookmarks WHERE user_id = :user_id AND story_id = :story_id"
)
_ADD_BOOKMARK = f"""
    INSERT INTO bookmarks ({_BOOKMARK_COLUMNS})
    VALUES (NULL, :user_id, :story_id, {_PLACE}, :note, :now)
    RETURNING id
"""
_GET_BOOKMARK = f"SELECT {_BOOKMARK_COLUMNS} FROM bookmarks WHERE id = ? AND user_id = ?"
_BOOKMARKS_FOR_USER = f"SELECT {_BOOKMARK_COLUMNS} FROM bookmarks WHERE user_id = ? ORDER BY id"
_BOOKMARKS_OF_STORY = (
    f"SELECT {_BOOKMARK_COLUMNS} FROM bookmarks WHERE user_id = ? AND story_id = ? ORDER BY id"
)
_BOOKMARKS_FOR_STORY = f"SELECT {_BOOKMARK_COLUMNS} FROM bookmarks WHERE story_id = ? ORDER BY id"
_REMOVE_BOOKMARK = (
    f"DELETE FROM bookmarks WHERE id = ? AND user_id = ? RETURNING {_BOOKMARK_COLUMNS}"
)
_MOVE_BOOKMARK = f"""
    UPDATE bookmarks SET
        scene = :scene, page = :page, paragraph = :paragraph, char_offset = :char_offset,
        snippet = :snippet
    WHERE id = :id AND {_AT_WAS}
"""

_SEEN_QUOTES = "SELECT quote_id FROM seen_quotes WHERE user_id = ? AND story_id = ?"
_ALL_SEEN_QUOTES = "SELECT story_id, quote_id FROM seen_quotes WHERE user_id = ?"
_MARK_QUOTE_SEEN = f"""
    INSERT INTO seen_quotes (user_id, story_id, quote_id)
    SELECT :user_id, :story_id, :quote_id WHERE {_NOT_ERASED}
    ON CONFLICT DO NOTHING
"""
_FORGET_QUOTE = "DELETE FROM seen_quotes WHERE user_id = ? AND story_id = ? AND quote_id = ?"
_FORGET_ALL_QUOTES = "DELETE FROM seen_quotes WHERE user_id = ? AND story_id = ?"

_GET_FLAG = "SELECT value FROM user_flags WHERE user_id = ? AND flag = ?"
_ALL_FLAGS = "SELECT flag, value FROM user_flags WHERE user_id = ?"
_SET_FLAG = f"""
    INSERT INTO user_flags (user_id, flag, value)
    SELECT :user_id, :flag, :value WHERE {_NOT_ERASED}
    ON CONFLICT (user_id, flag) DO UPDATE SET value = excluded.value
"""
_GET_META = "SELECT value FROM meta WHERE key = ?"
_SET_META = """
    INSERT INTO meta (key, value) VALUES (?, ?)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value
"""
_TEXT_VERSIONS = "SELECT story_id, digest FROM texts"
_SET_TEXT_VERSION = """
    INSERT INTO texts (story_id, digest) VALUES (?, ?)
    ON CONFLICT (story_id) DO UPDATE SET digest = excluded.digest
"""

_DELETE_USER_ROWS = tuple(f"DELETE FROM {table} WHERE user_id = ?" for table in USER_TABLES)
# A read-along a user set up stays for the channel: only who set it up is forgotten.
_FORGET_STARTER = "UPDATE readalongs SET created_by = NULL WHERE created_by = ?"
_READALONGS_STARTED = "SELECT channel_id FROM readalongs WHERE created_by = ? ORDER BY channel_id"
_FORGET_OLD_ERASURES = "DELETE FROM erasures WHERE erased_at < ?"
_REMEMBER_ERASURE = """
    INSERT INTO erasures (user_id, erased_at) VALUES (?, ?)
    ON CONFLICT (user_id) DO UPDATE SET erased_at = max(erased_at, excluded.erased_at)
"""


def _position(row: Row) -> Position:
    return position_from_row(row, datetime.fromisoformat(row[7]))


def _bookmark(row: Row) -> Bookmark:
    return bookmark_from_row(row, datetime.fromisoformat(row[9]))


def _place_params(place: Place, prefix: str = "") -> Params:
    names = ("scene", "page", "paragraph", "char_offset", "snippet")
    return {prefix + name: value for name, value in zip(names, place_columns(place), strict=True)}


def _changes(sql: str, params: Iterable[Sequence[Any] | Params], conn: sqlite3.Connection) -> int:
    return conn.executemany(sql, params).rowcount


def _add_bookmark(params: Params, conn: sqlite3.Connection) -> int | None:
    # The batch's transaction holds SQLite's write lock: no other process can add a bookmark
    # or erase the user between these statements.
    if conn.execute(_ERASED_SINCE, params).fetchall():
        return None
    if conn.execute(_COUNT_BOOKMARKS, params).fetchone()[0] >= MAX_BOOKMARKS_PER_STORY:
        raise BookmarkLimitReached(MAX_BOOKMARKS_PER_STORY)
    return int(conn.execute(_ADD_BOOKMARK, params).fetchall()[0][0])


def _delete_user(user_id: int, at: datetime, conn: sqlite3.Connection) -> int:
    deleted = sum(conn.execute(sql, (user_id,)).rowcount for sql in _DELETE_USER_ROWS)
    deleted += conn.execute(_FORGET_STARTER, (user_id,)).rowcount
    conn.execute(_FORGET_OLD_ERASURES, (time_text(at - ERASURE_MEMORY),))
    conn.execute(_REMEMBER_ERASURE, (user_id, time_text(at)))
    return deleted


def _export_user(user_id: int, conn: sqlite3.Connection) -> UserData:
    conn.execute("BEGIN")  # one read transaction: one snapshot, whatever other processes do
    try:
        positions = fetch_rows(_POSITIONS_FOR_USER, (user_id,), conn)
        bookmarks = fetch_rows(_BOOKMARKS_FOR_USER, (user_id,), conn)
        quotes = fetch_rows(_ALL_SEEN_QUOTES, (user_id,), conn)
        flags = fetch_rows(_ALL_FLAGS, (user_id,), conn)
        started = fetch_rows(_READALONGS_STARTED, (user_id,), conn)
    finally:
        conn.execute("COMMIT")
    seen: dict[str, set[str]] = {}
    for story_id, quote_id in quotes:
        seen.setdefault(story_id, set()).add(quote_id)
    return UserData(
        user_id=user_id,
        positions=tuple(_position(row) for row in positions),
        bookmarks=tuple(_bookmark(row) for row in bookmarks),
        seen_quotes={story_id: frozenset(ids) for story_id, ids in seen.items()},
        flags={str(flag): str(value) for flag, value in flags},
        readalongs_started=tuple(int(channel_id) for (channel_id,) in started),
    )


class SQLiteStorage:
    """Open with `await SQLiteStorage.open(path)`."""

    def __init__(self, worker: SQLiteWorker, path: Path) -> None:
        """Use `open`: it checks, configures and migrates the database first."""
        self._worker = worker
        self.path = path
        self._readalongs = SQLiteReadAlongs(worker)
        self._search = SQLiteSearch(worker)

    @property
    def readalongs(self) -> SQLiteReadAlongs:
        return self._readalongs

    @property
    def search(self) -> SQLiteSearch:
        return self._search

    @property
    def backend(self) -> str:
        return "sqlite"

    @classmethod
    async def open(
        cls,
        path: Path,
        *,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        migrations_folder: Path | None = None,
    ) -> SQLiteStorage:
        """Open (creating it if needed) the database at `path` and migrate it.

        `StorageSetupError`, one line, when it cannot be used. `migrations_folder` replaces
        the bundled migrations; tests use it.
        """
        check_sqlite_version()
        folder = migrations_folder or migrations_dir("sqlite")
        migrations = await asyncio.to_thread(load_migrations, folder)

        def open_on_thread() -> sqlite3.Connection:
            prepare_path(path)
            try:
                conn = connect(path, busy_timeout_ms)
            except (sqlite3.Error, OSError) as error:
                raise explain(path, error) from error
            try:
                check_intact(conn, path)
                migrate(conn, migrations, where=f"the SQLite database {path}")
            except (sqlite3.Error, OSError) as error:
                conn.close()
                raise explain(path, error) from error
            except BaseException:
                conn.close()
                raise
            return conn

        worker = await SQLiteWorker.start(open_on_thread, FaultEpisodes(str(path)))
        log.info("SQLite storage opened at %s", path)
        return cls(worker, path)

    async def close(self) -> None:
        """Commit the writes already asked for, then close the file. Idempotent."""
        if not self._worker.closed:
            await self._worker.close()
            log.info("SQLite storage closed at %s", self.path)

    async def _query(self, sql: str, *params: Any) -> list[Row]:
        return await self._worker.read(partial(fetch_rows, sql, params))

    async def _write_rows(self, sql: str, params: Sequence[Any] | Params) -> list[Row]:
        return await self._worker.write(partial(fetch_rows, sql, params))

    # --- positions -----------------------------------------------------------------------

    async def get_position(self, user_id: int, story_id: str) -> Position | None:
        rows = await self._query(_GET_POSITION, user_id, story_id)
        return _position(rows[0]) if rows else None

    async def positions_for_user(self, user_id: int) -> list[Position]:
        return [_position(row) for row in await self._query(_POSITIONS_FOR_USER, user_id)]

    async def positions_for_story(self, story_id: str) -> list[Position]:
        return [_position(row) for row in await self._query(_POSITIONS_FOR_STORY, story_id)]

    async def open_position(
        self, user_id: int, story_id: str, first: Anchor, *, asked_at: datetime
    ) -> Position | None:
        params = {
            "user_id": user_id,
            "story_id": story_id,
            **_place_params(first),
            "now": time_text(datetime.now(UTC)),
            "asked_at": time_text(asked_at),
        }
        rows = await self._write_rows(_OPEN_POSITION, params)
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
        now = datetime.now(UTC)
        params = {
            "user_id": user_id,
            "story_id": story_id,
            **_place_params(place),
            "now": time_text(now),
            "notice": notice,
            "asked_at": time_text(asked_at),
        }
        if not await self._write_rows(_SAVE_POSITION, params):
            return None
        return Position(user_id, story_id, place, now, notice)

    async def move_readers(self, story_id: str, moves: Sequence[ReaderMove]) -> int:
        params = [
            {
                "user_id": move.user_id,
                "story_id": story_id,
                **_place_params(move.now),
                **_place_params(move.was, "was_"),
                "notice": move.notice,
            }
            for move in moves
        ]
        if not params:
            return 0
        return await self._worker.write(partial(_changes, _MOVE_READER, params))

    async def clear_notice(self, user_id: int, story_id: str) -> None:
        await self._write_rows(_CLEAR_NOTICE, (user_id, story_id))

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
        now = datetime.now(UTC)
        params = {
            "user_id": user_id,
            "story_id": story_id,
            **_place_params(place),
            "note": note,
            "now": time_text(now),
            "asked_at": time_text(asked_at),
        }
        bookmark_id = await self._worker.write(partial(_add_bookmark, params))
        if bookmark_id is None:
            return None
        return Bookmark(bookmark_id, user_id, story_id, place, note, now)

    async def list_bookmarks(self, user_id: int, story_id: str | None = None) -> list[Bookmark]:
        if story_id is None:
            rows = await self._query(_BOOKMARKS_FOR_USER, user_id)
        else:
            rows = await self._query(_BOOKMARKS_OF_STORY, user_id, story_id)
        return [_bookmark(row) for row in rows]

    async def get_bookmark(self, user_id: int, bookmark_id: int) -> Bookmark:
        rows = await self._query(_GET_BOOKMARK, bookmark_id, user_id)
        if not rows:
            raise BookmarkNotFound(bookmark_id)
        return _bookmark(rows[0])

    async def remove_bookmark(self, user_id: int, bookmark_id: int) -> Bookmark:
        rows = await self._write_rows(_REMOVE_BOOKMARK, (bookmark_id, user_id))
        if not rows:
            raise BookmarkNotFound(bookmark_id)
        return _bookmark(rows[0])

    async def bookmarks_for_story(self, story_id: str) -> list[Bookmark]:
        return [_bookmark(row) for row in await self._query(_BOOKMARKS_FOR_STORY, story_id)]

    async def move_bookmarks(self, moves: Sequence[BookmarkMove]) -> int:
        params = [
            {"id": move.bookmark_id, **_place_params(move.now), **_place_params(move.was, "was_")}
            for move in moves
        ]
        if not params:
            return 0
        return await self._worker.write(partial(_changes, _MOVE_BOOKMARK, params))

    # --- quotes already shown ------------------------------------------------------------

    async def seen_quotes(self, user_id: int, story_id: str) -> set[str]:
        return {str(row[0]) for row in await self._query(_SEEN_QUOTES, user_id, story_id)}

    async def mark_quote_seen(
        self, user_id: int, story_id: str, quote_id: str, *, asked_at: datetime
    ) -> None:
        params = {
            "user_id": user_id,
            "story_id": story_id,
            "quote_id": quote_id,
            "asked_at": time_text(asked_at),
        }
        await self._write_rows(_MARK_QUOTE_SEEN, params)

    async def forget_seen_quotes(
        self, user_id: int, story_id: str, quote_ids: Iterable[str] | None = None
    ) -> None:
        if quote_ids is None:
            await self._write_rows(_FORGET_ALL_QUOTES, (user_id, story_id))
            return
        params = [(user_id, story_id, quote_id) for quote_id in dict.fromkeys(quote_ids)]
        if params:
            await self._worker.write(partial(_changes, _FORGET_QUOTE, params))

    # --- per-user flags and bot-wide values ----------------------------------------------

    async def get_flag(self, user_id: int, flag: str) -> str | None:
        rows = await self._query(_GET_FLAG, user_id, flag)
        return str(rows[0][0]) if rows else None

    async def set_flag(self, user_id: int, flag: str, value: str, *, asked_at: datetime) -> None:
        params = {"user_id": user_id, "flag": flag, "value": value}
        await self._write_rows(_SET_FLAG, {**params, "asked_at": time_text(asked_at)})

    async def get_meta(self, key: str) -> str | None:
        rows = await self._query(_GET_META, key)
        return str(rows[0][0]) if rows else None

    async def set_meta(self, key: str, value: str) -> None:
        await self._write_rows(_SET_META, (key, value))

    # --- texts served --------------------------------------------------------------------

    async def text_versions(self) -> dict[str, str]:
        return {str(story): str(digest) for story, digest in await self._query(_TEXT_VERSIONS)}

    async def set_text_version(self, story_id: str, digest: str) -> None:
        await self._write_rows(_SET_TEXT_VERSION, (story_id, digest))

    # --- a user's data as a whole --------------------------------------------------------

    async def export_user(self, user_id: int) -> UserData:
        return await self._worker.read(partial(_export_user, user_id))

    async def delete_user(self, user_id: int, *, at: datetime) -> int:
        deleted = await self._worker.write(partial(_delete_user, user_id, at))
        log.info("deleted %d rows of user %d", deleted, user_id)
        return deleted
