"""Owner commands: /admin reload (re-read the texts) and /admin sync (publish the commands).

The real gate is `owner_only` (OWNER_IDS, or the application's owner); `default_permissions`
only hides the group from non-administrators in servers. Logic is in AdminService.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.library.errors import EmptyLibrary
from bot.library.wording import plural, truncate
from bot.services.admin import ReloadReport
from bot.ui.colours import END_COLOUR, FAILED_COLOUR
from bot.ui.discord_limits import DESCRIPTION_LIMIT, FIELD_VALUE_LIMIT
from bot.ui.respond import reply

if TYPE_CHECKING:
    from bot.client import StoryBot

log = logging.getLogger(__name__)

Interaction = discord.Interaction["StoryBot"]
T = TypeVar("T")


class NotOwner(app_commands.CheckFailure):
    user_message = "Only the bot's owner can use this command."


async def is_owner(interaction: Interaction) -> bool:
    bot = interaction.client
    user = interaction.user
    return user.id in bot.settings.owner_ids or await bot.is_owner(user)


def owner_only() -> Callable[[T], T]:
    """A check: the user is in OWNER_IDS or owns the application; else `NotOwner`."""

    async def predicate(interaction: Interaction) -> bool:
        if not await is_owner(interaction):
            log.info("refused /%s to non-owner %s", interaction.command, interaction.user.id)
            raise NotOwner()
        return True

    return app_commands.check(predicate)


def listing(lines: Sequence[str], limit: int = FIELD_VALUE_LIMIT) -> str:
    """Bulleted lines within one field value; the rest counted."""
    out: list[str] = []
    for index, line in enumerate(lines):
        more = f"…and {len(lines) - index} more"
        candidate = "\n".join([*out, f"• {truncate(line, 300)}"])
        if len(candidate) + len(more) + 1 > limit:
            return "\n".join([*out, more])
        out.append(f"• {truncate(line, 300)}")
    return "\n".join(out)


def reload_embed(report: ReloadReport) -> discord.Embed:
    nothing = not (report.added or report.removed or report.changed)
    embed = discord.Embed(
        title="Texts reloaded",
        colour=END_COLOUR,
        description=(
            f"Now serving {plural(report.stories, 'story')}"
            + (" — nothing changed." if nothing else f" ({report.unchanged} unchanged).")
        ),
    )
    sections = (
        ("Added", [change.describe() for change in report.added]),
        ("Removed", [change.describe() for change in report.removed]),
        ("Changed", [change.describe() for change in report.changed]),
        ("Skipped files", [f"{skip.name}: {skip.reason}" for skip in report.skipped]),
    )
    for name, lines in sections:
        if lines:
            embed.add_field(name=f"{name} ({len(lines)})", value=listing(lines), inline=False)
    if report.readers_moved:
        embed.add_field(
            name="Readers moved",
            value=(
                f"{plural(report.readers_moved, 'reader')} whose page is gone moved to the "
                "nearest page; they are told on their next /read."
            ),
            inline=False,
        )
    return embed


class Admin(commands.Cog):
    """Commands for the bot's owner."""

    admin = app_commands.Group(
        name="admin",
        description="Owner commands: reload texts, sync commands.",
        default_permissions=discord.Permissions(administrator=True),
    )

    def __init__(self, bot: StoryBot) -> None:
        self.bot = bot
        self.service = bot.services.admin

    @admin.command(name="reload", description="Re-read the texts folder without a restart.")
    @owner_only()
    async def reload(self, interaction: Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        texts_dir = self.bot.settings.texts_dir
        try:
            report = await self.service.reload(texts_dir)
        except EmptyLibrary as error:
            log.warning("reload from %s failed: %s", texts_dir, error)
            kept = plural(len(self.bot.services.library.current), "story")
            description = f"{error}\n\nStill serving the {kept} loaded before."
            embed = discord.Embed(
                title="Reload failed: nothing changed",
                colour=FAILED_COLOUR,
                description=truncate(description, DESCRIPTION_LIMIT),
            )
            await reply(interaction, embed=embed)
            return
        await reply(interaction, embed=reload_embed(report))

    @admin.command(name="sync", description="Publish the slash commands to Discord now.")
    @owner_only()
    async def sync(self, interaction: Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        synced, where = await self.bot.sync_commands(force=True)
        log.info("owner %s synced %d commands %s", interaction.user.id, synced, where)
        await reply(interaction, content=f"Synced {plural(synced, 'command')} {where}.")


async def setup(bot: StoryBot) -> None:
    await bot.add_cog(Admin(bot))
