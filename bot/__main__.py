"""`python -m bot [run]` starts the bot; `python -m bot texts|preview ...` run the tools."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Callable, Sequence

import aiohttp
import discord

from bot import db_cli, texts_cli
from bot import preview as preview_cli
from bot.client import StoryBot
from bot.library.errors import EmptyLibrary
from bot.library.loader import library_summary, load_library
from bot.lifecycle import run_until_signalled
from bot.logging_setup import setup_logging
from bot.services import build_services
from bot.settings import (
    PROJECT_DIR,
    TOKEN_HELP,
    Environment,
    Settings,
    SettingsError,
    database_url,
    read_environment,
    texts_dir,
)
from bot.storage.errors import StorageSetupError
from bot.storage.locations import SQLiteLocation
from bot.storage.url import open_storage, parse_database_url

log = logging.getLogger(__name__)

EXIT_SETUP = 2
EXIT_NETWORK = 1


def fail(message: str, status: int = EXIT_SETUP) -> int:
    """One line for the person running the bot; the exit status (2: fix the setup)."""
    print(f"storybot: {message}", file=sys.stderr)
    return status


async def serve(settings: Settings, environment: Environment) -> int:
    try:  # before anything logs, so that a bad folder is one line
        library, skipped = await asyncio.to_thread(load_library, settings.texts_dir)
    except EmptyLibrary as error:
        return fail(str(error))
    log.info("library: %s", library_summary(library, skipped))
    try:
        database = parse_database_url(settings.database_url, base=PROJECT_DIR)
        if isinstance(database, SQLiteLocation) and not settings.runs_every_shard:
            return fail(
                f"SHARD_IDS runs some of the {settings.shard_count} shards here, and the others "
                "elsewhere: processes that share one database need PostgreSQL (set "
                "DATABASE_URL=postgresql://...; see Running at scale in the README)."
            )
        store = await open_storage(settings.database_url, base=PROJECT_DIR)
    except StorageSetupError as error:
        return fail(str(error))
    log.info("%s; %s", environment.describe_env_file(), database.describe())
    bot = StoryBot(settings=settings, store=store, services=build_services(store, library))
    try:
        async with bot:
            if await run_until_signalled(bot.start(settings.token), bot.stop):
                log.info("stopped")
    except discord.LoginFailure:
        return fail(f"Discord refused the token. {TOKEN_HELP}")
    except discord.PrivilegedIntentsRequired:
        return fail("Discord refused the intents requested (this bot needs none).")
    except (aiohttp.ClientError, OSError) as error:
        reason = type(error).__name__
        return fail(f"could not reach Discord ({reason}); check the network.", EXIT_NETWORK)
    finally:
        await store.close()  # last: after the interactions in flight were answered
    return 0


def run(args: argparse.Namespace) -> int:
    environment = read_environment()
    try:
        settings = Settings.from_environment(environment)
    except SettingsError as error:
        return fail(str(error))
    setup_logging(settings.log_level, secrets=(settings.token,))
    return asyncio.run(serve(settings, environment))


def texts(argv: list[str]) -> int:
    try:
        return texts_cli.main(argv, texts_dir(read_environment()), sys.stdout)
    except BrokenPipeError:  # piped into `head` or a pager that quit: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def preview(argv: list[str]) -> int:
    return preview_cli.main(argv)


def db(argv: list[str]) -> int:
    """`python -m bot db …` on the database the bot would use (`DATABASE_URL`/`DATABASE_PATH`)."""
    setup_logging("WARNING")
    return db_cli.main(argv, database_url(read_environment()), PROJECT_DIR, sys.stdout)


# Tools that parse their own arguments: `python -m bot texts ...`, `python -m bot preview ...`.
TOOLS: dict[str, tuple[Callable[[list[str]], int], str]] = {
    "texts": (texts, "list the library as the bot sees it; `texts show STORY` pages one"),
    "preview": (preview, "run the bot in a local Discord-like page (no token needed)"),
    "db": (db, "`db check`, `db backup PATH`, `db copy postgresql://…`: the bot's database"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="storybot")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.add_parser("run", help="run the bot (the default)")
    for name, (_, help_text) in TOOLS.items():
        subparsers.add_parser(name, help=help_text, add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments and arguments[0] in TOOLS:
        handler, _ = TOOLS[arguments[0]]
        return handler(arguments[1:])
    args = build_parser().parse_args(arguments)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
