"""Answer interactions in time: run the work, and defer only if it is slow."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, TypeVar

import discord

if TYPE_CHECKING:
    from bot.client import StoryBot

T = TypeVar("T")

log = logging.getLogger(__name__)

# Discord wants a first response within 3 s; past this, defer and finish afterwards.
DEFER_AFTER = 1.5
NO_MENTIONS = discord.AllowedMentions.none()


async def in_time(
    interaction: discord.Interaction[StoryBot],
    work: Awaitable[T],
    *,
    edit: bool = False,
    ephemeral: bool = True,
) -> T:
    """Await `work`; if it takes longer than `DEFER_AFTER`, defer the interaction meanwhile.

    The bot's `LateWatch` (one timer for every interaction in flight) guards the usual fast
    case; only a slow one pays for the defer, which is complete before this returns, so the
    caller then edits.
    """
    deferring: asyncio.Task[None] | None = None

    def on_late() -> None:
        nonlocal deferring
        if not interaction.response.is_done():
            deferring = asyncio.create_task(_defer(interaction, edit=edit, ephemeral=ephemeral))

    late_work = interaction.client.late_work
    token = late_work.watch(on_late)
    try:
        return await work
    finally:
        late_work.forget(token)
        if deferring is not None:
            await deferring


async def _defer(
    interaction: discord.Interaction[StoryBot], *, edit: bool, ephemeral: bool
) -> None:
    try:
        if edit:
            await interaction.response.defer()
        else:
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    except discord.HTTPException:
        log.warning("could not defer interaction %s", interaction.id, exc_info=True)


async def show(
    interaction: discord.Interaction[StoryBot],
    *,
    embed: discord.Embed,
    view: discord.ui.View | None,
    content: str | None = None,
    edit: bool = False,
    ephemeral: bool = True,
) -> None:
    """Send (or, for a button, edit in place) one message, whether or not it was deferred."""
    kwargs: dict[str, Any] = {"content": content, "embed": embed, "allowed_mentions": NO_MENTIONS}
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.edit_original_response(**kwargs)
    elif edit:
        await interaction.response.edit_message(**kwargs)
    else:
        await interaction.response.send_message(ephemeral=ephemeral, **kwargs)
