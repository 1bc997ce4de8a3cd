"""`python -m bot db copy|check|backup` through `bot.db_cli.main`, on real databases."""

from __future__ import annotations

import asyncio
import io
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import pytest

from bot.db_cli import main
from bot.storage.interface import Storage
from bot.storage.schema import load_migrations, migrations_dir
from bot.storage.url import open_storage
from tests.pg_server import free_port
from tests.storage.helpers import anchor, now
from tests.storage.test_migrations import make_version_1
from tests.storage.test_readalongs import plan

SQLITE_URL = "sqlite:///data/storybot.db"


def run(argv: list[str], database_url: str, base: Path) -> tuple[int, str]:
    out = io.StringIO()
    status = main(argv, database_url, base, out)
    return status, out.getvalue()


async def run_async(argv: list[str], database_url: str, base: Path) -> tuple[int, str]:
    # The CLI runs its own event loop, as `python -m bot db` does.
    return await asyncio.to_thread(run, argv, database_url, base)


async def fill(storage: Storage) -> None:
    for user_id in (1, 2, 3):
        await storage.save_position(user_id, "story", anchor(user_id), asked_at=now(), notice="n")
        await storage.add_bookmark(user_id, "story", anchor(9), f"note {user_id}", asked_at=now())
        await storage.mark_quote_seen(user_id, "story", "q1", asked_at=now())
        await storage.set_flag(user_id, "welcomed", "yes", asked_at=now())
    await storage.set_meta("commands_hash", "abc")
    await storage.set_text_version("story", "digest")
    running = await storage.readalongs.create(plan(channel_id=10, by=1))  # never posted yet
    assert running.next_due_at is not None
    await storage.readalongs.claim(
        running, due_at=running.next_due_at, next_due_at=None, now=now()
    )  # its last part claimed: finished, no time due
    await storage.readalongs.create(plan(channel_id=11, by=2))
    await storage.delete_user(3, at=now())


async def test_copy_moves_every_row_and_keeps_bookmark_ids(
    tmp_path: Path, postgres_url: str
) -> None:
    (tmp_path / "data").mkdir()
    make_version_1(tmp_path / "data" / "storybot.db")  # rows as pages, ids removed before
    source = await open_storage(SQLITE_URL, base=tmp_path)
    await fill(source)
    exported = {user_id: await source.export_user(user_id) for user_id in (1, 2, 3)}
    bookmarks = await source.bookmarks_for_story("story")
    await source.close()

    status, said = await run_async(["copy", postgres_url], SQLITE_URL, tmp_path)
    assert status == 0, said
    assert "positions: 2 rows" in said  # the third reader erased
    assert "bookmarks: 6 rows" in said  # four from version 1, two added
    assert "erasures: 1 rows" in said
    assert "readalongs: 2 rows" in said
    assert str(urlsplit(postgres_url).password) not in said

    target = await open_storage(postgres_url, base=tmp_path)
    try:
        for user_id, data in exported.items():
            assert await target.export_user(user_id) == data
        assert await target.bookmarks_for_story("story") == bookmarks
        assert await target.get_meta("commands_hash") == "abc"
        assert await target.text_versions() == {"story": "digest"}
        copied = {row.channel_id: row for row in await target.readalongs.in_guild(1)}
        assert (copied[10].running, copied[10].next_due_at) == (False, None)
        assert copied[11].running
        # The erasure came along: a write asked for before it still writes nothing.
        assert await target.save_position(3, "story", anchor(0), asked_at=now()) is not None
        added = await target.add_bookmark(1, "x", anchor(0), None, asked_at=now())
        assert added is not None
        assert added.id > max(b.id for b in bookmarks)
        assert added.id > 5  # past SQLite's counter too: ids removed there are not reused
    finally:
        await target.close()


async def test_copy_into_a_database_with_rows_changes_nothing(
    tmp_path: Path, postgres_url: str
) -> None:
    source = await open_storage(SQLITE_URL, base=tmp_path)
    await fill(source)
    await source.close()
    target = await open_storage(postgres_url, base=tmp_path)
    await target.set_meta("mine", "kept")
    await target.close()
    status, said = await run_async(["copy", postgres_url], SQLITE_URL, tmp_path)
    assert status == 1
    assert "nothing was changed" in said
    assert "is not empty (meta 1 rows)" in said
    conn = await asyncpg.connect(postgres_url)
    try:
        assert await conn.fetchval("SELECT count(*) FROM positions") == 0
        assert await conn.fetchval("SELECT value FROM meta") == "kept"
    finally:
        await conn.close()


