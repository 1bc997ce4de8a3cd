"""The gate before a story's pages: what `may_serve` says here, and the prompts' texts.

`bot.ui.buttons.admit` (beside the page buttons it leads to) asks these and shows the prompts.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

import discord

from bot.library.model import Story
from bot.library.render import escape
from bot.services.access import (
    ADULT_FLAG,
    Access,
    is_adult,
    may_serve,
    warning_note,
    warnings_to_show,
)
from bot.ui.discord_limits import CONTENT_LIMIT
from bot.ui.text import truncate

if TYPE_CHECKING:
    from bot.client import StoryBot

log = logging.getLogger(__name__)

# What the reader was doing: open their saved place, go to a place (it becomes their place),
# or peek at a place (a quote's scene: their place does not move).
Mode = Literal["open", "go", "peek"]
Step = Literal["age", "warn", "stop"]

WARNING_LIMIT = 200  # per warning, before escaping
CONFIRM_LABEL = "I am 18 or older — show it"
CONTINUE_LABEL = "Continue"
CANCEL_LABEL = "Cancel"


def channel_is_nsfw(interaction: discord.Interaction[StoryBot]) -> bool:
    """Age-restricted channel? A thread answers for its parent (discord.py's `Thread.is_nsfw`)."""
    is_nsfw = getattr(interaction.channel, "is_nsfw", None)
    return bool(is_nsfw()) if callable(is_nsfw) else False


def in_dm(interaction: discord.Interaction[StoryBot]) -> bool:
    """A DM with the bot (a group DM is not private: it does not count)."""
    return interaction.guild_id is None and not isinstance(
        interaction.channel, discord.GroupChannel
    )


async def access_here(interaction: discord.Interaction[StoryBot], story: Story) -> Access:
    """`may_serve` for this interaction's channel and reader (the flag is read only if needed)."""
    dm = in_dm(interaction)
    confirmed = False
    if dm and is_adult(story):
        flag = await interaction.client.store.get_flag(interaction.user.id, ADULT_FLAG)
        confirmed = flag is not None
    return may_serve(
        story, channel_is_nsfw=channel_is_nsfw(interaction), in_dm=dm, adult_confirmed=confirmed
    )


def warnings_text(story: Story) -> str:
    """The "Before you start" message: warnings as spoilers, escaped, within a message."""
    title = escape(truncate(story.title, 200))
    lines = [f"**Before you start “{title}”**", "The author gives these warnings:"]
    for warning in warnings_to_show(story)[:20]:
        lines.append(f"• ||{escape(truncate(warning, WARNING_LIMIT))}||")
    note = warning_note(story)
    if note:
        lines.append(note)
    lines.append("You'll see this once for this story.")
    return truncate("\n".join(lines), CONTENT_LIMIT)


def age_text(story: Story) -> str:
    title = escape(truncate(story.title, 200))
    rating = escape(truncate((story.metadata.rating or "").strip(), 40))
    return (
        f"“{title}” is rated **{rating}**: it is for adults only. "
        "Confirm you are 18 or older to read it here in our DM (asked only once)."
    )
