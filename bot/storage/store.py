"""`ReadingStore`: the SQLite storage of the bot, and the only code of the project with SQL.

One aiosqlite connection serves everything, and every call to it is a trip to its thread, so
the store makes as few as it can. Writes use group commit: callers queue their statements and
await a future; one writer task takes everything queued and applies it together, then
resolves the futures, so a caller resumes only once its write is committed. Position writes
of many readers merge into one multi-row statement (one `VALUES` row per reader, results
routed back by key), and a round that comes down to a single statement runs it alone, as its
own transaction: 64 readers turning pages at once cost one trip, not 128. Any other round is
one explicit transaction. Position reads asked for together are answered by one query.

aiosqlite runs every call on its own thread, in order, so a read could otherwise land in the
middle of a write transaction and see rows that are not committed yet; `_tx_lock` keeps reads
and write transactions apart.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import aiosqlite

from bot.storage.models import (
    MAX_BOOKMARKS_PER_STORY,
    MAX_NOTE_LENGTH,
    Bookmark,
    BookmarkLimitReached,
    BookmarkNotFound,
    ComputePosition,
    Place,
    Position,
    SchemaTooNew,
    SQLiteTooOld,
    StoreClosed,
    UserData,
)

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
MIN_SQLITE = (3, 35)  # RETURNING (and UPDATE … FROM, 3.33)
BUSY_TIMEOUT_MS = 5_000  # how long a write waits for another process holding the file

# Errors about the database as a whole, not about one write: retrying the writes of a failed
# batch one by one would only fail each again (and wait out the busy timeout each time).
_WHOLE_DATABASE_ERRORS = frozenset(
    {
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_CORRUPT,
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_CANTOPEN,
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_NOTADB,
    }
)
_MIGRATION_NAME = re.compile(r"^(\d{4})_\w+\.sql$")

Rows = list[sqlite3.Row]

_POSITION_COLUMNS = "user_id, story_id, scene, page, updated_at, notice"
# What a write that sets updated_at itself needs back (it knows the time it wrote).
_WRITTEN_COLUMNS = "user_id, story_id, scene, page, notice"
_BOOKMARK_COLUMNS = "id, user_id, story_id, scene, page, note, created_at"

# Position reads asked for at the same time are answered by one query: one trip to the
# database thread for a whole burst of readers. SQLite allows 999 parameters at the least.
_POSITION_READ_CHUNK = 400
_POSITIONS_FOR_USER = (
    f"SELECT {_POSITION_COLUMNS} FROM positions WHERE user_id = ?"
    " ORDER BY updated_at DESC, story_id"
)
_POSITIONS_FOR_STORY = (
    f"SELECT {_POSITION_COLUMNS} FROM positions WHERE story_id = ? ORDER BY user_id"
)


@dataclass(frozen=True, slots=True)
class _Merged:
    """A statement that many callers' rows share: `head`, one `row` per caller, `tail`.

    Each caller's parameters start with its (user id, story id); when the statement returns
    rows (whose first two columns are the same key), each caller gets those of its key.
    Callers of one key must not share a statement when the rows they get back would differ:
    position moves are serialised per reader for this (and for their meaning).
    """

    head: str
    row: str
    tail: str
    returns_rows: bool

    def sql(self, rows: int) -> str:
        return self.head + ", ".join([self.row] * rows) + self.tail


# Rows per merged statement: 6 or 7 parameters each stays under SQLite's oldest limit of 999.
_MERGED_ROWS = 100
_POSITION_ROW = "(?, ?, ?, ?, ?, ?)"
_PUT_POSITIONS = _Merged(
    f"INSERT INTO positions ({_POSITION_COLUMNS}) VALUES ",
    _POSITION_ROW,
    """
    ON CONFLICT (user_id, story_id) DO UPDATE SET
        scene = excluded.scene,
        page = excluded.page,
        updated_at = excluded.updated_at,
        notice = excluded.notice""",
    returns_rows=False,
)
# Opening a story: the saved place, or (for a new reader) the given first place saved now.
# Either way the row counts as just read, so "the story you read last" follows /read.
_OPEN_POSITIONS = _Merged(
    f"INSERT INTO positions ({_POSITION_COLUMNS}) VALUES ",
    _POSITION_ROW,
    f"""
    ON CONFLICT (user_id, story_id) DO UPDATE SET updated_at = excluded.updated_at
    RETURNING {_WRITTEN_COLUMNS}""",
    returns_rows=True,
)
# A move is a compare-and-set: only a reader still at the expected place is moved (and
# returned); anyone else is left as they are, for a read-modify-write by the caller.
_MOVE_POSITIONS = _Merged(
    "WITH moves (user_id, story_id, from_scene, from_page, to_scene, to_page, at) AS (VALUES ",
    "(?, ?, ?, ?, ?, ?, ?)",
    f""")
    UPDATE positions
    SET scene = moves.to_scene, page = moves.to_page, updated_at = moves.at
    FROM moves
    WHERE positions.user_id = moves.user_id AND positions.story_id = moves.story_id
        AND positions.scene = moves.from_scene AND positions.page = moves.from_page
    RETURNING {_WRITTEN_COLUMNS}""",
    returns_rows=True,
)
_CLEAR_NOTICE = "UPDATE positions SET notice = NULL WHERE user_id = ? AND story_id = ?"
_DELETE_POSITION = "DELETE FROM positions WHERE user_id = ? AND story_id = ? RETURNING 1"

# The limit is checked inside the INSERT itself: all writes go through one connection and
# one transaction at a time, so no other insert can slip between the count and the row.
_ADD_BOOKMARK = """
    INSERT INTO bookmarks (user_id, story_id, scene, page, note, created_at)
    SELECT ?, ?, ?, ?, ?, ?
    WHERE (SELECT count(*) FROM bookmarks WHERE user_id = ? AND story_id = ?) < ?
    RETURNING id
