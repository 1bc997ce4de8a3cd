"""The bot's command tree: every app-command error goes through `bot.ui.errors.report_error`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.ui.errors import refuse_while_stopping, report_error

if TYPE_CHECKING:
    from bot.client import StoryBot


class StoryTree(app_commands.CommandTree["StoryBot"]):
    """The command tree of StoryBot (modelled on Red's `RedTree`)."""

    async def interaction_check(self, interaction: discord.Interaction[StoryBot], /) -> bool:
        return await refuse_while_stopping(interaction)

    async def on_error(
        self, interaction: discord.Interaction[StoryBot], error: app_commands.AppCommandError, /
    ) -> None:
        await report_error(interaction, error)
