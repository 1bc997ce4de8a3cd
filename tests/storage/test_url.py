"""DATABASE_URL: which backend and where; a malformed one is one line without the password."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.storage.errors import StorageSetupError
from bot.storage.locations import PostgresLocation, SQLiteLocation
from bot.storage.url import parse_database_url

BASE = Path("/srv/bot")


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:///data/storybot.db", BASE / "data" / "storybot.db"),
        ("sqlite:///storybot.db", BASE / "storybot.db"),
        ("sqlite:////var/lib/storybot/db.sqlite", Path("/var/lib/storybot/db.sqlite")),
        ("SQLITE:///data/x.db", BASE / "data" / "x.db"),
        ("sqlite:///data/my%20db.db", BASE / "data" / "my db.db"),
        ("  sqlite:///x.db\n", BASE / "x.db"),
    ],
)
def test_sqlite_urls(url: str, path: Path) -> None:
    assert parse_database_url(url, base=BASE) == SQLiteLocation(path)


@pytest.mark.parametrize(
    ("url", "host", "port", "database", "user"),
    [
        ("postgresql://bot:pw@db.example:6543/storybot", "db.example", 6543, "storybot", "bot"),
        ("postgres://bot:pw@localhost/storybot", "localhost", 5432, "storybot", "bot"),
        ("postgresql://bot@10.0.0.5/sb?sslmode=require", "10.0.0.5", 5432, "sb", "bot"),
        ("postgresql://[::1]:5433/sb", "::1", 5433, "sb", ""),
        ("postgresql:///sb?host=/var/run/postgresql", "", 5432, "sb", ""),
        ("postgresql://b%40t:p%3Aw@h/d", "h", 5432, "d", "b@t"),
    ],
)
def test_postgres_urls(url: str, host: str, port: int, database: str, user: str) -> None:
    location = parse_database_url(url, base=BASE)
    assert isinstance(location, PostgresLocation)
    assert (location.host, location.port, location.database, location.user) == (
        host,
        port,
        database,
        user,
    )
    assert location.dsn == url


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("", "names no backend"),
        ("data/storybot.db", "names no backend"),
        ("mysql://u:secret@h/d", "unknown backend 'mysql'"),
        ("sqlite://", "no database file"),
        ("sqlite:///", "no database file"),
        ("sqlite://host/x.db", "has no host"),
        ("sqlite:///x.db?mode=ro", "takes no options"),
        ("postgresql://u:secret@h:notaport/d", "port"),
        ("postgresql://u:secret@h:99999/d", "port"),
        ("postgresql://u:secret@h:5432/d/extra", "just the database name"),
        ("postgresql://u:secret@[::1/d", "not a URL"),
    ],
)
def test_malformed_urls_are_one_line_without_the_password(url: str, reason: str) -> None:
    with pytest.raises(StorageSetupError) as refused:
        parse_database_url(url, base=BASE)
    message = str(refused.value)
    assert reason in message
    assert "secret" not in message
    assert "\n" not in message


def test_describe_and_redact_never_show_the_password() -> None:
    location = parse_database_url("postgresql://bot:hunter2@db:5432/sb", base=BASE)
    assert isinstance(location, PostgresLocation)
    assert location.describe() == "PostgreSQL database sb at db:5432"
    assert location.redacted_url == "postgresql://bot:***@db:5432/sb"
    said = f"could not connect to {location.dsn} with hunter2"
    assert "hunter2" not in location.redact(said)


# Between § marks, which no message holds of its own: any § in a message is a leak.
passwords = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30
).map(lambda text: f"§{text}§")


@given(password=passwords, port=st.integers(min_value=-5, max_value=70000))
def test_no_url_leaks_its_password(password: str, port: int) -> None:
    """Whatever the password and whether the URL is usable, neither the description nor the
    error shows it."""
    url = f"postgresql://bot:{quote(password, safe='')}@db.example:{port}/storybot"
    if not 0 < port < 65536:
        with pytest.raises(StorageSetupError) as refused:
            parse_database_url(url, base=BASE)
        assert "§" not in str(refused.value)
        return
    location = parse_database_url(url, base=BASE)
    assert isinstance(location, PostgresLocation)
    assert location.password == password
    assert "§" not in location.describe()
    assert "§" not in location.redacted_url
    assert "§" not in location.redact(f"error at {url}: {password}")


@given(name=st.text(alphabet="abcdefghij_-.0123456789", min_size=1, max_size=20))
def test_relative_sqlite_paths_stay_under_base(name: str) -> None:
    location = parse_database_url(f"sqlite:///data/{name}.db", base=BASE)
    assert isinstance(location, SQLiteLocation)
    assert location.path == BASE / "data" / f"{name}.db"
