"""`db copy`: every row of the SQLite database into an empty PostgreSQL database, in ONE
transaction, the counts checked before it commits: all of it arrives, or nothing does."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg

from bot.storage.errors import StorageSetupError
from bot.storage.locations import PostgresLocation
from bot.storage.postgres_setup import create_pool, explain, migrate
from bot.storage.schema import (
    SERIAL_TABLES,
    TABLE_COLUMNS,
    TIME_COLUMNS,
    load_migrations,
    migrations_dir,
)
from bot.storage.sqlite import SQLiteStorage

log = logging.getLogger(__name__)

Rows = dict[str, list[tuple[Any, ...]]]


class CopyRefused(Exception):
    """The copy was not made (the message says why); nothing was written."""


def _read_everything(path: Path) -> tuple[Rows, dict[str, int]]:
    """Every row of every table as PostgreSQL takes it, from one snapshot; and the id
    counters of the tables with ids (ids are never handed out twice)."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("BEGIN")  # one read transaction: one snapshot
        rows: Rows = {}
        for table, columns in TABLE_COLUMNS.items():
            times = [index for index, column in enumerate(columns) if column in TIME_COLUMNS]
            selected = conn.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
            rows[table] = [_with_times(row, times) for row in selected]
        counters = {
            str(name): int(seq)
            for name, seq in conn.execute("SELECT name, seq FROM sqlite_sequence").fetchall()
            if name in SERIAL_TABLES
        }
        conn.execute("COMMIT")
    finally:
        conn.close()
    return rows, counters


def _with_times(row: tuple[Any, ...], times: list[int]) -> tuple[Any, ...]:
    values = list(row)
    for index in times:
        if values[index] is not None:  # a read-along not yet posted, or finished
            values[index] = datetime.fromisoformat(values[index])
    return tuple(values)


async def copy_to_postgres(source: Path, target: PostgresLocation) -> dict[str, int]:
    """Copy; the rows per table. `CopyRefused` when the target holds rows already or the
    counts differ; `StorageSetupError` when either database cannot be used."""
    if not await asyncio.to_thread(
        source.is_file
    ):  # opening would make an empty one, and copy nothing
        raise StorageSetupError(f"database {source}: there is no such file to copy")
    # Opening migrates the source to the latest schema, the same as the target's.
    await (await SQLiteStorage.open(source)).close()
    rows, counters = await asyncio.to_thread(_read_everything, source)
    pool = await create_pool(target, pool_size=1)
    try:
        await migrate(
            pool, load_migrations(migrations_dir("postgresql")), where=f"the {target.describe()}"
        )
        async with pool.acquire() as conn, conn.transaction():
            await _refuse_unless_empty(conn, target)
            for table, table_rows in rows.items():
                if table_rows:
                    await conn.copy_records_to_table(
                        table, records=table_rows, columns=list(TABLE_COLUMNS[table])
                    )
            for table, counter in counters.items():  # table names from SERIAL_TABLES only
                await conn.execute(
                    "SELECT setval(pg_get_serial_sequence($1, 'id'), $2)", table, max(counter, 1)
                )
            copied = {table: await _count(conn, table) for table in rows}
            expected = {table: len(table_rows) for table, table_rows in rows.items()}
            if copied != expected:  # raising here rolls the whole copy back
                raise CopyRefused(f"counts differ after the copy: {copied} != {expected}")
    except (StorageSetupError, CopyRefused):
        raise
    except Exception as error:
        raise explain(target, error) from None
    finally:
        await pool.close()
    log.info("copied %s to %s: %s", source, target.describe(), copied)
    return copied


async def _count(conn: asyncpg.pool.PoolConnectionProxy, table: str) -> int:
    # Table names come from TABLE_COLUMNS, never from input.
    return int(await conn.fetchval(f"SELECT count(*) FROM {table}"))


async def _refuse_unless_empty(
    conn: asyncpg.pool.PoolConnectionProxy, target: PostgresLocation
) -> None:
    held = {table: await _count(conn, table) for table in TABLE_COLUMNS}
    full = {table: count for table, count in held.items() if count}
    if full:
        listed = ", ".join(f"{table} {count}" for table, count in full.items())
        raise CopyRefused(
            f"{target.describe()} is not empty ({listed} rows): copy into a new, empty "
            "database, so that nothing there is mixed with or overwritten by the copy"
        )
