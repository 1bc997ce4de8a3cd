"""Reading commands: /read, /goto, /restart, /progress, /info, /stories.

The reading logic is in `ReadingService`; what a reader asked for is performed through the
gate (rating and warnings) by `bot.ui.buttons.perform`, which also owns the page buttons this
cog registers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.library.render import escape
from bot.library.wording import truncate
from bot.services.reading import check_place
from bot.ui.buttons import READING_BUTTONS, perform, restart_buttons
from bot.ui.cards import info_embed
from bot.ui.choices import chosen_story, story_autocomplete
from bot.ui.cooldowns import reader_cooldown
from bot.ui.pages import progress_embed, stories_embed
from bot.ui.respond import in_time, reply

if TYPE_CHECKING:
    from bot.client import StoryBot

Interaction = discord.Interaction["StoryBot"]


class Reading(commands.Cog):
    """Read a story page by page; the bot remembers where each reader stopped."""

    def __init__(self, bot: StoryBot) -> None:
        self.bot = bot
        self.services = bot.services

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*READING_BUTTONS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*READING_BUTTONS)

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
        await perform(interaction, chosen, "open", chosen.first_page, public=public)

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
        chosen = await chosen_story(interaction, story)
        await perform(interaction, chosen, "go", check_place(chosen, scene, page, chapter))

    @app_commands.command(name="restart", description="Start a story again from the beginning.")
    @app_commands.describe(story="The story (default: the one you read last)")
    @app_commands.autocomplete(story=story_autocomplete)
    async def restart(self, interaction: Interaction, story: str | None = None) -> None:
        chosen = await chosen_story(interaction, story)
        title = escape(truncate(chosen.title, 200))
        await reply(
            interaction,
            content=f"Go back to the first page of **{title}**? Your current place will be lost.",
            view=restart_buttons(chosen.id, interaction.user.id),
        )

    @app_commands.command(name="progress", description="See how far you are in every story.")
    async def progress(self, interaction: Interaction) -> None:
        views = await in_time(interaction, self.services.reading.progress(interaction.user.id))
        await reply(interaction, embed=progress_embed(views, self.services.library.current))

    @app_commands.command(name="info", description="See a story's details: author, rating, tags.")
    @app_commands.describe(story="The story (default: the one you read last)")
    @app_commands.autocomplete(story=story_autocomplete)
    @reader_cooldown()
    async def info(self, interaction: Interaction, story: str | None = None) -> None:
        chosen = await chosen_story(interaction, story)
        await reply(interaction, embed=info_embed(chosen))

    @app_commands.command(name="stories", description="List the stories you can read.")
    async def stories(self, interaction: Interaction) -> None:
        overview = await in_time(interaction, self.services.reading.overview(interaction.user.id))
        await reply(interaction, embed=stories_embed(overview, self.services.library.current))


async def setup(bot: StoryBot) -> None:
    await bot.add_cog(Reading(bot))
