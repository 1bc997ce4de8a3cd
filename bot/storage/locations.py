"""Where a database is: a file for SQLite, a server for PostgreSQL (see `url.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

POSTGRES_SCHEMES = ("postgresql", "postgres")
DEFAULT_POSTGRES_PORT = 5432


@dataclass(frozen=True, slots=True)
class SQLiteLocation:
    path: Path

    def describe(self) -> str:
        return f"SQLite database {self.path}"


@dataclass(frozen=True, slots=True)
class PostgresLocation:
    dsn: str = ""  # the URL as given, for the driver: it holds the password, so never shown
    host: str = ""
    port: int = DEFAULT_POSTGRES_PORT
    database: str = ""
    user: str = ""
    password: str = ""

    def describe(self) -> str:
        """Where, for a log line or an error: no password."""
        return f"PostgreSQL database {self.database or '(default)'} at {self.address}"

    @property
    def address(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host or "localhost"
        return f"{host}:{self.port}"

    def redact(self, text: str) -> str:
        """`text` with the password masked (in case a driver's message quotes the URL)."""
        if self.password:
            text = text.replace(self.password, "***")
        return text.replace(self.dsn, self.redacted_url) if self.dsn else text

    @property
    def redacted_url(self) -> str:
        return without_password(urlsplit(self.dsn)) if self.dsn else ""


Location = SQLiteLocation | PostgresLocation


def without_password(parts: SplitResult) -> str:
    netloc = parts.netloc
    if "@" in netloc:
        credentials, _, hostport = netloc.rpartition("@")
        user = credentials.split(":", 1)[0]
        netloc = f"{user}:***@{hostport}" if ":" in credentials else f"{user}@{hostport}"
    return parts._replace(netloc=netloc).geturl()
