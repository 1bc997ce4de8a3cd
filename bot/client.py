"""StoryBot: the discord.py client, built with its dependencies (settings, store, library)."""

from __future__ import annotations

import hashlib
import json
import logging
import pkgutil
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

import cogs
from bot.library.library import Library
from bot.services.reading import ReadingService
from bot.settings import Settings
from bot.storage.models import Storage
from bot.tree import StoryTree
from bot.ui.buttons import DYNAMIC_ITEMS
from bot.ui.late_watch import LateWatch
from bot.ui.limits import ReaderLimits
from bot.ui.respond import DEFER_AFTER

log = logging.getLogger(__name__)

COMMAND_HASH_KEY = "command_hash"


def discover_extensions() -> list[str]:
    """Every `cogs.*` module (not starting with `_`), so a new cog needs no edit here."""
    return sorted(
        f"{cogs.__name__}.{module.name}"
        for module in pkgutil.iter_modules(cogs.__path__)
        if not module.name.startswith("_")
    )


def command_hash(tree: app_commands.CommandTree[Any]) -> str:
    """A digest of the global command definitions, to sync only when they change."""
    definitions = [command.to_dict(tree) for command in tree.get_commands()]
    text = json.dumps(definitions, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def intents() -> discord.Intents:
    """No privileged intents: slash commands and buttons need only guilds."""
    chosen = discord.Intents.none()
    chosen.guilds = True
    return chosen


class StoryBot(commands.Bot):
    """Serves stories scene by scene. Needs no message content: all input is interactions."""

    def __init__(
        self,
        *,
        settings: Settings,
        store: Storage,
        library: Library,
        limits: ReaderLimits | None = None,
        extensions: list[str] | None = None,
        sync_commands: bool = True,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            tree_cls=StoryTree,
            allowed_mentions=discord.AllowedMentions.none(),
            owner_ids=set(settings.owner_ids) or None,
            help_command=None,
        )
        self.settings = settings
        self.store = store
        self.reading = ReadingService(store, library)
        self.limits = limits or ReaderLimits()
        self.late_work = LateWatch(DEFER_AFTER)  # defers interactions whose work runs late
        self.extensions_to_load = discover_extensions() if extensions is None else extensions
        self.sync_on_start = sync_commands

    @property
    def library(self) -> Library:
        return self.reading.library

    def set_library(self, library: Library) -> None:
        """Serve `library` from now on: every service reads it through `ReadingService`, and
        `library_reloaded` tells the cogs to drop what they derived from the old one (the
        quotes cache)."""
        self.reading.library = library
        self.dispatch("library_reloaded")

    async def setup_hook(self) -> None:
        self.add_dynamic_items(*DYNAMIC_ITEMS)
        for name in self.extensions_to_load:
            await self.load_extension(name)
        log.info(
            "loaded %d extensions: %s",
            len(self.extensions_to_load),
            ", ".join(self.extensions_to_load),
        )
        if self.sync_on_start:
            await self.sync_commands()

    async def sync_commands(self) -> None:
        """Sync to the dev guild at once; globally only when the definitions changed."""
        guild_id = self.settings.dev_guild_id
        if guild_id is not None:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to dev guild %s", len(synced), guild_id)
            return
        digest = command_hash(self.tree)
        if await self.store.get_meta(COMMAND_HASH_KEY) == digest:
            log.info("commands unchanged; not syncing")
            return
        synced = await self.tree.sync()
        await self.store.set_meta(COMMAND_HASH_KEY, digest)
        log.info("synced %d global commands", len(synced))

    async def on_ready(self) -> None:
        user = self.user
        log.info("ready as %s (%s) in %d guilds", user, user.id if user else "?", len(self.guilds))
