"""Opening a database: pragmas, schema migrations in one transaction, versions."""

from __future__ import annotations

import asyncio
import logging
import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.storage import ReadingStore, SchemaTooNew, SQLiteTooOld
from bot.storage.store import MIGRATIONS_DIR, load_migrations, split_statements

TABLES = {"positions", "bookmarks", "seen_quotes", "meta", "user_flags"}


def tables(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    finally:
        conn.close()
    return {name for (name,) in rows} - {"sqlite_sequence"}


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def files_beside(path: Path) -> set[str]:
    return {child.name for child in path.parent.iterdir()}


def migrations_with(tmp_path: Path, **extra: str) -> Path:
    """The real migrations plus `extra` files (name without .sql -> SQL)."""
    folder = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, folder)
    for name, sql in extra.items():
        (folder / f"{name}.sql").write_text(sql, "utf-8")
    return folder


async def test_fresh_database_gets_latest_version_and_all_tables(db_path: Path) -> None:
    store = await ReadingStore.open(db_path)
    await store.close()
    assert user_version(db_path) == len(load_migrations(MIGRATIONS_DIR)) >= 1
    assert tables(db_path) == TABLES


async def test_wal_and_pragmas_are_on(db_path: Path) -> None:
    async with await ReadingStore.open(db_path) as store:
        await store.set_meta("k", "v")
        conn = sqlite3.connect(db_path)
        try:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        finally:
            conn.close()
        assert db_path.name + "-wal" in files_beside(db_path)


async def test_reopening_is_a_no_op(db_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    async with await ReadingStore.open(db_path) as store:
        await store.set_meta("sync_hash", "abc")
    version = user_version(db_path)
    with caplog.at_level(logging.INFO, logger="bot.storage.store"):
        async with await ReadingStore.open(db_path) as store:
            assert await store.get_meta("sync_hash") == "abc"
    assert user_version(db_path) == version
    assert not [r for r in caplog.records if "migrat" in r.getMessage()]


async def test_new_migration_is_applied_on_top(db_path: Path, tmp_path: Path) -> None:
    async with await ReadingStore.open(db_path) as store:
        await store.set_position(1, "s", 2, 3)
    folder = migrations_with(tmp_path, **{"0002_extra": "CREATE TABLE extra (x INTEGER);"})
    async with await ReadingStore.open(db_path, migrations_dir=folder) as store:
        position = await store.get_position(1, "s")
    assert position is not None
    assert (position.scene, position.page) == (2, 3)
    assert user_version(db_path) == 2
    assert tables(db_path) == TABLES | {"extra"}


async def test_failing_migration_on_fresh_file_leaves_nothing(
    db_path: Path, tmp_path: Path
) -> None:
    broken = "CREATE TABLE extra (x INTEGER);\nINSERT INTO no_such_table VALUES (1);\n"
    folder = migrations_with(tmp_path, **{"0002_broken": broken})
    with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
        await ReadingStore.open(db_path, migrations_dir=folder)
    # 0001 and 0002 were one transaction: 0001's tables went with it.
    assert tables(db_path) == set()
    assert user_version(db_path) == 0
    # Once the bad file is gone, the same database opens fine.
    (folder / "0002_broken.sql").unlink()
    async with await ReadingStore.open(db_path, migrations_dir=folder) as store:
        await store.set_meta("k", "v")
    assert tables(db_path) == TABLES


async def test_failing_migration_on_existing_file_keeps_old_schema_and_data(
    db_path: Path, tmp_path: Path
) -> None:
    async with await ReadingStore.open(db_path) as store:
        await store.set_position(7, "s", 1, 1)
    folder = migrations_with(
        tmp_path,
        **{
            "0002_ok": "CREATE TABLE extra (x INTEGER);",
            "0003_broken": "DELETE FROM positions; SELECT * FROM no_such_table;",
        },
    )
    with pytest.raises(sqlite3.OperationalError):
        await ReadingStore.open(db_path, migrations_dir=folder)
    assert user_version(db_path) == 1
    assert tables(db_path) == TABLES
    async with await ReadingStore.open(db_path) as store:
        assert await store.get_position(7, "s") is not None


async def test_database_newer_than_the_code_is_refused(db_path: Path) -> None:
    async with await ReadingStore.open(db_path):
        pass
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(SchemaTooNew, match="99"):
        await ReadingStore.open(db_path)
    assert user_version(db_path) == 99


async def test_memory_database_works() -> None:
    async with await ReadingStore.open(":memory:") as store:
        await store.set_position(1, "s", 0, 4)
        position = await store.get_position(1, "s")
    assert position is not None
    assert position.page == 4


def test_badly_numbered_migrations_are_refused(tmp_path: Path) -> None:
    (tmp_path / "0001_a.sql").write_text("SELECT 1;")
    (tmp_path / "0003_c.sql").write_text("SELECT 1;")
    with pytest.raises(ValueError, match="numbered"):
        load_migrations(tmp_path)
    (tmp_path / "3_bad.sql").write_text("SELECT 1;")
    with pytest.raises(ValueError, match="named like"):
        load_migrations(tmp_path)


def test_empty_migrations_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no migrations"):
        load_migrations(tmp_path / "missing")


def test_split_statements_respects_strings_comments_and_triggers() -> None:
    script = """
        -- a comment; with a semicolon
        CREATE TABLE t (x TEXT DEFAULT 'a;b');
        /* block; comment */
        CREATE TRIGGER trg AFTER INSERT ON t BEGIN
            UPDATE t SET x = 'c;d';
            SELECT 1;
        END;
        INSERT INTO t VALUES ('e;f')
    """
    statements = split_statements(script)
    assert len(statements) == 3
    assert "'a;b'" in statements[0]
    assert statements[1].strip().startswith("/* block; comment */")
    assert statements[1].rstrip().endswith("END;")
    assert statements[2].strip() == "INSERT INTO t VALUES ('e;f')"
    conn = sqlite3.connect(":memory:")
    for statement in statements:
        conn.execute(statement)
    assert [row[0] for row in conn.execute("SELECT x FROM t")] == ["c;d"]


def test_bundled_migrations_split_into_statements() -> None:
    for migration in load_migrations(MIGRATIONS_DIR):
        statements = split_statements(migration.sql)
        assert statements
        assert all(sqlite3.complete_statement(s) for s in statements)


async def test_an_sqlite_without_returning_is_refused_clearly(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 31, 1))
    monkeypatch.setattr(sqlite3, "sqlite_version", "3.31.1")
    with pytest.raises(SQLiteTooOld, match=r"SQLite 3\.31\.1.*3\.35 or newer"):
        await ReadingStore.open(db_path)
    assert not await asyncio.to_thread(db_path.exists)  # refused before touching anything
