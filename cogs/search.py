"""/search: find words in a story, within what the reader has read (see `bot.ui.search`).

Logic is in `SearchService`; the results, their buttons and the gate before them are in
`bot.ui.search`, whose buttons this cog registers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.search import Scope
from bot.ui.choices import chosen_story, story_autocomplete
from bot.ui.cooldowns import reader_cooldown
from bot.ui.search import SEARCH_BUTTONS, show_search

if TYPE_CHECKING:
    from bot.client import StoryBot

Interaction = discord.Interaction["StoryBot"]

MAX_QUERY_LENGTH = 500
SCOPES = [
    app_commands.Choice(name="What I have read (default)", value=Scope.READ.value),
    app_commands.Choice(
        name="The whole story (may show you what happens later)", value=Scope.ALL.value
    ),
]


class Search(commands.Cog):
    """Find words in a story without spoilers: only in what the reader has read, by default."""

    def __init__(self, bot: StoryBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*SEARCH_BUTTONS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*SEARCH_BUTTONS)

    @app_commands.command(
        name="search", description="Find words in a story, in what you have read (no spoilers)."
    )
    @app_commands.describe(
        query='Words to find (all of them): "a phrase", prefix*, -leave-out; case and accents '
        "don't matter",
        story="The story (default: the one you read last)",
        scope="What to search (default: what you have read; all of a story you haven't started)",
    )
    @app_commands.autocomplete(story=story_autocomplete)
    @app_commands.choices(scope=SCOPES)
    @reader_cooldown()
    async def search(
        self,
        interaction: Interaction,
        query: app_commands.Range[str, 1, MAX_QUERY_LENGTH],
        story: str | None = None,
        scope: app_commands.Choice[str] | None = None,
    ) -> None:
        chosen = await chosen_story(interaction, story)
        await show_search(interaction, chosen, query, Scope(scope.value) if scope else Scope.READ)


async def setup(bot: StoryBot) -> None:
    await bot.add_cog(Search(bot))