@pytest.mark.parametrize(
    ("configured", "target", "expected"),
    [
        (
            "postgresql://u:secret@127.0.0.1:1/d",
            "postgresql://u:secret@127.0.0.1:1/e",
            "works from the SQLite",
        ),
        (SQLITE_URL, "sqlite:///other.db", "give a postgresql:// URL"),
        (SQLITE_URL, "postgresql://u:secret@h:x/d", "port"),
    ],
)
async def test_copy_refuses_what_it_cannot_do(
    tmp_path: Path, configured: str, target: str, expected: str
) -> None:
    status, said = await run_async(["copy", target], configured, tmp_path)
    assert status == 2
    assert expected in said
    assert "secret" not in said


async def test_copy_to_an_unreachable_server_is_one_line(tmp_path: Path) -> None:
    await (await open_storage(SQLITE_URL, base=tmp_path)).close()
    port = free_port()
    status, said = await run_async(
        ["copy", f"postgresql://u:secret@127.0.0.1:{port}/d"], SQLITE_URL, tmp_path
    )
    assert status == 2
    assert said.count("\n") == 1
    assert f"127.0.0.1:{port}" in said
    assert "secret" not in said


async def test_check_reports_backend_version_rows_and_integrity(
    tmp_path: Path, database_url: str, storage: Storage
) -> None:
    await fill(storage)
    status, said = await run_async(["check"], database_url, tmp_path)
    assert status == 0, said
    lines = said.splitlines()
    assert lines[0] == f"backend: {storage.backend}"
    latest = len(load_migrations(migrations_dir("sqlite")))
    assert f"schema version: {latest}" in lines
    assert any(line.split() == ["positions", "2"] for line in lines)
    assert any(line.split() == ["bookmarks", "2"] for line in lines)
    assert lines[-1] == "integrity: ok"


async def test_check_finds_rows_that_break_the_schema(tmp_path: Path) -> None:
    storage = await open_storage(SQLITE_URL, base=tmp_path)
    await fill(storage)
    await storage.close()
    conn = sqlite3.connect(tmp_path / "data" / "storybot.db")
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("UPDATE positions SET page = 4 WHERE user_id = 1")  # a page AND an anchor
    conn.commit()
    conn.close()
    status, said = await run_async(["check"], SQLITE_URL, tmp_path)
    assert status == 1
    assert "integrity: PROBLEMS" in said
    assert "CHECK constraint failed in positions" in said


async def test_check_finds_a_bookmark_counter_behind_its_ids(
    tmp_path: Path, postgres_url: str
) -> None:
    storage = await open_storage(postgres_url, base=tmp_path)
    await fill(storage)
    await storage.close()
    conn = await asyncpg.connect(postgres_url)
    await conn.execute("SELECT setval('bookmarks_id_seq', 1)")
    await conn.close()
    status, said = await run_async(["check"], postgres_url, tmp_path)
    assert status == 1
    assert "the bookmark id counter would hand out 2, but ids go up to 2" in said


async def test_copy_of_a_missing_file_makes_nothing(tmp_path: Path) -> None:
    status, said = await run_async(
        ["copy", "postgresql://u:secret@127.0.0.1:1/d"], SQLITE_URL, tmp_path
    )
    assert status == 2
    assert "no such file to copy" in said
    assert not (tmp_path / "data").exists()


async def test_check_of_a_missing_file(tmp_path: Path) -> None:
    status, said = await run_async(["check"], SQLITE_URL, tmp_path)
    assert status == 2
    assert "no such file" in said
    assert str(tmp_path / "data" / "storybot.db") in said


async def test_backup_is_an_online_copy_that_opens(tmp_path: Path) -> None:
    storage = await open_storage(SQLITE_URL, base=tmp_path)
    try:
        await fill(storage)
        target = tmp_path / "backup.db"
        status, said = await run_async(["backup", str(target)], SQLITE_URL, tmp_path)
        assert status == 0, said
        assert "integrity ok" in said
        await storage.save_position(1, "story", anchor(50), asked_at=now())  # after the copy
    finally:
        await storage.close()
    assert sorted(path.name for path in await asyncio.to_thread(tmp_path.iterdir)) == [
        "backup.db",
        "data",
    ]
    copy = await open_storage(f"sqlite:///{target}", base=tmp_path)
    try:
        position = await copy.get_position(1, "story")
        assert position is not None
        assert position.place == anchor(1)
        assert len(await copy.bookmarks_for_story("story")) == 2
    finally:
        await copy.close()
    status, said = await run_async(["backup", str(target)], SQLITE_URL, tmp_path)
    assert status == 1
    assert "exists already" in said


@pytest.mark.parametrize(("argv", "status"), [([], 2), (["nonsense"], 2), (["--help"], 0)])
def test_command_line_problems(
    tmp_path: Path, argv: list[str], status: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(argv, SQLITE_URL, tmp_path)[0] == status
    captured = capsys.readouterr()
    assert "python -m bot db" in captured.out + captured.err
