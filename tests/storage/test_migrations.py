"""Schemas: both backends migrate in one transaction to the same tables; SQLite databases of
schema version 1 (pages) upgrade with every row kept, as page places."""

from __future__ import annotations

import asyncio
import logging
import shutil
import sqlite3
from pathlib import Path

import asyncpg
import pytest

from bot.library.anchors import PagePlace
from bot.storage.errors import SchemaTooNew, SQLiteTooOld
from bot.storage.locations import PostgresLocation
from bot.storage.postgres import PostgresStorage
from bot.storage.records import BookmarkMove, ReaderMove
from bot.storage.schema import (
    SEARCH_INDEX_TABLES,
    TABLE_COLUMNS,
    load_migrations,
    migrations_dir,
    split_statements,
)
from bot.storage.sqlite import SQLiteStorage
from bot.storage.url import parse_database_url
from tests.storage.helpers import anchor, now

LATEST = len(load_migrations(migrations_dir("sqlite")))


def sqlite_columns(path: Path, *, required: bool = False) -> dict[str, list[str]]:
    """Each table's columns in order (with `required`: sorted, a "!" after NOT NULL ones)."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if name != "sqlite_sequence" and not name.startswith(SEARCH_INDEX_TABLES)
        ]
        columns = {table: list(conn.execute(f"PRAGMA table_info({table})")) for table in tables}
    finally:
        conn.close()
    if not required:
        return {table: [row[1] for row in rows] for table, rows in columns.items()}
    # A key column is required (SQLite would let a TEXT key be NULL; the bot never does).
    return {
        table: sorted(row[1] + ("!" if row[3] or row[5] else "") for row in rows)
        for table, rows in columns.items()
    }


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def make_version_1(path: Path) -> None:
    """A database as the bot left it before anchors: pages, and a bookmark id counter at 5."""
    conn = sqlite3.connect(path)
    try:
        [initial] = load_migrations(migrations_dir("sqlite"))[:1]
        conn.executescript(initial.sql)
        conn.execute("PRAGMA user_version = 1")
        moment = "2026-01-02T03:04:05.000006+00:00"
        conn.executemany(
            "INSERT INTO positions VALUES (?, 'story', ?, ?, ?, ?)",
            [(1, 2, 3, moment, None), (2, 0, 7, moment, "a notice")],
        )
        conn.executemany(
            "INSERT INTO bookmarks (user_id, story_id, scene, page, note, created_at)"
            " VALUES (1, 'story', ?, ?, ?, ?)",
            [(scene, scene + 1, f"note {scene}", moment) for scene in range(5)],
        )
        conn.execute("DELETE FROM bookmarks WHERE id = 5")
        conn.execute("INSERT INTO seen_quotes VALUES (1, 'story', 'q1')")
        conn.execute("INSERT INTO user_flags VALUES (1, 'welcomed', 'yes')")
        conn.execute("INSERT INTO meta VALUES ('commands_hash', 'abc')")
        conn.commit()
    finally:
        conn.close()


async def test_a_new_sqlite_database_gets_the_latest_schema(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    storage = await SQLiteStorage.open(path)
    await storage.close()
    assert user_version(path) == LATEST
    assert sqlite_columns(path) == {table: list(cols) for table, cols in TABLE_COLUMNS.items()}
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


async def test_a_version_1_database_keeps_every_row_as_page_places(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    make_version_1(path)
    storage = await SQLiteStorage.open(path)
    try:
        position = await storage.get_position(1, "story")
        noticed = await storage.get_position(2, "story")
        assert position is not None
        assert noticed is not None
        assert position.place == PagePlace(2, 3)
        assert (noticed.place, noticed.notice) == (PagePlace(0, 7), "a notice")
        assert str(position.updated_at) == "2026-01-02 03:04:05.000006+00:00"
        bookmarks = await storage.list_bookmarks(1)
        assert [(b.id, b.place, b.note) for b in bookmarks] == [
            (n + 1, PagePlace(n, n + 1), f"note {n}") for n in range(4)
        ]
        assert await storage.seen_quotes(1, "story") == {"q1"}
        assert await storage.get_flag(1, "welcomed") == "yes"
        assert await storage.get_meta("commands_hash") == "abc"
        # The id counter survived the rebuild: id 5 (removed before) is not handed out again.
        added = await storage.add_bookmark(1, "story", anchor(0), None, asked_at=now())
        assert added is not None
        assert added.id == 6
        # The bot converts page places to anchors through compare-and-set moves.
        assert await storage.move_readers("story", [ReaderMove(1, PagePlace(2, 3), anchor(2))]) == 1
        assert await storage.move_bookmarks([BookmarkMove(1, PagePlace(0, 1), anchor(0))]) == 1
        moved = await storage.get_position(1, "story")
        assert moved is not None
        assert moved.place == anchor(2)
        assert (await storage.get_bookmark(1, 1)).place == anchor(0)
    finally:
        await storage.close()
    assert user_version(path) == LATEST
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            # A row that is both a page and an anchor is refused by the schema itself.
            conn.execute(
                "INSERT INTO positions VALUES (9, 's', 0, 1, 0, 0, 'x', '2026-01-01', NULL)"
            )
    finally:
        conn.close()


def migrations_with(tmp_path: Path, **extra: str) -> Path:
    """The real SQLite migrations plus `extra` files (name without .sql -> SQL)."""
    folder = tmp_path / "migrations"
    shutil.copytree(migrations_dir("sqlite"), folder)
    for name, sql in extra.items():
        (folder / f"{name}.sql").write_text(sql, "utf-8")
    return folder


async def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    make_version_1(path)
    broken = migrations_with(
        tmp_path, **{f"{LATEST + 1:04d}_broken": "DELETE FROM positions; SELECT * FROM nothing;"}
    )
    with pytest.raises(Exception, match="nothing"):
        await SQLiteStorage.open(path, migrations_folder=broken)
    # 0002 up to the broken one were one transaction: still at version 1, rows intact.
    assert user_version(path) == 1
    assert "erasures" not in sqlite_columns(path)
    storage = await SQLiteStorage.open(path)
    try:
        position = await storage.get_position(1, "story")
        assert position is not None
        assert position.place == PagePlace(2, 3)
    finally:
        await storage.close()


async def test_reopening_migrates_nothing(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "db.sqlite"
    storage = await SQLiteStorage.open(path)
    await storage.set_meta("k", "v")
    await storage.close()
    caplog.clear()
    storage = await SQLiteStorage.open(path)
    try:
        assert await storage.get_meta("k") == "v"
    finally:
        await storage.close()
    assert not [record for record in caplog.records if "migrat" in record.getMessage()]


async def test_an_sqlite_database_newer_than_the_bot_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    await (await SQLiteStorage.open(path)).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(SchemaTooNew, match="99"):
        await SQLiteStorage.open(path)
    assert user_version(path) == 99


async def test_an_sqlite_without_returning_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 31, 1))
    monkeypatch.setattr(sqlite3, "sqlite_version", "3.31.1")
    with pytest.raises(SQLiteTooOld, match=r"SQLite 3\.31\.1.*3\.35 or newer"):
        await SQLiteStorage.open(tmp_path / "db.sqlite")
    assert not (tmp_path / "db.sqlite").exists()


def postgres(url: str) -> PostgresLocation:
    location = parse_database_url(url, base=Path())
    assert isinstance(location, PostgresLocation)
    return location


async def postgres_columns(url: str) -> dict[str, list[str]]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT table_name, column_name, is_nullable FROM information_schema.columns"
            " WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
        )
        versions = await conn.fetch("SELECT version FROM schema_versions ORDER BY version")
    finally:
        await conn.close()
    columns: dict[str, list[str]] = {}
    for table, column, nullable in sorted(tuple(row) for row in rows):
        if table.startswith(SEARCH_INDEX_TABLES):  # each engine's own form
            continue
        columns.setdefault(table, []).append(column + ("" if nullable == "YES" else "!"))
    columns["schema_versions"] = [str(row[0]) for row in versions]
    return columns


async def test_both_backends_have_the_same_tables_and_columns(
    tmp_path: Path, postgres_url: str
) -> None:
    sqlite_path = tmp_path / "db.sqlite"
    await (await SQLiteStorage.open(sqlite_path)).close()
    await (await PostgresStorage.open(postgres(postgres_url))).close()
    on_postgres = await postgres_columns(postgres_url)
    versions = on_postgres.pop("schema_versions")
    assert versions == [str(n) for n in range(1, LATEST + 1)]
    assert len(load_migrations(migrations_dir("postgresql"))) == LATEST
    assert on_postgres == sqlite_columns(sqlite_path, required=True)


async def test_postgres_processes_starting_at_once_migrate_once(postgres_url: str) -> None:
    opened = await asyncio.gather(*(PostgresStorage.open(postgres(postgres_url)) for _ in range(4)))
    for storage in opened:
        await storage.close()
    versions = [str(version) for version in range(1, LATEST + 1)]
    assert (await postgres_columns(postgres_url))["schema_versions"] == versions


async def test_a_postgres_database_newer_than_the_bot_is_refused(postgres_url: str) -> None:
    await (await PostgresStorage.open(postgres(postgres_url))).close()
    conn = await asyncpg.connect(postgres_url)
    await conn.execute("INSERT INTO schema_versions (version, name) VALUES (99, 'future')")
    await conn.close()
    with pytest.raises(SchemaTooNew, match="99"):
        await PostgresStorage.open(postgres(postgres_url))


def test_sqlite_statements_split_at_their_own_semicolons() -> None:
    script = """
        -- a comment; with a semicolon
        CREATE TABLE t (x TEXT DEFAULT 'a;b');
        CREATE TRIGGER trg AFTER INSERT ON t BEGIN
            UPDATE t SET x = 'c;d';
        END;
        INSERT INTO t VALUES ('e;f')
    """
    statements = split_statements(script)
    assert len(statements) == 3
    conn = sqlite3.connect(":memory:")
    for statement in statements:
        conn.execute(statement)
    assert [row[0] for row in conn.execute("SELECT x FROM t")] == ["c;d"]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"0001_a.sql": "", "0003_c.sql": ""}, "numbered"),
        ({"3_bad.sql": ""}, "named like"),
        ({}, "no migrations"),
    ],
)
def test_badly_numbered_migrations_are_refused(
    tmp_path: Path, files: dict[str, str], message: str
) -> None:
    for name, sql in files.items():
        (tmp_path / name).write_text(sql)
    with pytest.raises(ValueError, match=message):
        load_migrations(tmp_path)


async def test_sqlite_storages_opening_at_once_migrate_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "db.sqlite"
    with caplog.at_level(logging.INFO, logger="bot.storage.sqlite_setup"):
        opened = await asyncio.gather(*(SQLiteStorage.open(path) for _ in range(4)))
    for storage in opened:
        await storage.close()
    assert user_version(path) == LATEST
    applied = [r.getMessage() for r in caplog.records if "applying migration" in r.getMessage()]
    every = [f"applying migration {m.name}" for m in load_migrations(migrations_dir("sqlite"))]
    assert applied == every  # each once, whichever storage got there first
