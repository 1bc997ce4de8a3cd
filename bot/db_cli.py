"""`python -m bot db copy|check|backup`: move, inspect and back up the bot's database.

    db copy postgresql://user:password@host:5432/dbname   SQLite -> an empty PostgreSQL
    db check                                            backend, version, rows, integrity
    db backup PATH                                      an online copy of the SQLite file

Exit status: 0 done, 1 refused or problems found (nothing was changed), 2 a database that
cannot be used or a command line that cannot be read.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from pathlib import Path
from typing import TextIO

from bot.storage.backup import BackupRefused, backup_sqlite
from bot.storage.copy_to_postgres import CopyRefused, copy_to_postgres
from bot.storage.errors import StorageSetupError
from bot.storage.health import check
from bot.storage.locations import PostgresLocation, SQLiteLocation
from bot.storage.url import parse_database_url

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_SETUP = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot db", description="Move, inspect and back up the bot's database."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    copy = commands.add_parser(
        "copy", help="copy every row of the SQLite database into an empty PostgreSQL database"
    )
    copy.add_argument("target", help="postgresql://user:password@host:5432/dbname")
    commands.add_parser("check", help="backend, schema version, rows per table and integrity")
    backup = commands.add_parser("backup", help="an online copy of the SQLite database")
    backup.add_argument("path", type=Path, help="the new file (relative to where you are)")
    return parser


def main(argv: list[str], database_url: str, base: Path, out: TextIO) -> int:
    """Run one command on the database `database_url` names (relative paths under `base`)."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as stop:  # --help, or a command line argparse refused (and said why)
        return EXIT_OK if stop.code in (0, None) else EXIT_SETUP
    try:
        location = parse_database_url(database_url, base=base)
        if args.command == "check":
            health = asyncio.run(check(location))
            out.write("\n".join(health.lines()) + "\n")
            return EXIT_REFUSED if health.problems else EXIT_OK
        if not isinstance(location, SQLiteLocation):
            out.write(
                f"db {args.command} works from the SQLite database, and DATABASE_URL names "
                f"{location.describe()}\n"
            )
            return EXIT_SETUP
        if args.command == "copy":
            return _copy(location, args.target, base, out)
        pages = backup_sqlite(location.path, args.path)
        out.write(f"backed up {location.path} to {args.path} ({pages} pages; integrity ok)\n")
        return EXIT_OK
    except StorageSetupError as error:
        out.write(f"{error}\n")
        return EXIT_SETUP
    except (CopyRefused, BackupRefused) as error:
        out.write(f"nothing was changed: {error}\n")
        return EXIT_REFUSED


def _copy(source: SQLiteLocation, target_url: str, base: Path, out: TextIO) -> int:
    target = parse_database_url(target_url, base=base)
    if not isinstance(target, PostgresLocation):
        out.write("db copy copies into PostgreSQL: give a postgresql:// URL\n")
        return EXIT_SETUP
    copied = asyncio.run(copy_to_postgres(source.path, target))
    out.write(f"copied {source.path} to {target.describe()} in one transaction:\n")
    out.writelines(f"  {table}: {count} rows\n" for table, count in copied.items())
    out.write(
        f"counts checked. To run the bot on it, set DATABASE_URL={target.redacted_url} "
        "(with its password)\n"
    )
    return EXIT_OK
