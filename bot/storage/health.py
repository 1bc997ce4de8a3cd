"""`db check`: backend, schema version, rows per table and integrity of the configured
database, read without changing anything (no migration either)."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

from bot.storage.errors import StorageSetupError
from bot.storage.locations import Location, PostgresLocation
from bot.storage.postgres_setup import CONNECT_TIMEOUT_S, explain
from bot.storage.schema import TABLE_COLUMNS, load_migrations, migrations_dir
from bot.storage.sqlite_setup import explain as explain_sqlite


@dataclass(frozen=True, slots=True)
class Health:
    backend: str
    where: str
    version: int
    latest: int  # the newest schema version this bot knows
    counts: dict[str, int] = field(default_factory=dict)  # rows per table there
    problems: list[str] = field(default_factory=list)  # empty: intact

    def lines(self) -> list[str]:
        if self.version < self.latest:
            versions = f"{self.version} (this bot's is {self.latest}: it migrates at start)"
        elif self.version > self.latest:
            versions = f"{self.version} (newer than this bot's {self.latest})"
        else:
            versions = str(self.version)
        width = max((len(table) for table in self.counts), default=0)
        return [
            f"backend: {self.backend}",
            f"database: {self.where}",
            f"schema version: {versions}",
            "rows:",
            *(f"  {table:<{width}}  {count}" for table, count in self.counts.items()),
            "integrity: " + ("ok" if not self.problems else "PROBLEMS"),
            *(f"  {problem}" for problem in self.problems),
        ]


def _latest(backend: str) -> int:
    return len(load_migrations(migrations_dir(backend)))


def check_sqlite(path: Path) -> Health:
    if not path.is_file():
        raise StorageSetupError(
            f"database {path}: there is no such file; the bot makes it at its first start"
        )
    try:
        # Not mode=ro, though nothing is written: SQLite skips CHECK constraints in an
        # integrity_check of a read-only connection.
        conn = sqlite3.connect(path)
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            tables = {
                str(name)
                for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            counts = {
                table: int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
                for table in TABLE_COLUMNS
                if table in tables
            }
            # integrity_check also checks every CHECK and NOT NULL constraint, row by row.
            found = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise explain_sqlite(path, error) from error
    latest = _latest("sqlite")
    problems = [] if found == ["ok"] else found
    if version > latest:
        problems.append(f"schema version {version} was written by a newer bot than this one")
    return Health("sqlite", str(path), version, latest, counts, problems)


async def check_postgres(location: PostgresLocation) -> Health:
    try:
        conn = await asyncpg.connect(location.dsn, timeout=CONNECT_TIMEOUT_S)
    except Exception as error:
        raise explain(location, error) from None
    try:
        present = {
            str(row[0])
            for row in await conn.fetch(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            )
        }
        version = 0
        if "schema_versions" in present:
            version = int(
                await conn.fetchval("SELECT coalesce(max(version), 0) FROM schema_versions")
            )
        counts = {
            table: int(await conn.fetchval(f"SELECT count(*) FROM {table}"))
            for table in TABLE_COLUMNS
            if table in present
        }
        problems = [
            f"constraint {row[0]} of {row[1]} is not validated"
            for row in await conn.fetch(
                "SELECT conname, conrelid::regclass::text FROM pg_constraint"
                " WHERE NOT convalidated AND connamespace = 'public'::regnamespace"
            )
        ]
        if "bookmarks" in present:
            problems += await _bookmark_counter_problems(conn)
    finally:
        await conn.close()
    latest = _latest("postgresql")
    if version > latest:
        problems.append(f"schema version {version} was written by a newer bot than this one")
    return Health("postgresql", location.describe(), version, latest, counts, problems)


async def _bookmark_counter_problems(conn: asyncpg.Connection) -> list[str]:
    """The id counter must be past every id, or the next bookmark fails (after a copy made
    by hand, say)."""
    row = await conn.fetchrow(
        "SELECT (SELECT coalesce(max(id), 0) FROM bookmarks) AS largest,"
        " last_value, is_called FROM bookmarks_id_seq"
    )
    if row is None:
        return []
    next_id = row["last_value"] + 1 if row["is_called"] else row["last_value"]
    if next_id > row["largest"]:
        return []
    return [
        f"the bookmark id counter would hand out {next_id}, but ids go up to {row['largest']}:"
        " SELECT setval('bookmarks_id_seq', (SELECT max(id) FROM bookmarks))"
    ]


async def check(location: Location) -> Health:
    if isinstance(location, PostgresLocation):
        return await check_postgres(location)
    return await asyncio.to_thread(check_sqlite, location.path)
