"""A database the bot cannot use is one line that names it, says what is wrong and what to do
(`StorageSetupError`; the bot exits with status 2). Every case here is real: real files, real
permissions (the immutable flag as root), a real second process, a real server."""

from __future__ import annotations

import logging
import random
import secrets
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import pytest

from bot.storage.errors import StorageSetupError
from bot.storage.sqlite import SQLiteStorage
from bot.storage.url import open_storage
from tests.pg_server import free_port, with_database
from tests.storage.conftest import ReadOnly
from tests.storage.helpers import anchor, now


async def refusal(url: str, base: Path) -> str:
    try:
        storage = await open_storage(url, base=base)
    except StorageSetupError as error:
        message = str(error)
    else:
        await storage.close()
        pytest.fail(f"{url} was opened")
    assert "\n" not in message
    return message


async def make_database(path: Path, readers: int = 1) -> None:
    storage = await SQLiteStorage.open(path)
    for user_id in range(readers):
        await storage.save_position(user_id, "story", anchor(user_id), asked_at=now())
    await storage.close()


async def test_a_folder(tmp_path: Path) -> None:
    (tmp_path / "storybot.db").mkdir()
    message = await refusal("sqlite:///storybot.db", tmp_path)
    assert str(tmp_path / "storybot.db") in message
    assert "is a folder" in message


async def test_a_file_of_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "storybot.db"
    path.write_bytes(random.Random(12).randbytes(8192))
    message = await refusal("sqlite:///storybot.db", tmp_path)
    assert str(path) in message
    assert "is not an SQLite database" in message
    assert "move this file away" in message


async def test_a_truncated_database(tmp_path: Path) -> None:
    path = tmp_path / "storybot.db"
    await make_database(path, readers=3000)
    size = path.stat().st_size
    with path.open("r+b") as file:
        file.truncate(size // 2)
    message = await refusal("sqlite:///storybot.db", tmp_path)
    assert str(path) in message
    assert "is damaged" in message
    assert "backup" in message


async def test_a_read_only_file(tmp_path: Path, make_read_only: ReadOnly) -> None:
    path = tmp_path / "storybot.db"
    await make_database(path)
    make_read_only(path)
    message = await refusal("sqlite:///storybot.db", tmp_path)
    assert str(path) in message
    assert "read-only" in message
    assert "write access" in message


@pytest.mark.parametrize("existing", [True, False], ids=["existing", "new"])
async def test_a_read_only_folder(tmp_path: Path, make_read_only: ReadOnly, existing: bool) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    if existing:
        await make_database(folder / "storybot.db")
    make_read_only(folder)
    message = await refusal("sqlite:///data/storybot.db", tmp_path)
    assert str(folder / "storybot.db") in message
    assert f"its folder {folder} is read-only" in message


async def test_a_path_under_a_regular_file(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("not a folder")
    message = await refusal("sqlite:///data/sub/storybot.db", tmp_path)
    assert str(tmp_path / "data" / "sub" / "storybot.db") in message
    assert f"{tmp_path / 'data'} is a file, not a folder" in message


@pytest.fixture
def locked_by_another_process(tmp_path: Path) -> Iterator[Path]:
    """A database whose write lock another process holds until the test ends."""
    path = tmp_path / "storybot.db"
    holder = (
        "import sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "conn.execute('BEGIN IMMEDIATE')\n"
        "print('locked', flush=True)\n"
        "sys.stdin.read()\n"
    )
    sqlite3.connect(path).close()
    process = subprocess.Popen(
        [sys.executable, "-c", holder, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "locked"
        yield path
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=30)


async def test_a_database_locked_past_the_busy_timeout(locked_by_another_process: Path) -> None:
    path = locked_by_another_process
    with pytest.raises(StorageSetupError) as refused:
        await SQLiteStorage.open(path, busy_timeout_ms=200)
    message = str(refused.value)
    assert "\n" not in message
    assert str(path) in message
    assert "locked by another process" in message
    assert "another copy of the bot" in message


async def test_an_empty_file_is_opened_as_a_new_database(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "storybot.db"
    path.touch()
    with caplog.at_level(logging.INFO):
        storage = await open_storage("sqlite:///storybot.db", base=tmp_path)
    try:
        assert await storage.save_position(1, "s", anchor(0), asked_at=now()) is not None
    finally:
        await storage.close()
    said = [record.getMessage() for record in caplog.records]
    assert any(str(path) in line and "empty" in line and "new database" in line for line in said)


async def test_a_malformed_url(tmp_path: Path) -> None:
    message = await refusal("postgresql://bot:secret@db:port/x", tmp_path)
    assert "port" in message
    assert "secret" not in message


# --- PostgreSQL ----------------------------------------------------------------------------


async def test_postgres_unreachable_names_host_and_port(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    message = await refusal(f"postgresql://bot:secret@127.0.0.1:{port}/storybot", tmp_path)
    assert f"127.0.0.1:{port}" in message
    assert "cannot reach" in message
    assert "secret" not in message


async def test_postgres_wrong_password(tmp_path: Path, postgres_url: str) -> None:
    parts = urlsplit(postgres_url)
    assert parts.username is not None
    assert parts.hostname is not None
    wrong = parts._replace(
        netloc=f"{parts.username}:wrong-password@{parts.hostname}:{parts.port}"
    ).geturl()
    message = await refusal(wrong, tmp_path)
    assert f"refused user {parts.username}" in message
    assert f"{parts.hostname}:{parts.port}" in message
    assert "wrong-password" not in message


async def test_postgres_database_missing(tmp_path: Path, postgres_url: str) -> None:
    message = await refusal(with_database(postgres_url, "no_such_database"), tmp_path)
    assert "no_such_database" in message
    assert "does not exist" in message
    assert "CREATE DATABASE no_such_database" in message
    assert str(urlsplit(postgres_url).password) not in message


async def test_postgres_user_without_rights_to_create_tables(
    tmp_path: Path, postgres_url: str
) -> None:
    role, password = f"limited_{secrets.token_hex(4)}", secrets.token_hex(8)
    admin = await asyncpg.connect(postgres_url)
    await admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
    try:
        parts = urlsplit(postgres_url)
        limited = parts._replace(netloc=f"{role}:{password}@{parts.hostname}:{parts.port}")
        message = await refusal(limited.geturl(), tmp_path)
        assert f"user {role} may not create the bot's tables" in message
        assert password not in message
    finally:
        await admin.execute(f"DROP ROLE {role}")
        await admin.close()
