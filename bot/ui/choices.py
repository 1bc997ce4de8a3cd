"""Choosing a story: the autocomplete shared by several cogs, and the story a command means."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.library.model import Story
from bot.library.wording import truncate
from bot.ui.discord_limits import CHOICE_NAME_LIMIT, MAX_CHOICES
from bot.ui.respond import in_time

if TYPE_CHECKING:
    from bot.client import StoryBot


async def story_autocomplete(
    interaction: discord.Interaction[StoryBot], current: str
) -> list[app_commands.Choice[str]]:
    """Stories whose title or id holds what was typed (at most 25), told apart when two share
    a title."""
    library = interaction.client.services.library.current
    return [
        app_commands.Choice(
            name=truncate(library.name(story), CHOICE_NAME_LIMIT) or story.id, value=story.id
        )
        for story in library.search(current, limit=MAX_CHOICES)
    ]


async def chosen_story(interaction: discord.Interaction[StoryBot], story_id: str | None) -> Story:
    """The story a command means (its `story` option, else the only one, else the reader's
    last); the reader's history is looked up (in time, deferring if slow) only if needed."""
    reading = interaction.client.services.reading
    known = reading.known_story(story_id)
    if known is not None:
        return known
    return await in_time(interaction, reading.resolve(interaction.user.id, story_id))
