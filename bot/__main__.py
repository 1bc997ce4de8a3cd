"""`python -m bot [run]`: start the bot. Other subcommands register in `SUBCOMMANDS`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Sequence

import discord

from bot.client import StoryBot
from bot.library.errors import EmptyLibrary
from bot.library.loader import load_library
from bot.logging_setup import setup_logging
from bot.settings import TOKEN_HELP, Settings, SettingsError
from bot.storage.store import ReadingStore

log = logging.getLogger(__name__)

EXIT_SETUP = 2

Handler = Callable[[argparse.Namespace], int]


def fail(message: str) -> int:
    """One line for the person running the bot, exit status 2."""
    print(f"storybot: {message}", file=sys.stderr)
    return EXIT_SETUP


async def serve(settings: Settings) -> int:
    try:  # before anything logs, so that a bad folder is one line
        library, skipped = await asyncio.to_thread(load_library, settings.texts_dir)
    except EmptyLibrary as error:
        return fail(str(error))
    log.info("library: %d stories (%d files skipped)", len(library), len(skipped))
    async with (
        await ReadingStore.open(settings.database_path) as store,
        StoryBot(settings=settings, store=store, library=library) as bot,
    ):
        try:
            await bot.start(settings.token)
        except discord.LoginFailure:
            return fail(f"Discord refused the token. {TOKEN_HELP}")
        except discord.PrivilegedIntentsRequired:
            return fail("Discord refused the intents requested (this bot needs none).")
    return 0


def run(args: argparse.Namespace) -> int:
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        return fail(str(error))
    setup_logging(settings.log_level, secrets=(settings.token,))
    try:
        return asyncio.run(serve(settings))
    except KeyboardInterrupt:
        log.info("stopped")
        return 0


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Handler]]:
    parser = argparse.ArgumentParser(prog="python -m bot", description="storybot")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    handlers: dict[str, Handler] = {}
    subparsers.add_parser("run", help="run the bot (the default)")
    handlers["run"] = run
    return parser, handlers


def main(argv: Sequence[str] | None = None) -> int:
    parser, handlers = build_parser()
    args = parser.parse_args(argv)
    return handlers[args.command or "run"](args)


if __name__ == "__main__":
    sys.exit(main())
