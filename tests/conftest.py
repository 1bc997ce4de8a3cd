"""Fixtures shared by every layer: the storage on both backends (`storage`, and `store`, the
name the bot's tests use for it), opened as the bot opens it, on a new database each test
(`database_url`): an SQLite file, and a PostgreSQL database of a throwaway cluster or of
`$STORYBOT_TEST_POSTGRES_URL`."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.storage.interface import Storage
from bot.storage.url import open_storage
from tests.pg_server import ServerUnavailable, create_database, drop_database, throwaway_server

# --- storage on both backends ----------------------------------------------------------------
# `storage` and `database_url` run a test on each backend; PostgreSQL comes from
# $STORYBOT_TEST_POSTGRES_URL (CI) or a throwaway cluster started for the session.

BACKENDS = ("sqlite", "postgresql")


def _no_postgres(reason: str) -> None:
    """Skip (locally) or fail (CI sets STORYBOT_REQUIRE_POSTGRES=1): PostgreSQL is missing."""
    message = f"PostgreSQL unavailable: {reason}"
    if os.environ.get("STORYBOT_REQUIRE_POSTGRES") == "1":
        pytest.fail(message + " (STORYBOT_REQUIRE_POSTGRES=1)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """A URL on a PostgreSQL server where tests may create databases."""
    given = os.environ.get("STORYBOT_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    try:
        with throwaway_server() as server:
            yield server.url()
    except ServerUnavailable as error:
        _no_postgres(str(error))


@pytest.fixture
async def postgres_url(postgres_admin_url: str) -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL database for one test; dropped afterwards."""
    url = await create_database(postgres_admin_url)
    yield url
    await drop_database(postgres_admin_url, url)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A DATABASE_URL for a new, empty database: an SQLite file or a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'storybot.db'}"  # an absolute path: ////
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
async def storage(database_url: str, tmp_path: Path) -> AsyncIterator[Storage]:
    """The storage on each backend, opened as the bot opens it."""
    opened = await open_storage(database_url, base=tmp_path)
    yield opened
    await opened.close()


@pytest.fixture
def store(storage: Storage) -> Storage:
    """The bot's store in the bot's and the services' tests: `storage`, on each backend."""
    return storage
