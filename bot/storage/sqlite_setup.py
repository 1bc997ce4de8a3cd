"""Opening an SQLite database for the bot: the file checked, configured and migrated, or one
line (`StorageSetupError`) that names the path, says what is wrong and what to do.

Everything here runs on the connection's own thread (see `sqlite_worker`).
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from bot.storage.errors import SchemaTooNew, SQLiteTooOld, StorageSetupError
from bot.storage.schema import Migration, split_statements

log = logging.getLogger(__name__)

MIN_SQLITE = (3, 35)  # RETURNING
BUSY_TIMEOUT_MS = 5_000  # how long a write waits for another process holding the file


def check_sqlite_version() -> None:
    if sqlite3.sqlite_version_info < MIN_SQLITE:
        raise SQLiteTooOld(
            f"this Python uses SQLite {sqlite3.sqlite_version}, and the bot needs "
            f"{'.'.join(map(str, MIN_SQLITE))} or newer: use a newer Python build "
            "(python.org's, or your system's after an upgrade)"
        )


def _refuse(path: Path, what: str, todo: str) -> StorageSetupError:
    return StorageSetupError(f"database {path}: {what}; {todo}")


def prepare_path(path: Path) -> None:
    """Refuse a path that cannot hold a database, and make its folder when missing."""
    if path.is_dir():
        raise _refuse(path, "is a folder, not a database file", "point it at a file name")
    for ancestor in path.parents:
        if ancestor.exists():
            if not ancestor.is_dir():
                raise _refuse(
                    path,
                    f"{ancestor} is a file, not a folder",
                    "point the database at a path inside a folder",
                )
            break
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _refuse(
            path,
            f"its folder cannot be made ({error.strerror})",
            "create it, or give the bot's user write access to its parent",
        ) from error
    if path.is_file() and path.stat().st_size == 0:
        log.warning("database file %s is empty (0 bytes): starting a new database in it", path)


def _damaged(path: Path, said: str) -> StorageSetupError:
    return _refuse(
        path,
        f"is damaged (truncated or corrupted) {said}",
        "restore it from a backup (python -m bot db backup makes one), "
        "or move it away to start a new one",
    )


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK)


def explain(path: Path, error: sqlite3.Error | OSError) -> StorageSetupError:
    """The one line for an error met while opening `path`."""
    if isinstance(error, OSError):
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return _refuse(path, "permission denied", "give the bot's user access to it")
        return _refuse(path, f"cannot be opened ({error.strerror})", "check the path")
    code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
    said = f"(SQLite: {error})"
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return _refuse(
            path,
            f"is locked by another process {said}",
            "is another copy of the bot running on it? Stop it, or wait until it is done",
        )
    if code == sqlite3.SQLITE_NOTADB:
        return _refuse(
            path,
            f"is not an SQLite database {said}",
            "point the bot at its database, or move this file away to start a new one",
        )
    if code == sqlite3.SQLITE_CORRUPT:
        return _damaged(path, said)
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM):
        if path.exists() and not _writable(path):
            where = "the file is read-only"
        elif not _writable(path.parent):
            where = f"its folder {path.parent} is read-only"
        else:
            where = "it cannot be written"
        return _refuse(
            path,
            f"{where} {said}",
            "give the bot's user write access to the file and its folder "
            "(SQLite writes files beside it)",
        )
    if code == sqlite3.SQLITE_FULL:
        return _refuse(path, f"the disk is full {said}", "free some space")
    if code == sqlite3.SQLITE_IOERR:
        return _refuse(path, f"cannot be read or written {said}", "check the disk")
    return _refuse(path, f"cannot be used {said}", "check the file")


def connect(path: Path, busy_timeout_ms: int) -> sqlite3.Connection:
    """A configured connection (autocommit: the storage opens its transactions itself)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        # PRAGMA values cannot be bound as parameters; these are ints and constants.
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode != "wal":
            log.warning("SQLite refused WAL mode for %s (got %s)", path, mode)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")  # a read-along's posts go with it
    except BaseException:
        conn.close()
        raise
    return conn


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration], *, where: str) -> None:
    """Apply every pending migration in ONE transaction: all of them, or none at all.

    `where` names the database in the one line a too new schema is refused with."""
    latest = len(migrations)
    # BEGIN IMMEDIATE first: another process starting at the same moment waits here, then
    # sees our version and has nothing left to do.
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = user_version(conn)
        if current > latest:
            raise SchemaTooNew(
                f"{where} is at schema version {current} but this bot only knows up to "
                f"{latest}: it was written by a newer version of the bot; upgrade the bot"
            )
        for migration in migrations[current:]:
            log.info("applying migration %s", migration.name)
            for statement in split_statements(migration.sql):
                conn.execute(statement)
        # Written even when it is already the version: a file the bot could read but not
        # write (SQLite then opens it read-only) is refused now, not at a reader's first page.
        conn.execute(f"PRAGMA user_version = {int(latest)}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    if current < latest:
        log.info("database schema migrated from version %d to %d", current, latest)


def check_intact(conn: sqlite3.Connection, path: Path) -> None:
    """`PRAGMA quick_check` at start: a truncated or damaged file is refused now, with one
    line, rather than failing readers later. It reads the whole file; a bot's is small."""
    problems = [str(row[0]) for row in conn.execute("PRAGMA quick_check(1)")]
    if problems != ["ok"]:
        raise _damaged(path, f"(SQLite quick_check: {problems[0]})")
