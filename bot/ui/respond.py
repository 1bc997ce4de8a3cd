"""Answering interactions: in time (deferring only slow work) and in one way (`reply`).

`reply` knows how far an interaction has got — not answered yet, deferred, or answered — and
does the one right thing for each: send (or update the clicked message), edit the deferred
answer, or follow up. Everything it sends pings nobody unless told otherwise, and an answer
that comes too late (the token lives 15 minutes) is one warning in the log, not a traceback.
"""

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
_DEFERRED = frozenset(
    {
        discord.InteractionResponseType.deferred_channel_message,
        discord.InteractionResponseType.deferred_message_update,
    }
)
# "Unknown interaction", "Unknown webhook" and "Invalid webhook token": the interaction's
# token has expired (it serves edits and follow-ups for 15 minutes).
_EXPIRED_CODES = frozenset({10062, 10015, 50027})


async def in_time(
    interaction: discord.Interaction[StoryBot],
    work: Awaitable[T],
    *,
    edit: bool = False,
    ephemeral: bool = True,
) -> T:
    """Await `work`; if it takes longer than `DEFER_AFTER`, defer the interaction meanwhile
    (an update of the clicked message when `edit`, else a "thinking" answer), so that the
    answer `reply` gives afterwards still arrives.

    The bot's `LateWatch` (one timer for every interaction in flight) watches the work: a
    timer per interaction costs more than the page turn it guards (measured in
    `bench_dispatch`), and only a slow one pays for the deferral.
    """
    deferring: asyncio.Task[None] | None = None

    def defer() -> None:
        nonlocal deferring
        if not interaction.response.is_done():
            deferring = asyncio.create_task(_defer(interaction, edit=edit, ephemeral=ephemeral))

    late_work = interaction.client.late_work
    token = late_work.watch(defer)
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


async def reply(
    interaction: discord.Interaction[StoryBot],
    *,
    content: str | None = None,
    embed: discord.Embed | None = None,
    view: discord.ui.View | None = None,
    file: discord.File | None = None,
    edit: bool = False,
    ephemeral: bool = True,
    followup: bool = False,
    mentions: discord.AllowedMentions = NO_MENTIONS,
) -> None:
    """Answer `interaction` with one message, however far it has got.

    - `edit`: replace the clicked message (or the deferred answer) with this one: content,
      embed and buttons not given are removed;
    - `followup`: always a new message, even after an answer (errors, a private note);
    - otherwise a new message, or the deferred "thinking" answer filled in.

    `ephemeral` applies to new messages (a deferred answer keeps the visibility it was given).
    """
    response = interaction.response
    try:
        if not response.is_done():
            if edit:
                await response.edit_message(
                    content=content,
                    embed=embed,
                    view=view,
                    attachments=[file] if file else [],
                    allowed_mentions=mentions,
                )
            else:
                await response.send_message(
                    ephemeral=ephemeral,
                    allowed_mentions=mentions,
                    **_new(content, embed, view, file),
                )
        elif response.type in _DEFERRED and not followup:
            await interaction.edit_original_response(
                content=content,
                embed=embed,
                view=view,
                attachments=[file] if file else [],
                allowed_mentions=mentions,
            )
        else:
            await interaction.followup.send(
                ephemeral=ephemeral, allowed_mentions=mentions, **_new(content, embed, view, file)
            )
    except discord.HTTPException as error:
        if error.code not in _EXPIRED_CODES:
            raise
        log.warning(
            "interaction %s expired before its answer could be sent (%s)", interaction.id, error
        )


def _new(
    content: str | None,
    embed: discord.Embed | None,
    view: discord.ui.View | None,
    file: discord.File | None,
) -> dict[str, Any]:
    """The parts of a new message, leaving out those not given."""
    parts: dict[str, Any] = {"content": content}
    if embed is not None:
        parts["embed"] = embed
    if view is not None:
        parts["view"] = view
    if file is not None:
        parts["file"] = file
    return parts