"""
_GET_BOOKMARK = f"SELECT {_BOOKMARK_COLUMNS} FROM bookmarks WHERE id = ? AND user_id = ?"
_BOOKMARKS_FOR_USER = (
    f"SELECT {_BOOKMARK_COLUMNS} FROM bookmarks WHERE user_id = ?"
    " ORDER BY story_id, scene, page, id"
)
_BOOKMARKS_FOR_STORY = (
    f"SELECT {_BOOKMARK_COLUMNS} FROM bookmarks WHERE user_id = ? AND story_id = ?"
    " ORDER BY scene, page, id"
)
_REMOVE_BOOKMARK = (
    f"DELETE FROM bookmarks WHERE id = ? AND user_id = ? RETURNING {_BOOKMARK_COLUMNS}"
)

_SEEN_QUOTES = "SELECT quote_id FROM seen_quotes WHERE user_id = ? AND story_id = ?"
_ALL_SEEN_QUOTES = "SELECT story_id, quote_id FROM seen_quotes WHERE user_id = ?"
_MARK_QUOTE_SEEN = """
    INSERT INTO seen_quotes (user_id, story_id, quote_id) VALUES (?, ?, ?)
    ON CONFLICT DO NOTHING
"""
_FORGET_QUOTE = "DELETE FROM seen_quotes WHERE user_id = ? AND story_id = ? AND quote_id = ?"
_FORGET_ALL_QUOTES = "DELETE FROM seen_quotes WHERE user_id = ? AND story_id = ?"

_GET_META = "SELECT value FROM meta WHERE key = ?"
_SET_META = """
    INSERT INTO meta (key, value) VALUES (?, ?)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value
"""
_GET_FLAG = "SELECT value FROM user_flags WHERE user_id = ? AND flag = ?"
_ALL_FLAGS = "SELECT flag, value FROM user_flags WHERE user_id = ?"
_SET_FLAG = """
    INSERT INTO user_flags (user_id, flag, value) VALUES (?, ?, ?)
    ON CONFLICT (user_id, flag) DO UPDATE SET value = excluded.value
