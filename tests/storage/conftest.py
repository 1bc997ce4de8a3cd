"""A real SQLite file per test, opened through the store as the bot does."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def raw(db_path: Path) -> Iterator[sqlite3.Connection]:
    """A second, plain connection to the same file: sees only what was committed."""
    conn = sqlite3.connect(db_path)
    yield conn
    conn.close()
