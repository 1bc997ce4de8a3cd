"""`db backup PATH`: an online copy of the SQLite database (SQLite's backup API: a consistent
snapshot while the bot runs), written beside PATH first and renamed once it checks out."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from bot.storage.errors import StorageSetupError
from bot.storage.sqlite_setup import BUSY_TIMEOUT_MS, explain


class BackupRefused(Exception):
    """No backup was made (the message says why)."""


def backup_sqlite(source: Path, target: Path) -> int:
    """Copy `source` to `target` (which must not exist yet); the pages copied."""
    if not source.is_file():
        raise StorageSetupError(f"database {source}: there is no such file to back up")
    if target.exists():
        raise BackupRefused(f"{target} exists already: name a new file for the backup")
    if not target.parent.is_dir():
        raise BackupRefused(f"{target.parent} is not a folder: name a file in a folder")
    partial = target.with_name(target.name + ".partial")
    try:
        from_conn = sqlite3.connect(source)
    except sqlite3.Error as error:
        raise explain(source, error) from error
    try:
        from_conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
        to_conn = sqlite3.connect(partial)
        try:
            from_conn.backup(to_conn)  # all pages in one step: one snapshot
            # One self-contained file: the bot turns WAL on again when it opens it.
            to_conn.execute("PRAGMA journal_mode = DELETE")
            found = [str(row[0]) for row in to_conn.execute("PRAGMA integrity_check")]
            pages = int(to_conn.execute("PRAGMA page_count").fetchone()[0])
        finally:
            to_conn.close()
    except sqlite3.Error as error:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise BackupRefused(
            f"the backup of {source} to {target} failed (SQLite: {error})"
        ) from error
    finally:
        from_conn.close()
    if found != ["ok"]:
        partial.unlink()
        raise BackupRefused(f"the copy of {source} does not check out: {found[0]}")
    partial.rename(target)
    return pages
