"""Opening a PostgreSQL database for the bot: the pool made, the schema migrated, or one line
(`StorageSetupError`) naming host and port (never the password) and what to do."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import asyncpg

from bot.storage.errors import SchemaTooNew, StorageSetupError
from bot.storage.locations import PostgresLocation
from bot.storage.schema import Migration

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 10.0
COMMAND_TIMEOUT_S = 30.0  # a statement that hangs longer fails (the reader may try again)
# Two keys in the int4-pair space of advisory locks ("stor", "ybot"): apart from the user ids
# (bigint space) that writes lock.
_MIGRATION_LOCK = (0x73746F72, 0x79626F74)

_VERSIONS_TABLE = """
    CREATE TABLE IF NOT EXISTS schema_versions (
        version    integer     PRIMARY KEY,
        name       text        NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
    )
"""


async def create_pool(location: PostgresLocation, pool_size: int) -> asyncpg.Pool:
    """The bot's one pool: made once at start and passed to the storage."""
    try:
        pool = await asyncpg.create_pool(
            location.dsn,
            min_size=0,  # no floor to restore in the background (asyncpg logs each try)
            max_size=pool_size,
            timeout=CONNECT_TIMEOUT_S,
            command_timeout=COMMAND_TIMEOUT_S,
            # The erasure check relies on READ COMMITTED (see storybot_may_write), whatever
            # the server's default.
            server_settings={
                "application_name": "storybot",
                "default_transaction_isolation": "read committed",
            },
        )
    except Exception as error:
        raise explain(location, error) from None
    return pool


def explain(location: PostgresLocation, error: BaseException) -> StorageSetupError:
    """The one line for an error met while opening; the password masked whatever it says."""
    where = location.describe()
    said = location.redact(f"{type(error).__name__}: {error}")
    user = location.user or "(the default user)"
    if isinstance(error, TimeoutError):
        line = (
            f"cannot reach {where}: no answer within {CONNECT_TIMEOUT_S:.0f} s; check that "
            "the server is running and that the URL names its host and port"
        )
    elif isinstance(error, OSError):
        line = (
            f"cannot reach {where} ({said}); check that the server is running and that "
            "the URL names its host and port"
        )
    elif isinstance(error, asyncpg.InvalidAuthorizationSpecificationError):
        line = (
            f"{where} refused user {user} ({said}); check the user and password in "
            "the URL (and the server's pg_hba.conf)"
        )
    elif isinstance(error, asyncpg.InvalidCatalogNameError):
        line = (
            f"{where} does not exist; create it, e.g. "
            f"CREATE DATABASE {location.database or user} OWNER {user}"
        )
    elif isinstance(error, asyncpg.InsufficientPrivilegeError):
        line = (
            f"user {user} may not create the bot's tables in {where} ({said}); make it the "
            "database's owner (ALTER DATABASE ... OWNER TO ...)"
        )
    elif isinstance(error, asyncpg.CannotConnectNowError):
        line = f"{where} is starting up or shutting down ({said}); try again in a moment"
    elif isinstance(error, asyncpg.ClientConfigurationError | ValueError):
        line = f"the URL {location.redacted_url} cannot be used ({said})"
    else:
        line = f"cannot use {where} ({said})"
    return StorageSetupError(line)


async def migrate(pool: asyncpg.Pool, migrations: Sequence[Migration], *, where: str) -> int:
    """Apply every pending migration in ONE transaction; the schema version now. `where`
    names the database in the one line a too new schema is refused with."""
    latest = len(migrations)
    async with pool.acquire() as conn, conn.transaction():
        # Two processes starting at once: the second waits here, then finds nothing to do.
        await conn.execute("SELECT pg_advisory_xact_lock($1, $2)", *_MIGRATION_LOCK)
        await conn.execute(_VERSIONS_TABLE)
        current = int(await conn.fetchval("SELECT coalesce(max(version), 0) FROM schema_versions"))
        if current > latest:
            raise SchemaTooNew(
                f"{where} is at schema version {current} but this bot only knows up to "
                f"{latest}: it was written by a newer version of the bot; upgrade the bot"
            )
        for migration in migrations[current:]:
            log.info("applying migration %s", migration.name)
            await conn.execute(migration.sql)
            await conn.execute(
                "INSERT INTO schema_versions (version, name) VALUES ($1, $2)",
                migration.version,
                migration.name,
            )
    if current < latest:
        log.info("database schema migrated from version %d to %d", current, latest)
    return latest
