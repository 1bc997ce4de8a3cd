"""How the SQLite backend writes values and reads rows (its parts share one way)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any

from bot.storage.rows import check_aware

Row = tuple[Any, ...]


def time_text(moment: datetime) -> str:
    """A moment as every table keeps it: ISO 8601 in UTC, so that text order is time order."""
    return check_aware(moment).astimezone(UTC).isoformat(timespec="microseconds")


def fetch_rows(sql: str, params: Any, conn: sqlite3.Connection) -> list[Row]:
    # fetchall, always: a statement left unfinished would keep its savepoint from releasing.
    return [tuple(row) for row in conn.execute(sql, params).fetchall()]
