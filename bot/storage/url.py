"""`DATABASE_URL`: which backend, and where. `open_storage` is the one factory the bot calls.

    sqlite:///data/storybot.db           relative to the `base` folder the caller passes
    sqlite:////srv/storybot/storybot.db  absolute
    postgresql://user:password@host:5432/dbname?sslmode=require   (postgres:// too)

A URL that cannot be used is one line (`StorageSetupError`), and never shows the password.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import SplitResult, unquote, urlsplit

from bot.storage.errors import StorageSetupError
from bot.storage.interface import Storage
from bot.storage.locations import (
    DEFAULT_POSTGRES_PORT,
    POSTGRES_SCHEMES,
    Location,
    PostgresLocation,
    SQLiteLocation,
    without_password,
)
from bot.storage.postgres import PostgresStorage
from bot.storage.sqlite import SQLiteStorage


def _malformed(shown: str, why: str) -> StorageSetupError:
    return StorageSetupError(
        f"DATABASE_URL {shown} cannot be used: {why}; write it as "
        "sqlite:///path/to/storybot.db or postgresql://user:password@host:5432/dbname"
    )


def parse_database_url(url: str, *, base: Path) -> Location:
    """Where `url` points; `StorageSetupError` (one line, no password) when malformed."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        shown = without_password(parts)
    except ValueError:
        raise _malformed("(unreadable)", "it is not a URL") from None
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        return _sqlite_location(parts, shown, base)
    if scheme in POSTGRES_SCHEMES:
        return _postgres_location(text, parts, shown)
    if not scheme:
        raise _malformed(shown, "it names no backend (sqlite:// or postgresql://)")
    raise _malformed(shown, f"unknown backend {scheme!r} (sqlite or postgresql)")


def _sqlite_location(parts: SplitResult, shown: str, base: Path) -> SQLiteLocation:
    if parts.netloc:
        raise _malformed(shown, "an SQLite URL has no host: use three slashes, sqlite:///")
    if parts.query or parts.fragment:
        raise _malformed(shown, "an SQLite URL takes no options")
    # sqlite:///rel/x.db has the path "/rel/x.db", sqlite:////abs/x.db "//abs/x.db".
    path_text = unquote(parts.path)
    if not path_text.startswith("/") or not path_text[1:].strip("/"):
        raise _malformed(shown, "it names no database file")
    relative = path_text[1:]
    path = Path(relative) if relative.startswith("/") else base / relative
    return SQLiteLocation(path)


def _postgres_location(text: str, parts: SplitResult, shown: str) -> PostgresLocation:
    try:
        port = DEFAULT_POSTGRES_PORT if parts.port is None else parts.port
    except ValueError:
        raise _malformed(shown, "its port is not a number from 1 to 65535") from None
    if not 0 < port < 65536:
        raise _malformed(shown, "its port is not a number from 1 to 65535")
    database = unquote(parts.path.lstrip("/"))
    if "/" in database:
        raise _malformed(shown, "its path must be just the database name")
    return PostgresLocation(
        dsn=text,
        host=unquote(parts.hostname or ""),
        port=port,
        database=database,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
    )


async def open_storage(url: str, *, base: Path) -> Storage:
    """The storage `url` names, opened and migrated; `StorageSetupError` (one line: what is
    wrong and what to do, never the password) when it cannot be used."""
    location = parse_database_url(url, base=base)
    if isinstance(location, SQLiteLocation):
        return await SQLiteStorage.open(location.path)
    return await PostgresStorage.open(location)