"""

# Every table with rows about a user; delete_user empties them all.
_DELETE_USER = tuple(
    f"DELETE FROM {table} WHERE user_id = ? RETURNING 1"
    for table in ("positions", "bookmarks", "seen_quotes", "user_flags")
)


# --- migrations ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations(folder: Path) -> list[Migration]:
    """The `NNNN_name.sql` files of `folder`, numbered 1, 2, 3… without gaps."""
    migrations = []
    for path in sorted(folder.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if match is None:
            raise ValueError(f"migration {path} is not named like 0001_initial.sql")
        migrations.append(Migration(int(match[1]), path.name, path.read_text("utf-8")))
    if not migrations:
        raise ValueError(f"no migrations in {folder}: is the package installed completely?")
    versions = [migration.version for migration in migrations]
    if versions != list(range(1, len(migrations) + 1)):
        raise ValueError(f"migrations in {folder} must be numbered 1, 2, 3… once each: {versions}")
    return migrations


def split_statements(script: str) -> list[str]:
    """Cut a SQL script into statements, since aiosqlite's `execute` runs one at a time.

    `executescript` would do it for us but first commits any open transaction, which would
    break applying all migrations in one. `sqlite3.complete_statement` knows strings,
    comments and trigger bodies, so a `;` inside them does not end a statement.
    """
    statements = []
    current = ""
    pieces = script.split(";")
    for index, piece in enumerate(pieces):
        # What follows the last ";" (usually a newline) is a statement without its ";".
        last = index == len(pieces) - 1
        current += piece if last else piece + ";"
        if last or sqlite3.complete_statement(current):
            if current.strip(" \t\r\n;"):
                statements.append(current)
            current = ""
    return statements


async def _user_version(conn: aiosqlite.Connection) -> int:
    rows = list(await conn.execute_fetchall("PRAGMA user_version"))
    return int(rows[0][0])


async def _migrate(conn: aiosqlite.Connection, migrations: Sequence[Migration]) -> None:
    """Apply every pending migration in ONE transaction: all of them, or none at all."""
    latest = len(migrations)
    await conn.execute("BEGIN IMMEDIATE")
    try:
        # Read inside the transaction: another process starting at the same moment waits on
        # BEGIN IMMEDIATE, then sees our version and has nothing left to do.
        current = await _user_version(conn)
        if current > latest:
            raise SchemaTooNew(
                f"the database is at schema version {current} but this bot only knows up to "
                f"{latest}: it was written by a newer version of the bot; upgrade the bot"
            )
        for migration in migrations[current:]:
            log.info("applying migration %s", migration.name)
            for statement in split_statements(migration.sql):
                await conn.execute(statement)
        if current < latest:
            # PRAGMA values cannot be bound as parameters; `latest` is an int we counted.
            await conn.execute(f"PRAGMA user_version = {int(latest)}")
        await conn.commit()
    except BaseException:
        await conn.rollback()
        raise
    if current < latest:
        log.info("database schema migrated from version %d to %d", current, latest)


# --- small helpers ---------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


def _time_text(moment: datetime) -> str:
    # Always with microseconds, so stored times compare correctly as text.
    return moment.isoformat(timespec="microseconds")


def _position(row: sqlite3.Row) -> Position:
    return Position(row[0], row[1], row[2], row[3], datetime.fromisoformat(row[4]), row[5])


def _written_position(row: sqlite3.Row, updated_at: datetime) -> Position:
    """A row of `_WRITTEN_COLUMNS`, returned by a write that set `updated_at` to this."""
    return Position(row[0], row[1], row[2], row[3], updated_at, row[4])


def _bookmark(row: sqlite3.Row) -> Bookmark:
    return Bookmark(row[0], row[1], row[2], row[3], row[4], row[5], datetime.fromisoformat(row[6]))


def _check_place(scene: int, page: int) -> None:
    if scene < 0 or page < 0:
        raise ValueError(f"scene and page are 0-based indexes, got scene {scene}, page {page}")


def clean_note(note: str | None) -> str | None:
    """A bookmark note as stored: trimmed, None when blank, at most MAX_NOTE_LENGTH chars."""
    if note is None or not note.strip():
        return None
    note = note.strip()
    if len(note) > MAX_NOTE_LENGTH:
        note = note[: MAX_NOTE_LENGTH - 1].rstrip() + "…"
    return note


@dataclass(slots=True, eq=False)
class _KeyLock:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class _KeyedLocks:
    """One asyncio.Lock per key, made on first use and dropped when nobody holds or awaits it."""

    def __init__(self) -> None:
        self._locks: dict[tuple[int, str], _KeyLock] = {}

    def __len__(self) -> int:
        return len(self._locks)

    def hold(self, key: tuple[int, str]) -> _Holding:
        """`async with locks.hold(key):` runs the block holding the lock of `key`."""
        return _Holding(self._locks, key)


class _Holding:
    """The lock of one key, held for an `async with` block (a plain class: every page turn
    takes one, and this costs less than an `asynccontextmanager`)."""

    __slots__ = ("_entry", "_key", "_locks")

    def __init__(self, locks: dict[tuple[int, str], _KeyLock], key: tuple[int, str]) -> None:
        self._locks = locks
        self._key = key

    async def __aenter__(self) -> None:
        entry = self._locks.get(self._key)
        if entry is None:
            entry = self._locks[self._key] = _KeyLock()
        self._entry = entry
        entry.users += 1
        try:
            await entry.lock.acquire()
        except BaseException:  # cancelled while waiting: not held, and no longer waiting
            self._leave()
            raise

    async def __aexit__(self, *exc_info: object) -> None:
        self._entry.lock.release()
        self._leave()

    def _leave(self) -> None:
        entry = self._entry
        entry.users -= 1
        if entry.users == 0:
            del self._locks[self._key]


# --- group commit ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Statement:
    sql: str
    params: tuple[Any, ...]
    returns_rows: bool = False  # a RETURNING statement: its rows are part of the result


@dataclass(slots=True, eq=False)
class _Write:
    """Statements that commit together, and the future their caller awaits (rows per statement).

    `merged` is set for one caller's row of a `_Merged` statement (its parameters in
    `statements[0]`); `batch_sql` for a lone statement without RETURNING. Consecutive writes
    with the same one are applied by a single statement, or a single `executemany`.
    """

    statements: tuple[_Statement, ...]
    done: asyncio.Future[list[Rows]]
    batch_sql: str | None = None
    merged: _Merged | None = None

    @property
    def is_one_statement(self) -> bool:
        return len(self.statements) == 1


def _runs(batch: Sequence[_Write]) -> list[tuple[int, int]]:
    """`batch` cut into runs [start, end) applied together: consecutive writes of one merged
    statement, or of one lone statement, or else a write on its own."""
    runs = []
    start = 0
    while start < len(batch):
        first = batch[start]
        end = start + 1
        if first.merged is not None:
            while end < len(batch) and batch[end].merged is first.merged:
                end += 1
        elif first.batch_sql is not None:
            while end < len(batch) and batch[end].batch_sql == first.batch_sql:
                end += 1
        runs.append((start, end))
        start = end
    return runs


def _is_single_statement(batch: Sequence[_Write], runs: list[tuple[int, int]]) -> bool:
    """Does applying `batch` (cut into `runs`) take exactly one statement? Then it is atomic
    on its own."""
    if len(runs) != 1:
        return False
    start, end = runs[0]
    if batch[start].merged is not None:
        return end - start <= _MERGED_ROWS
    return end - start == 1 and batch[start].is_one_statement


def _concerns_whole_database(error: Exception) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in _WHOLE_DATABASE_ERRORS  # 0xFF: primary code


def _settle_error(write: _Write, error: Exception) -> None:
    if not write.done.done():  # done already: the caller was cancelled and is gone
        write.done.set_exception(error)


class ReadingStore:
    """Positions, bookmarks, seen quotes, flags and bot-wide values in one SQLite file.

    Open with `await ReadingStore.open(path)`, or `async with await ReadingStore.open(path)`.
    """

    def __init__(self, conn: aiosqlite.Connection) -> None:
        """Use `open`: it configures the connection and migrates the schema first."""
        self._conn = conn
        self._loop = asyncio.get_running_loop()
        self._tx_lock = asyncio.Lock()  # a read or a write transaction, never both at once
        self._position_locks = _KeyedLocks()
        self._pending: list[_Write] = []
        self._pending_reads: list[tuple[tuple[int, str], asyncio.Future[Position | None]]] = []
        self._wakeup = asyncio.Event()
        self._closing = False  # no new work accepted
        self._closed = False  # connection closed
        self._close_lock = asyncio.Lock()
        self._writer = asyncio.create_task(self._write_loop(), name="storage-writer")

    @classmethod
    async def open(
        cls,
        path: Path | str,
        *,
        migrations_dir: Path | None = None,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    ) -> ReadingStore:
        """Open (creating if needed) the database at `path`, or ":memory:", and migrate it.

        `migrations_dir` replaces the bundled migrations; tests use it.
        """
        if sqlite3.sqlite_version_info < MIN_SQLITE:
            raise SQLiteTooOld(
                f"this Python uses SQLite {sqlite3.sqlite_version}, and the bot needs "
                f"{'.'.join(map(str, MIN_SQLITE))} or newer: use a newer Python build "
                "(python.org's, or your system's after an upgrade)"
            )
        target = str(path)
        folder = migrations_dir or MIGRATIONS_DIR
        if target != ":memory:":
            await asyncio.to_thread(Path(target).parent.mkdir, parents=True, exist_ok=True)
        migrations = await asyncio.to_thread(load_migrations, folder)
        # Autocommit: the store opens its transactions itself (BEGIN IMMEDIATE, which takes
        # the write lock at once, so one never fails half-way on another process's lock), and
        # a lone statement is its own transaction with no trips for BEGIN and COMMIT.
        conn = await aiosqlite.connect(target, isolation_level=None)
        try:
            await _configure(conn, target, busy_timeout_ms)
            await _migrate(conn, migrations)
        except BaseException:
            await conn.close()
            raise
        log.info("storage opened at %s", target)
        return cls(conn)

    async def close(self) -> None:
        """Commit every write already asked for, stop the writer, close the connection."""
        async with self._close_lock:
            if self._closed:
                return
            self._closing = True
            self._wakeup.set()
            try:
                # Never raises: a writer that died has logged why and failed its callers.
                await asyncio.wait([self._writer])
            finally:
                await self._conn.close()
                self._closed = True
            log.info("storage closed")

    async def __aenter__(self) -> ReadingStore:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    # --- reading ---------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closing:
            raise StoreClosed("the reading store is closed")

    async def _read(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        self._check_open()
        async with self._tx_lock:
            return list(await self._conn.execute_fetchall(sql, params))

    # --- writing (group commit) ------------------------------------------------------------

    async def _write(self, *statements: _Statement) -> list[Rows]:
        """Queue statements for the writer; return once they are committed (rows of each)."""
        first = statements[0]
        batch_sql = first.sql if len(statements) == 1 and not first.returns_rows else None
        return await self._queue(_Write(statements, self._loop.create_future(), batch_sql))

    async def _write_merged(self, merged: _Merged, params: tuple[Any, ...]) -> Rows:
        """Queue one row of `merged`; return once committed, with the rows of this key."""
        [rows] = await self._queue(
            _Write((_Statement(merged.row, params),), self._loop.create_future(), merged=merged)
        )
        return rows

    async def _queue(self, write: _Write) -> list[Rows]:
        self._check_open()
        self._pending.append(write)
        self._wakeup.set()
        return await write.done

    async def _write_loop(self) -> None:
        batch: list[_Write] = []
        try:
            while True:
                await self._wakeup.wait()
                # Let the tasks that are ready now run up to their own store calls first, so
                # that a burst of readers shares one round instead of starting two.
                await asyncio.sleep(0)
                self._wakeup.clear()
                while self._pending or self._pending_reads:
                    if self._pending_reads:
                        reads, self._pending_reads = self._pending_reads, []
                        await self._answer_reads(reads)
                    batch, self._pending = self._pending, []
                    if batch:
                        await self._commit(batch)
                    batch = []
                if self._closing:
                    return
        except BaseException as error:
            # A bug or a cancelled task: refuse new work, and fail the writes in hand rather
            # than leave their callers waiting forever.
            self._closing = True
            log.exception("the storage writer stopped")
            stopped = StoreClosed(f"the storage writer stopped: {error!r}")
            for write in [*batch, *self._pending]:
                _settle_error(write, stopped)
            for _, future in self._pending_reads:
                if not future.done():
                    future.set_exception(stopped)
            self._pending = []
            self._pending_reads = []
            if not isinstance(error, Exception):
                raise

    async def _answer_reads(
        self, reads: list[tuple[tuple[int, str], asyncio.Future[Position | None]]]
    ) -> None:
        """Answer a burst of position reads with one query per chunk of keys."""
        keys = list(dict.fromkeys(key for key, _ in reads))
        found: dict[tuple[int, str], Position] = {}
        try:
            async with self._tx_lock:
                for start in range(0, len(keys), _POSITION_READ_CHUNK):
                    chunk = keys[start : start + _POSITION_READ_CHUNK]
                    values = ", ".join("(?, ?)" for _ in chunk)
                    sql = (
                        f"SELECT {_POSITION_COLUMNS} FROM positions"
                        f" WHERE (user_id, story_id) IN (VALUES {values})"
                    )
                    params = [part for key in chunk for part in key]
                    for row in await self._conn.execute_fetchall(sql, params):
                        position = _position(row)
                        found[(position.user_id, position.story_id)] = position
        except Exception as error:
            for _, future in reads:
                if not future.done():
                    future.set_exception(error)
            return
        for key, future in reads:
            if not future.done():  # done already: the caller was cancelled and is gone
                future.set_result(found.get(key))

    async def _commit(self, batch: list[_Write]) -> None:
        async with self._tx_lock:
            error = await self._transaction(batch)
            if error is None:
                return
            if len(batch) == 1 or _concerns_whole_database(error):
                for write in batch:
                    _settle_error(write, error)
                return
            # Find the culprit: each write alone, so only the bad one fails.
            log.warning("a batch of %d writes failed (%r); retrying one by one", len(batch), error)
            for write in batch:
                error = await self._transaction([write])
                if error is not None:
                    _settle_error(write, error)

    async def _transaction(self, batch: list[_Write]) -> Exception | None:
        """Apply `batch` atomically and resolve its futures; the error if it failed.

        A batch of a single statement runs alone: SQLite makes each statement outside a
        transaction a transaction of its own, which saves the two trips of BEGIN and COMMIT.
        """
        runs = _runs(batch)
        explicit = not _is_single_statement(batch, runs)
        try:
            if explicit:
                await self._conn.execute("BEGIN IMMEDIATE")
            results = await self._apply(batch, runs)
            if explicit:
                await self._conn.commit()
        except Exception as error:
            try:
                await self._conn.rollback()  # nothing to do when no transaction is open
            except Exception:
                log.exception("rollback failed after %r", error)
            return error
        for write, rows in zip(batch, results, strict=True):
            if not write.done.done():
                write.done.set_result(rows)
        return None

    async def _apply(self, batch: list[_Write], runs: list[tuple[int, int]]) -> list[list[Rows]]:
        results: list[list[Rows]] = []
        for start, end in runs:
            first = batch[start]
            if first.merged is not None:
                results.extend(await self._apply_merged(first.merged, batch[start:end]))
            elif first.batch_sql is not None:
                params = [write.statements[0].params for write in batch[start:end]]
                await self._conn.executemany(first.batch_sql, params)
                results.extend([[]] for _ in range(start, end))
            else:
                rows = [
                    list(await self._conn.execute_fetchall(statement.sql, statement.params))
                    for statement in first.statements
                ]
                results.append(rows)
        return results

    async def _apply_merged(self, merged: _Merged, writes: list[_Write]) -> list[list[Rows]]:
        """One statement per `_MERGED_ROWS` writes; each write gets the rows of its key."""
        by_key: dict[tuple[Any, Any], Rows] = {}
        for start in range(0, len(writes), _MERGED_ROWS):
            chunk = writes[start : start + _MERGED_ROWS]
            params = [value for write in chunk for value in write.statements[0].params]
            rows = await self._conn.execute_fetchall(merged.sql(len(chunk)), params)
            for row in rows:
                by_key.setdefault((row[0], row[1]), []).append(row)
        if not merged.returns_rows:
            return [[[]] for _ in writes]
        return [[by_key.get(write.statements[0].params[:2], [])] for write in writes]

    # --- positions -------------------------------------------------------------------------

    async def get_position(self, user_id: int, story_id: str) -> Position | None:
        self._check_open()
        future: asyncio.Future[Position | None] = self._loop.create_future()
        self._pending_reads.append(((user_id, story_id), future))
        self._wakeup.set()
        return await future

    async def positions_for_user(self, user_id: int) -> list[Position]:
        """The stories a user has opened, most recently read first."""
        return [_position(row) for row in await self._read(_POSITIONS_FOR_USER, (user_id,))]

    async def positions_for_story(self, story_id: str) -> list[Position]:
        return [_position(row) for row in await self._read(_POSITIONS_FOR_STORY, (story_id,))]

    async def set_position(
        self, user_id: int, story_id: str, scene: int, page: int, notice: str | None = None
    ) -> Position:
        """Put the reader at (scene, page), replacing any notice; returns once committed."""
        _check_place(scene, page)
        async with self._position_locks.hold((user_id, story_id)):
            return await self._put_position(user_id, story_id, scene, page, notice)

    async def update_position(
        self, user_id: int, story_id: str, compute: ComputePosition
    ) -> Position:
        """Move a reader from where they are: `compute(current)` gives the new (scene, page).

        Atomic per reader: concurrent calls for one (user, story) run one after the other,
        each seeing the result of the one before. Here a per-reader asyncio.Lock (held by
        every position write) does it, as this process is the only writer of the file; a
        PostgreSQL implementation would read with SELECT … FOR UPDATE in one transaction.
        A pending notice is kept.
        """
        async with self._position_locks.hold((user_id, story_id)):
            current = await self.get_position(user_id, story_id)
            scene, page = compute(current)
            _check_place(scene, page)
            notice = current.notice if current is not None else None
            return await self._put_position(user_id, story_id, scene, page, notice)

    async def open_position(self, user_id: int, story_id: str, scene: int, page: int) -> Position:
        """The reader's saved place, marked as just read; a new reader is saved at (scene, page).

        One statement, whoever the reader: no read before the write.
        """
        _check_place(scene, page)
        now = _now()
        params = (user_id, story_id, scene, page, _time_text(now), None)
        rows = await self._write_merged(_OPEN_POSITIONS, params)
        return _written_position(rows[-1], now)

    async def move_position(
        self, user_id: int, story_id: str, expected: Place, target: Place
    ) -> Position | None:
        """Move the reader from `expected` to `target` if that is where they are, else None.

        A compare-and-set in one statement: a page turn from the page on screen (the usual
        case) needs no read first. None leaves the reader untouched, for `update_position`.
        """
        _check_place(*target)
        now = _now()
        params = (user_id, story_id, *expected, *target, _time_text(now))
        async with self._position_locks.hold((user_id, story_id)):
            rows = await self._write_merged(_MOVE_POSITIONS, params)
        return _written_position(rows[-1], now) if rows else None

    async def _put_position(
        self, user_id: int, story_id: str, scene: int, page: int, notice: str | None
    ) -> Position:
        now = _now()
        params = (user_id, story_id, scene, page, _time_text(now), notice)
        await self._write_merged(_PUT_POSITIONS, params)
        return Position(user_id, story_id, scene, page, now, notice)

    async def clear_notice(self, user_id: int, story_id: str) -> None:
        async with self._position_locks.hold((user_id, story_id)):
            await self._write(_Statement(_CLEAR_NOTICE, (user_id, story_id)))

    async def delete_position(self, user_id: int, story_id: str) -> bool:
        """Forget where the reader was; False if there was nothing to forget."""
        async with self._position_locks.hold((user_id, story_id)):
            [rows] = await self._write(
                _Statement(_DELETE_POSITION, (user_id, story_id), returns_rows=True)
            )
        return bool(rows)

    # --- bookmarks -------------------------------------------------------------------------

    async def add_bookmark(
        self, user_id: int, story_id: str, scene: int, page: int, note: str | None = None
    ) -> Bookmark:
        """Raises BookmarkLimitReached past MAX_BOOKMARKS_PER_STORY for this user and story."""
        _check_place(scene, page)
        note = clean_note(note)
        now = _now()
        limit = MAX_BOOKMARKS_PER_STORY
        params = (user_id, story_id, scene, page, note, _time_text(now), user_id, story_id, limit)
        [rows] = await self._write(_Statement(_ADD_BOOKMARK, params, returns_rows=True))
        if not rows:
            raise BookmarkLimitReached(limit)
        return Bookmark(rows[0][0], user_id, story_id, scene, page, note, now)

    async def list_bookmarks(self, user_id: int, story_id: str | None = None) -> list[Bookmark]:
        """A user's bookmarks in reading order: of one story, or of all (by story id)."""
        if story_id is None:
            rows = await self._read(_BOOKMARKS_FOR_USER, (user_id,))
        else:
            rows = await self._read(_BOOKMARKS_FOR_STORY, (user_id, story_id))
        return [_bookmark(row) for row in rows]

    async def get_bookmark(self, user_id: int, bookmark_id: int) -> Bookmark:
        """Raises BookmarkNotFound if there is none with that id, or it is someone else's."""
        rows = await self._read(_GET_BOOKMARK, (bookmark_id, user_id))
        if not rows:
            raise BookmarkNotFound(bookmark_id)
        return _bookmark(rows[0])

    async def remove_bookmark(self, user_id: int, bookmark_id: int) -> Bookmark:
        """Delete and return the bookmark; BookmarkNotFound if absent or someone else's."""
        [rows] = await self._write(
            _Statement(_REMOVE_BOOKMARK, (bookmark_id, user_id), returns_rows=True)
        )
        if not rows:
            raise BookmarkNotFound(bookmark_id)
        return _bookmark(rows[0])

    # --- quotes already shown --------------------------------------------------------------

    async def seen_quotes(self, user_id: int, story_id: str) -> set[str]:
        return {row[0] for row in await self._read(_SEEN_QUOTES, (user_id, story_id))}

    async def mark_quote_seen(self, user_id: int, story_id: str, quote_id: str) -> None:
        await self._write(_Statement(_MARK_QUOTE_SEEN, (user_id, story_id, quote_id)))

    async def forget_seen_quotes(
        self, user_id: int, story_id: str, quote_ids: Iterable[str] | None = None
    ) -> None:
        """Forget the given quotes, or all of the story's when `quote_ids` is None."""
        if quote_ids is None:
            await self._write(_Statement(_FORGET_ALL_QUOTES, (user_id, story_id)))
            return
        statements = [
            _Statement(_FORGET_QUOTE, (user_id, story_id, quote_id))
            for quote_id in dict.fromkeys(quote_ids)  # once each, in order
        ]
        if statements:
            await self._write(*statements)

    # --- bot-wide values and per-user flags ------------------------------------------------

    async def get_meta(self, key: str) -> str | None:
        rows = await self._read(_GET_META, (key,))
        return str(rows[0][0]) if rows else None

    async def set_meta(self, key: str, value: str) -> None:
        await self._write(_Statement(_SET_META, (key, value)))

    async def get_flag(self, user_id: int, flag: str) -> str | None:
        rows = await self._read(_GET_FLAG, (user_id, flag))
        return str(rows[0][0]) if rows else None

    async def set_flag(self, user_id: int, flag: str, value: str) -> None:
        await self._write(_Statement(_SET_FLAG, (user_id, flag, value)))

    # --- a user's data as a whole ----------------------------------------------------------

    async def export_user(self, user_id: int) -> UserData:
        """Everything stored about the user, read as one consistent snapshot."""
        self._check_open()
        async with self._tx_lock:  # no write transaction can run between these reads
            query = self._conn.execute_fetchall
            positions = await query(_POSITIONS_FOR_USER, (user_id,))
            bookmarks = await query(_BOOKMARKS_FOR_USER, (user_id,))
            quotes = await query(_ALL_SEEN_QUOTES, (user_id,))
            flags = await query(_ALL_FLAGS, (user_id,))
        seen: dict[str, set[str]] = {}
        for story_id, quote_id in quotes:
            seen.setdefault(story_id, set()).add(quote_id)
        return UserData(
            user_id=user_id,
            positions=tuple(_position(row) for row in positions),
            bookmarks=tuple(_bookmark(row) for row in bookmarks),
            seen_quotes={story_id: frozenset(ids) for story_id, ids in seen.items()},
            flags={str(flag): str(value) for flag, value in flags},
        )

    async def delete_user(self, user_id: int) -> int:
        """Erase every row about the user, in every table, in one transaction; rows deleted."""
        results = await self._write(
            *(_Statement(sql, (user_id,), returns_rows=True) for sql in _DELETE_USER)
        )
        deleted = sum(len(rows) for rows in results)
        log.info("deleted %d rows of user %d", deleted, user_id)
        return deleted


async def _configure(conn: aiosqlite.Connection, target: str, busy_timeout_ms: int) -> None:
    # PRAGMA values cannot be bound as parameters; these are constants of this module.
    rows = list(await conn.execute_fetchall("PRAGMA journal_mode = WAL"))
    if rows[0][0] != "wal" and target != ":memory:":
        log.warning("SQLite refused WAL mode for %s (got %s)", target, rows[0][0])
    await conn.execute("PRAGMA synchronous = NORMAL")
    await conn.execute("PRAGMA foreign_keys = ON")
    await conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
