"""The numbered migrations of each backend, and what both backends' tables hold.

`migrations/sqlite/` and `migrations/postgresql/` hold `NNNN_name.sql` files numbered 1, 2,
3… without gaps, the same numbers meaning the same schema on both: a database at version N
has the same tables and columns, whichever backend holds it.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

MIGRATIONS_ROOT = Path(__file__).with_name("migrations")
_MIGRATION_NAME = re.compile(r"^(\d{4})_\w+\.sql$")

PLACE_COLUMNS = ("scene", "page", "paragraph", "char_offset", "snippet")

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "positions": ("user_id", "story_id", *PLACE_COLUMNS, "updated_at", "notice"),
    "bookmarks": ("id", "user_id", "story_id", *PLACE_COLUMNS, "note", "created_at"),
    "seen_quotes": ("user_id", "story_id", "quote_id"),
    "user_flags": ("user_id", "flag", "value"),
    "meta": ("key", "value"),
    "erasures": ("user_id", "erased_at"),
    "texts": ("story_id", "digest"),
    "readalongs": (
        "id",
        "guild_id",
        "channel_id",
        "story_id",
        "part_rule",
        "local_time",
        "timezone",
        "weekdays",
        "role_id",
        "created_by",
        "created_at",
        "next_part",
        "next_due_at",
        "last_posted_at",
        "paused_reason",
    ),
    "readalong_posts": ("readalong_id", "part", "due_at", "claimed_at", "message_id", "thread_id"),
    "search_queries": ("id", "query", "used_at"),
}
"""Every table of the latest schema and its columns, in the same order on both backends
(but the search index's, `SEARCH_INDEX_TABLES`)."""

SEARCH_INDEX_TABLES = ("search_texts", "search_paragraphs")
"""The search index, and on SQLite the tables FTS5 keeps for it (named after it): derived
from the texts and kept in each engine's own form, so `db copy` leaves it out (the target
builds its own at its first start) and `db check` does not count it."""

TIME_COLUMNS = frozenset(
    {"updated_at", "created_at", "erased_at", "next_due_at", "last_posted_at", "due_at"}
    | {"claimed_at", "used_at"}
)
"""Columns holding a moment: ISO 8601 text on SQLite, timestamptz on PostgreSQL."""

SERIAL_TABLES = ("bookmarks", "readalongs")
"""The tables whose `id` a counter hands out (never twice, even after a delete)."""

USER_TABLES = ("positions", "bookmarks", "seen_quotes", "user_flags")
"""The tables with rows about a user: a data deletion empties each of them."""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations_dir(backend: str) -> Path:
    return MIGRATIONS_ROOT / backend


def load_migrations(folder: Path) -> list[Migration]:
    """The `NNNN_name.sql` files of `folder`, numbered 1, 2, 3… without gaps."""
    migrations = []
    for path in sorted(folder.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if match is None:
            raise ValueError(f"migration {path} is not named like 0001_initial.sql")
        migrations.append(Migration(int(match[1]), path.name, path.read_text("utf-8")))
    if not migrations:
        raise ValueError(f"no migrations in {folder}: is the package installed completely?")
    versions = [migration.version for migration in migrations]
    if versions != list(range(1, len(migrations) + 1)):
        raise ValueError(f"migrations in {folder} must be numbered 1, 2, 3… once each: {versions}")
    return migrations


def split_statements(script: str) -> list[str]:
    """Cut an SQLite script into statements, as `execute` runs one at a time.

    `executescript` would do it but first commits any open transaction, which would break
    applying all migrations in one. `sqlite3.complete_statement` knows strings, comments and
    trigger bodies, so a `;` inside them does not end a statement.
    """
    statements = []
    current = ""
    pieces = script.split(";")
    for index, piece in enumerate(pieces):
        last = index == len(pieces) - 1  # what follows the last ";" has none of its own
        current += piece if last else piece + ";"
        if last or sqlite3.complete_statement(current):
            if current.strip(" \t\r\n;"):
                statements.append(current)
            current = ""
    return statements
