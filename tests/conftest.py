"""Fixtures shared by every layer: a real SQLite file per test, opened as the bot opens it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage import ReadingStore


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "storybot.db"  # the folder does not exist yet: open makes it


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[ReadingStore]:
    async with await ReadingStore.open(db_path) as opened:
        yield opened
