"""One error handler for every app command and button (modelled on Red's `RedTree.on_error`).

Each family of error becomes a short private message; the unexpected is logged with its
traceback and answered with an apology.
"""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.ui.discord_limits import CONTENT_LIMIT

if TYPE_CHECKING:
    from bot.client import StoryBot

log = logging.getLogger(__name__)

APOLOGY = (
    "Sorry, something went wrong on our side. It has been logged; please try again in a moment."
)


def retry_text(seconds: float) -> str:
    whole = max(1, math.ceil(seconds))
    return f"in {whole} second{'s' if whole != 1 else ''}"


def user_message(error: BaseException) -> str | None:
    """The message to show for an expected error, or None when `error` is a bug."""
    original = error
    if isinstance(original, app_commands.CommandInvokeError):
        original = original.original
    elif isinstance(original, app_commands.TransformerError) and original.__cause__:
        original = original.__cause__
    message = getattr(original, "user_message", None)
    if isinstance(message, str) and message:
        return message  # UserError, StorageError and anything else that says what to show
    if isinstance(original, app_commands.CommandOnCooldown):
        return f"You're going a little fast. Try again {retry_text(original.retry_after)}."
    if isinstance(original, app_commands.NoPrivateMessage):
        return "This command works only in a server."
    if isinstance(original, app_commands.MissingPermissions):
        return "You need these permissions: " + ", ".join(original.missing_permissions) + "."
    if isinstance(original, app_commands.BotMissingPermissions):
        return "I need these permissions here: " + ", ".join(original.missing_permissions) + "."
    if isinstance(original, app_commands.MissingRole | app_commands.MissingAnyRole):
        return "You don't have the role this command needs."
    if isinstance(original, app_commands.CheckFailure):
        return "You can't use this command here."
    if isinstance(original, app_commands.CommandNotFound):
        return "That command is gone or changed; it may take a minute to update in your app."
    return None


async def send_private(interaction: discord.Interaction[StoryBot], text: str) -> None:
    """Answer privately, as a first response or as a follow-up when one was already sent."""
    text = text[:CONTENT_LIMIT]
    mentions = discord.AllowedMentions.none()
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=mentions)
        else:
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=mentions)
    except discord.HTTPException:
        log.warning("could not send an error message for interaction %s", interaction.id)


async def report_error(interaction: discord.Interaction[StoryBot], error: BaseException) -> None:
    """Tell the user what went wrong; log the unexpected with its traceback."""
    message = user_message(error)
    if message is None:
        original = getattr(error, "original", error)
        command = interaction.command.qualified_name if interaction.command else None
        custom_id = interaction.data.get("custom_id") if interaction.data else None
        log.error(
            "unexpected error in %s (user %s)",
            f"/{command}" if command else f"component {custom_id!r}",
            interaction.user.id,
            exc_info=original,
        )
        message = APOLOGY
    await send_private(interaction, message)


class StoryTree(app_commands.CommandTree["StoryBot"]):
    """The command tree of StoryBot: every command error goes through `report_error`."""

    async def on_error(
        self, interaction: discord.Interaction[StoryBot], error: app_commands.AppCommandError, /
    ) -> None:
        await report_error(interaction, error)
