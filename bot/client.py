"""StoryBot: the discord.py client, built with its dependencies (settings, store, services)."""

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
from bot.lifecycle import DRAIN_SECONDS, InFlight
from bot.services import Services
from bot.settings import Settings
from bot.storage.interface import Storage
from bot.tree import StoryTree
from bot.ui.cooldowns import Cooldowns
from bot.ui.late_watch import LateWatch
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


def shard_options(settings: Settings) -> dict[str, Any]:
    """The shard count and this process's slice, when the settings name them."""
    options: dict[str, Any] = {}
    if settings.shard_count is not None:
        options["shard_count"] = settings.shard_count
    if settings.shard_ids is not None:
        options["shard_ids"] = list(settings.shard_ids)
    return options


def intents() -> discord.Intents:
    """No privileged intents: slash commands and buttons need only guilds."""
    chosen = discord.Intents.none()
    chosen.guilds = True
    return chosen


class StoryBot(commands.AutoShardedBot):
    """Serves stories scene by scene. Needs no message content: all input is interactions.

    Sharded as the settings say (`SHARD_COUNT`, `SHARD_IDS`): this process runs its slice of
    the shards; without them, Discord's recommended count, all here. Only the process holding
    shard 0 syncs the commands.
    """

    def __init__(
        self,
        *,
        settings: Settings,
        store: Storage,
        services: Services,
        cooldowns: Cooldowns | None = None,
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
            **shard_options(settings),
        )
        self.settings = settings
        self.store = store
        self.services = services
        self.cooldowns = cooldowns or Cooldowns()
        self.extensions_to_load = discover_extensions() if extensions is None else extensions
        self.sync_on_start = sync_commands
        self.in_flight = InFlight()
        self.late_work = LateWatch(DEFER_AFTER)  # defers interactions whose work runs late

    async def setup_hook(self) -> None:
        for name in self.extensions_to_load:
            await self.load_extension(name)
        log.info(
            "loaded %d extensions: %s",
            len(self.extensions_to_load),
            ", ".join(self.extensions_to_load),
        )
        # Before the gateway connects, so that no reader opens a place not yet reconciled.
        await self.services.places.reconcile(self.services.library.current)
        self.services.quotes.start_indexing()  # so the first /quote need not wait for it
        self.services.search.start_sync()  # changed texts indexed; a search waits for it
        if self.sync_on_start and self.settings.syncs_commands:
            await self.sync_commands()

    async def sync_commands(self, *, force: bool = False) -> tuple[int, str]:
        """Sync to the dev guild at once; globally only when the definitions changed (or
        `force`). Returns how many commands were synced, and where."""
        guild_id = self.settings.dev_guild_id
        if guild_id is not None:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to dev guild %s", len(synced), guild_id)
            return len(synced), f"to the dev guild {guild_id} (they show at once there)"
        digest = command_hash(self.tree)
        if not force and await self.store.get_meta(COMMAND_HASH_KEY) == digest:
            log.info("commands unchanged; not syncing")
            return 0, "nowhere (unchanged)"
        synced = await self.tree.sync()
        await self.store.set_meta(COMMAND_HASH_KEY, digest)
        log.info("synced %d global commands", len(synced))
        return len(synced), "globally (Discord apps may take a minute to show changes)"

    async def stop(self, timeout: float = DRAIN_SECONDS) -> None:  # noqa: ASYNC109
        """An orderly stop: take no new interactions, let those in flight finish (for
        `timeout` seconds at most), then close."""
        unfinished = await self.in_flight.drain(timeout)
        if unfinished:
            log.warning("stopping with %d interactions still unfinished", unfinished)
        await self.close()

    async def close(self) -> None:
        await super().close()
        await self.services.close()

    async def on_ready(self) -> None:
        user = self.user
        log.info("ready as %s (%s) in %d guilds", user, user.id if user else "?", len(self.guilds))
