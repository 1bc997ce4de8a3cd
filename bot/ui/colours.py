"""The bot's embed colours."""

from __future__ import annotations

import discord

COLOUR = discord.Colour.from_rgb(0x8E, 0x6C, 0xC2)  # story pages and cards
END_COLOUR = discord.Colour.from_rgb(0x4F, 0xA3, 0x6B)  # the end of a story
ADULT_COLOUR = discord.Colour.from_rgb(0xC2, 0x4E, 0x4E)  # cards of Mature/Explicit stories
FAILED_COLOUR = discord.Colour.red()
