"""A real SQLite file per test, opened through the store as the bot does."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.storage import ReadingStore


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "storybot.db"  # the folder does not exist yet: open makes it


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[ReadingStore]:
    opened = await ReadingStore.open(db_path)
    yield opened
    await opened.close()


@pytest.fixture
def raw(db_path: Path) -> Iterator[sqlite3.Connection]:
    """A second, plain connection to the same file: sees only what was committed."""
    conn = sqlite3.connect(db_path)
    yield conn
    conn.close()
