"""Autocomplete shared by several cogs, and Discord's limits on choices."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.ui.discord_limits import CHOICE_NAME_LIMIT, MAX_CHOICES
from bot.ui.text import truncate

if TYPE_CHECKING:
    from bot.client import StoryBot


async def story_autocomplete(
    interaction: discord.Interaction[StoryBot], current: str
) -> list[app_commands.Choice[str]]:
    """Stories whose title or id holds what was typed (at most 25)."""
    stories = interaction.client.library.search(current, limit=MAX_CHOICES)
    return [
        app_commands.Choice(
            name=truncate(story.title, CHOICE_NAME_LIMIT) or story.id, value=story.id
        )
        for story in stories[:MAX_CHOICES]
    ]
