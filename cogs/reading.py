"""Reading commands: /read, /goto, /restart, /progress, /info, /stories.

Logic is in ReadingService; every page passes the gate (`admit`: rating and warnings) first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.reading import check_place
from bot.ui.buttons import admit, restart_buttons, show_page
from bot.ui.cards import info_embed
from bot.ui.choices import chosen_story, story_autocomplete
from bot.ui.limits import reader_cooldown
from bot.ui.pages import progress_embed, stories_embed
from bot.ui.respond import NO_MENTIONS, in_time
from bot.ui.text import truncate

if TYPE_CHECKING:
    from bot.client import StoryBot

Interaction = discord.Interaction["StoryBot"]


class Reading(commands.Cog):
    """Read a story page by page; the bot remembers where each reader stopped."""

    def __init__(self, bot: StoryBot) -> None:
        self.bot = bot

    @app_commands.command(name="read", description="Read a story from where you stopped.")
    @app_commands.describe(
        story="The story to read (default: the one you read last)",
        public="Post the page for everyone in the channel (default: only you see it)",
    )
    @app_commands.autocomplete(story=story_autocomplete)
    @reader_cooldown()
    async def read(
        self, interaction: Interaction, story: str | None = None, public: bool = False
    ) -> None:
        chosen = await chosen_story(interaction, story)
        if not await admit(interaction, chosen):
            return
        view = await in_time(
            interaction,
            self.bot.reading.open_story(interaction.user.id, chosen),
            ephemeral=not public,
        )
        await show_page(interaction, view, public=public)

    @app_commands.command(
        name="goto", description="Jump to a scene (and page) of a story, or of one of its chapters."
    )
    @app_commands.describe(
        scene="Scene number, from 1 (counted within the chapter when you give one)",
        chapter="Chapter number, from 1 (default: count scenes through the whole story)",
        page="Page of that scene, from 1 (default 1)",
        story="The story (default: the one you read last)",
    )
    @app_commands.autocomplete(story=story_autocomplete)
    @reader_cooldown()
    async def goto(
        self,
        interaction: Interaction,
        scene: app_commands.Range[int, 1, 100_000],
        chapter: app_commands.Range[int, 1, 100_000] | None = None,
        page: app_commands.Range[int, 1, 100_000] = 1,
        story: str | None = None,
    ) -> None:
        reading = self.bot.reading
        user_id = interaction.user.id
        chosen = await chosen_story(interaction, story)
        place = check_place(chosen, scene, page, chapter)
        if not await admit(interaction, chosen, "go", *place):
            return
        view = await in_time(interaction, reading.goto(user_id, chosen.id, scene, page, chapter))
        await show_page(interaction, view, public=False)

    @app_commands.command(name="restart", description="Start a story again from the beginning.")
    @app_commands.describe(story="The story (default: the one you read last)")
    @app_commands.autocomplete(story=story_autocomplete)
    async def restart(self, interaction: Interaction, story: str | None = None) -> None:
        chosen = await chosen_story(interaction, story)
        title = discord.utils.escape_markdown(truncate(chosen.title, 200))
        text = f"Go back to the first page of **{title}**? Your current place will be lost."
        buttons = restart_buttons(chosen.id, interaction.user.id)
        if interaction.response.is_done():
            await interaction.edit_original_response(
                content=text, view=buttons, allowed_mentions=NO_MENTIONS
            )
        else:
            await interaction.response.send_message(
                text, view=buttons, ephemeral=True, allowed_mentions=NO_MENTIONS
            )

    @app_commands.command(name="progress", description="See how far you are in every story.")
    async def progress(self, interaction: Interaction) -> None:
        views = await in_time(interaction, self.bot.reading.progress(interaction.user.id))
        await self._send(interaction, progress_embed(views))

    @app_commands.command(name="info", description="See a story's details: author, rating, tags.")
    @app_commands.describe(story="The story (default: the one you read last)")
    @app_commands.autocomplete(story=story_autocomplete)
    @reader_cooldown()
    async def info(self, interaction: Interaction, story: str | None = None) -> None:
        chosen = await chosen_story(interaction, story)
        await self._send(interaction, info_embed(chosen))

    @app_commands.command(name="stories", description="List the stories you can read.")
    async def stories(self, interaction: Interaction) -> None:
        overview = await in_time(interaction, self.bot.reading.overview(interaction.user.id))
        await self._send(interaction, stories_embed(overview))

    @staticmethod
    async def _send(interaction: Interaction, embed: discord.Embed) -> None:
        if interaction.response.is_done():
            await interaction.edit_original_response(embed=embed, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(
                embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS
            )


async def setup(bot: StoryBot) -> None:
    await bot.add_cog(Reading(bot))
