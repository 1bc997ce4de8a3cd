"""Errors as readers see them: one short private message per family of error (modelled on
Red's `RedTree.on_error`); the unexpected is logged with its traceback and met with an apology.

`StoryTree.on_error` (commands) and `StoryButton` (buttons) both end here.
"""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.library.wording import plural, truncate
from bot.ui.discord_limits import CONTENT_LIMIT
from bot.ui.permissions import permission_list
from bot.ui.respond import reply

if TYPE_CHECKING:
    from bot.client import StoryBot

log = logging.getLogger(__name__)

APOLOGY = (
    "Sorry, something went wrong on our side. It has been logged; please try again in a moment."
)
RESTARTING = "I'm restarting right now; please try again in a few seconds."


def retry_text(seconds: float) -> str:
    """`in 3 seconds`: a whole number of seconds after which trying again works (a cooldown
    lets the next action in only once more than `seconds` have passed)."""
    return f"in {plural(math.floor(max(seconds, 0)) + 1, 'second')}"


def slow_down(retry_after: float, doing: str = "going") -> str:
    """`You're turning pages a little fast. Try again in 3 seconds.`"""
    return f"You're {doing} a little fast. Try again {retry_text(retry_after)}."


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
        return slow_down(original.retry_after)
    if isinstance(original, app_commands.NoPrivateMessage):
        return "This command works only in a server."
    if isinstance(original, app_commands.MissingPermissions):
        return f"You need these permissions: {permission_list(original.missing_permissions)}."
    if isinstance(original, app_commands.BotMissingPermissions):
        return f"I need these permissions here: {permission_list(original.missing_permissions)}."
    if isinstance(original, app_commands.MissingRole | app_commands.MissingAnyRole):
        return "You don't have the role this command needs."
    if isinstance(original, app_commands.CheckFailure):
        return "You can't use this command here."
    if isinstance(original, app_commands.CommandNotFound):
        return "That command is gone or changed; it may take a minute to update in your app."
    return None


async def report_error(interaction: discord.Interaction[StoryBot], error: BaseException) -> None:
    """Tell the user what went wrong, privately; log the unexpected with its traceback."""
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
    try:
        await reply(interaction, content=truncate(message, CONTENT_LIMIT), followup=True)
    except discord.HTTPException:
        log.warning("could not send an error message for interaction %s", interaction.id)


async def refuse_while_stopping(interaction: discord.Interaction[StoryBot]) -> bool:
    """Let an interaction in (and count it as in flight), unless the bot is stopping: then
    the reader is told to try again shortly (an autocomplete simply gets no suggestions)."""
    if interaction.client.in_flight.enter():
        return True
    if interaction.type is not discord.InteractionType.autocomplete:
        try:
            await reply(interaction, content=RESTARTING, followup=True)
        except discord.HTTPException:
            log.debug("could not answer interaction %s while stopping", interaction.id)
    return False
