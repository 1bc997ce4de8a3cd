"""`python -m bot preview`: the real bot in a local, Discord-like page — no token, no Discord.

The same `StoryBot` (cogs, texts, settings, SQLite store) runs inside SimCord, the in-process
Discord simulator the tests use. A server with a reading channel is created, the visitor joins it
as a reader, and SimCord's Preview serves the channel on 127.0.0.1: slash commands typed there and
buttons pressed there reach the bot exactly as Discord's would. What the visitor reads is saved in
the bot's own database (DATABASE_PATH, or `--database`), so the next preview resumes there.

The preview needs the optional `preview` extra (`pip install -e ".[preview]"`); without it this
module still imports, and `main` says in one line how to install it.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import importlib.util
import logging
import os
import sys
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from bot.client import StoryBot
from bot.library.errors import EmptyLibrary
from bot.library.library import Library
from bot.library.loader import library_summary, load_library
from bot.lifecycle import run_until_signalled
from bot.logging_setup import NO_VOICE, setup_logging
from bot.services import build_services
from bot.settings import PROJECT_DIR, Settings, SettingsError, sqlite_url
from bot.storage.errors import StorageSetupError
from bot.storage.url import open_storage

if TYPE_CHECKING:
    import simcord
    from simcord.preview import Preview

log = logging.getLogger(__name__)

EXIT_SETUP = 2
INSTALL_HINT = 'pip install -e ".[preview]"'
# simcord itself, and what its Preview imports when it starts (aiohttp serves the page,
# markdown-it/linkify-it/regex render message text, Pillow reads images).
PREVIEW_MODULES = ("simcord", "aiohttp", "markdown_it", "linkify_it", "regex", "PIL")

# Shaped like a bot token so that `Settings` accepts it; the preview never logs in anywhere.
PLACEHOLDER_TOKEN = "cHJldmlldy1ub3QtYS1yZWFsLXRva2Vu.preview.never-sent-to-discord-anywhere"

BOT_NAME = "storybot"
GUILD_NAME = "storybot preview"
CHANNEL_NAME = "reading"
CHANNEL_TOPIC = "Type /read to start reading; /stories lists the stories."
VISITOR_NAME = "visitor"
VISITOR_DISPLAY_NAME = "Visitor"
PAGE_WIDTH = 1100
PAGE_HEIGHT = 800
CLOCK_TICK = 0.5  # seconds between moves of the simulated clock to follow the wall clock


# Warnings that concern a bot on Discord, not a visitor of the preview: voice, and SimCord's
# gateway not modelling the guilds intent the way Discord does.
PREVIEW_NOISE = (*NO_VOICE, "Guilds intent seems to be disabled")


def missing_modules() -> list[str]:
    """The modules of the preview extra that are not installed (empty when it is)."""
    return [name for name in PREVIEW_MODULES if importlib.util.find_spec(name) is None]


def preview_settings(
    database: Path | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """The bot's settings (environment over `.env`), without needing a token.

    `Settings` requires a well-formed DISCORD_TOKEN, so a placeholder stands in for it: it is
    never sent anywhere (SimCord's login is simulated), and it replaces any real token, which
    the preview therefore never holds.
    """
    values = dict(os.environ if environ is None else environ)
    values["DISCORD_TOKEN"] = PLACEHOLDER_TOKEN
    settings = Settings.from_env(values)
    if database is not None:  # a command-line path: relative to the current folder
        settings = dataclasses.replace(settings, database_url=sqlite_url(database.expanduser()))
    # One simulated server: one shard, whatever the bot's own shard settings say.
    return dataclasses.replace(settings, shard_count=1, shard_ids=None)


class PreviewBot(StoryBot):
    """StoryBot as it is, except that it registers its commands with SimCord on every start.

    The real `sync_commands` skips syncing when the stored command hash matches, and stores the
    hash after a sync. Here the simulated server always needs the commands, and the hash must
    not be stored: the real bot would then believe Discord has commands it never received.
    """

    async def sync_commands(self, *, force: bool = False) -> tuple[int, str]:
        synced = await self.tree.sync()
        log.info("registered %d commands in the preview", len(synced))
        return len(synced), "in the preview"


@dataclass(frozen=True, slots=True)
class PreviewSession:
    """A running preview: the bot in SimCord, its server, the visitor and the page."""

    env: simcord.Env
    bot: StoryBot
    channel: simcord.ChannelHandle
    visitor: simcord.MemberActor
    preview: Preview

    @property
    def url(self) -> str:
        """The page's address; its #fragment is the key that lets a browser drive the session."""
        return self.preview.url


async def follow_wall_clock(env: simcord.Env, tick: float = CLOCK_TICK) -> None:
    """Move SimCord's clock along with real time, until cancelled.

    SimCord's clock (which the bot reads through `time.monotonic` and message timestamps) only
    moves when told to. Left still, a visitor who turned five pages would be told to slow down
    for ever, since the per-reader limits count hits within ten seconds of that clock. The clock
    moves between operations only, never during one: a press being handled sees a still clock,
    as it does in the tests.
    """
    loop = asyncio.get_running_loop()
    last = loop.time()
    while True:
        await asyncio.sleep(tick)
        now = loop.time()
        if env._operation_task is None and not env._advancing:  # no public flag for this
            env.backend.advance_clock(now - last)
            last = now


@asynccontextmanager
async def open_preview(
    settings: Settings,
    *,
    port: int = 0,
    library: Library | None = None,
    width: int = PAGE_WIDTH,
    height: int = PAGE_HEIGHT,
    layout: Literal["channel", "message"] = "channel",
    clock_tick: float = CLOCK_TICK,
) -> AsyncIterator[PreviewSession]:
    """Start the bot in SimCord and serve its Preview page on 127.0.0.1:`port` (0: a free one).

    `layout="channel"` shows the channel with a message box to type commands in; "message"
    shows only the message in focus (`session.preview.show(...)`), as screenshots want.

    Everything is closed on exit, the store last. Raises `simcord.SetupError` when the page
    cannot be served (the port is taken) and `EmptyLibrary` when there is nothing to read.
    """
    import simcord  # noqa: PLC0415 - the optional extra: imported only once it is known present

    if library is None:
        loaded, skipped = await asyncio.to_thread(load_library, settings.texts_dir)
        log.info("library: %s", library_summary(loaded, skipped))
        library = loaded
    store = await open_storage(settings.database_url, base=PROJECT_DIR)
    try:
        bot = PreviewBot(settings=settings, store=store, services=build_services(store, library))
        # Errors the bot handles are shown to the visitor as on Discord; no test checks them.
        env = simcord.Env(bot, check_errors=False)
        env.backend.edit_bot_profile(BOT_NAME)  # SimCord's default name is "TestBot"
        await env.start()
        try:
            # Created in the same order on every start, from SimCord's fixed epoch, so the
            # visitor has the same user id every time and finds their place again.
            guild = env.create_guild(GUILD_NAME)
            channel = guild.create_text_channel(CHANNEL_NAME, topic=CHANNEL_TOPIC)
            visitor = guild.add_member(
                env.create_user(VISITOR_NAME, global_name=VISITOR_DISPLAY_NAME)
            )
            async with env.preview(
                channel,
                viewers=[visitor],
                layout=layout,
                width=width,
                height=height,
                port=port,
            ) as preview:
                clock = asyncio.create_task(follow_wall_clock(env, clock_tick))
                try:
                    yield PreviewSession(env, bot, channel, visitor, preview)
                finally:
                    clock.cancel()
                    await asyncio.gather(clock, return_exceptions=True)
        finally:
            await env.shutdown()
            await bot.close()
    finally:
        await store.close()


async def serve(settings: Settings, port: int) -> int:
    """Run the preview until Ctrl+C (or the page's End session), then close everything."""
    import simcord  # noqa: PLC0415 - the optional extra: imported only once it is known present

    try:  # before anything else, so that a bad texts folder is one line
        library, skipped = await asyncio.to_thread(load_library, settings.texts_dir)
    except EmptyLibrary as error:
        return fail(str(error))
    log.info("library: %s", library_summary(library, skipped))
    try:
        async with open_preview(settings, port=port, library=library) as session:
            print(f"storybot preview: open {session.url}", flush=True)
            print(
                f"Reading as {VISITOR_DISPLAY_NAME} in #{CHANNEL_NAME}; progress is saved in "
                f"{settings.database_url}. Press Ctrl+C to stop.",
                flush=True,
            )

            async def stop() -> None:
                await session.bot.in_flight.drain()
                await session.preview.close()

            await run_until_signalled(session.preview.wait_closed(), stop)
    except simcord.SetupError as error:
        return fail(f"the preview could not start: {error}")
    except StorageSetupError as error:
        return fail(str(error))
    log.info("preview stopped")
    return 0


def fail(message: str) -> int:
    """One line for the person running the preview, exit status 2."""
    print(f"storybot: {message}", file=sys.stderr)
    return EXIT_SETUP


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot preview",
        description="Run the bot in a local, Discord-like page (no token, no Discord).",
    )
    parser.add_argument(
        "--port", type=int, default=0, help="port on 127.0.0.1 to serve on (default: a free one)"
    )
    parser.add_argument(
        "--database",
        type=Path,
        default=None,
        metavar="PATH",
        help="SQLite file to keep reading progress in (default: the bot's DATABASE_PATH)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m bot preview [--port N] [--database PATH]`; returns the exit status."""
    args = build_parser().parse_args(argv)
    if not 0 <= args.port <= 65535:
        return fail(f"--port must be between 0 and 65535, not {args.port}.")
    missing = missing_modules()
    if missing:
        return fail(f"the preview needs {', '.join(missing)}; install it with: {INSTALL_HINT}")
    try:
        settings = preview_settings(args.database)
    except SettingsError as error:
        return fail(str(error))
    setup_logging(settings.log_level, noise=PREVIEW_NOISE)
    return asyncio.run(serve(settings, args.port))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
