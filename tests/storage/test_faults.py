"""Faults while running, made for real: a full disk, a WAL that cannot be written, the
PostgreSQL server stopped and started again. Readers get `StorageUnavailable` (nothing
written), the log one ERROR line per episode and an INFO line once it works again; nothing
acknowledged is lost."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.storage.errors import StorageReadUnavailable, StorageUnavailable
from bot.storage.interface import Storage
from bot.storage.sqlite import SQLiteStorage
from bot.storage.url import open_storage
from tests.pg_server import ServerUnavailable, throwaway_server
from tests.storage.helpers import anchor, now

FAULTS_LOGGER = "bot.storage.faults"


def fault_lines(caplog: pytest.LogCaptureFixture) -> list[tuple[int, str]]:
    lines = [(r.levelno, r.getMessage()) for r in caplog.records if r.name == FAULTS_LOGGER]
    assert not [r for r in caplog.records if r.exc_info], "no traceback in the log"
    return [(level, message) for level, message in lines if level >= logging.INFO]


def root_only(what: str) -> None:
    if os.geteuid() != 0:
        pytest.skip(f"{what} needs root here")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs mounted for the test: a disk that really fills up."""
    root_only("mounting a small tmpfs")
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr!r}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=True)


def fill(disk: Path) -> Path:
    """Take every free byte of `disk` (unbuffered: nothing left to flush on close)."""
    filler = disk / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(descriptor, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(descriptor)
    return filler


async def test_a_full_disk(small_disk: Path, caplog: pytest.LogCaptureFixture) -> None:
    storage = await SQLiteStorage.open(small_disk / "storybot.db")
    try:
        assert await storage.save_position(1, "story", anchor(1), asked_at=now()) is not None
        filler = fill(small_disk)
        caplog.set_level(logging.DEBUG, logger=FAULTS_LOGGER)
        refused = []
        told = ""
        for user_id in range(2, 400):
            try:
                await storage.save_position(user_id, "story", anchor(2), asked_at=now())
            except StorageUnavailable as error:
                refused.append(user_id)
                told = error.user_message
        assert refused, "the disk filled up"
        assert "try again" in told
        assert await storage.get_position(1, "story") is not None  # reading still works
        with pytest.raises(StorageUnavailable):  # and ends no episode of failing writes
            await storage.save_position(500, "story", anchor(2), asked_at=now())
        refused.append(500)
        filler.unlink()
        assert await storage.save_position(1, "story", anchor(3), asked_at=now()) is not None
        stored = {p.user_id for p in await storage.positions_for_story("story")}
        assert not stored & set(refused), "a refused write was not stored"
        lines = fault_lines(caplog)
        assert [level for level, _ in lines] == [logging.ERROR, logging.INFO]
        assert "full" in lines[0][1]
        assert str(small_disk / "storybot.db") in lines[0][1]
        assert "works again" in lines[1][1]
    finally:
        await storage.close()


def set_immutable(chattr: str, path: Path, on: bool) -> bool:
    flag = "+i" if on else "-i"
    return subprocess.run([chattr, flag, str(path)], check=False).returncode == 0


async def test_a_wal_that_cannot_be_written(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The immutable flag on the open WAL: every write to it fails with an I/O error."""
    root_only("the immutable flag")
    chattr = shutil.which("chattr")
    if chattr is None:
        pytest.skip("no chattr here")
    path = tmp_path / "storybot.db"
    storage = await SQLiteStorage.open(path)
    wal = Path(f"{path}-wal")
    try:
        await storage.save_position(1, "story", anchor(1), asked_at=now())
        if not await asyncio.to_thread(set_immutable, chattr, wal, True):
            pytest.skip("chattr +i is refused here")
        caplog.set_level(logging.DEBUG, logger=FAULTS_LOGGER)
        try:
            for scene in (2, 3, 4):
                with pytest.raises(StorageUnavailable):
                    await storage.save_position(1, "story", anchor(scene), asked_at=now())
            with pytest.raises(StorageUnavailable):
                await storage.add_bookmark(1, "story", anchor(2), None, asked_at=now())
        finally:
            assert await asyncio.to_thread(set_immutable, chattr, wal, False)
        position = await storage.get_position(1, "story")
        assert position is not None
        assert position.place == anchor(1)  # none of the refused writes happened
        assert await storage.save_position(1, "story", anchor(5), asked_at=now()) is not None
        lines = fault_lines(caplog)
        assert [level for level, _ in lines] == [logging.ERROR, logging.INFO]
        assert "I/O error" in lines[0][1]
    finally:
        await storage.close()
    reopened = await SQLiteStorage.open(path)
    try:
        position = await reopened.get_position(1, "story")
        assert position is not None
        assert position.place == anchor(5)
        assert await reopened.list_bookmarks(1) == []
    finally:
        await reopened.close()


async def test_postgres_stopped_and_started_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A server of its own (it is stopped mid-run): while it is down every call fails as
    unavailable; once it is back the pool reconnects by itself and nothing acknowledged is
    lost."""
    try:
        server_context = throwaway_server()
        server = server_context.__enter__()
    except ServerUnavailable as error:
        if os.environ.get("STORYBOT_REQUIRE_POSTGRES") == "1":
            raise
        pytest.skip(f"PostgreSQL unavailable: {error}")
    storage: Storage | None = None
    try:
        storage = await open_storage(server.url(), base=tmp_path)
        for user_id in range(20):
            assert await storage.save_position(user_id, "s", anchor(1), asked_at=now())
        caplog.set_level(logging.DEBUG, logger=FAULTS_LOGGER)
        server.pause()
        for scene in (2, 3):
            with pytest.raises(StorageUnavailable) as refused:
                await storage.save_position(1, "s", anchor(scene), asked_at=now())
            assert "try again" in refused.value.user_message
        with pytest.raises(StorageReadUnavailable):
            await storage.get_position(1, "s")
        server.resume()
        assert await storage.save_position(2, "s", anchor(4), asked_at=now()) is not None
        places = {p.user_id: p.place for p in await storage.positions_for_story("s")}
        assert places == {user_id: anchor(4 if user_id == 2 else 1) for user_id in range(20)}
        lines = fault_lines(caplog)
        assert [level for level, _ in lines] == [logging.ERROR, logging.INFO]
        assert f"127.0.0.1:{server.port}" in lines[0][1]
        assert server.password not in " ".join(message for _, message in lines)
    finally:
        if storage is not None:
            await storage.close()
        server_context.__exit__(None, None, None)
