"""`StoryButton`: the base of every button whose state lives in its custom_id.

A subclass states its `template` (the regular expression discord.py dispatches on, with named
groups), takes the template's groups by name as its constructor's keyword arguments (as
discord.py's `dynamic_counter.py` example does), passes `super().__init__` the custom_id's
parts with its label, emoji and style, and answers in `_run`. Errors from `_run` reach the
reader as the commands' do.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Self

import discord

from bot.ui.discord_limits import MAX_CUSTOM_ID
from bot.ui.errors import refuse_while_stopping, report_error

if TYPE_CHECKING:
    from bot.client import StoryBot

NEVER = r"(?!)"
"""The template of a base that is never registered: it matches no custom_id."""
INT_GROUPS = frozenset({"owner_id", "scene", "page"})
"""Template groups that are numbers; every other group stays a string (story ids may be digits)."""


class StoryButton(discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=NEVER):
    """A `DynamicItem` button: `custom_id` is `parts` joined by `:` (at most 100 characters)."""

    def __init_subclass__(cls, *, template: str = NEVER) -> None:
        super().__init_subclass__(template=template)

    def __init__(
        self,
        *parts: str | int,
        label: str,
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        emoji: str | None = None,
        disabled: bool = False,
    ) -> None:
        custom_id = ":".join(map(str, parts))
        assert len(custom_id) <= MAX_CUSTOM_ID, custom_id
        super().__init__(
            discord.ui.Button(
                label=label, emoji=emoji, style=style, custom_id=custom_id, disabled=disabled
            )
        )

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        """The button again, from its template's groups by name (numbers parsed)."""
        values = {
            name: int(value) if name in INT_GROUPS else value
            for name, value in match.groupdict().items()
        }
        build: Callable[..., Self] = cls
        return build(**values)

    async def interaction_check(self, interaction: discord.Interaction[StoryBot], /) -> bool:  # type: ignore[override]
        return await refuse_while_stopping(interaction)

    async def callback(self, interaction: discord.Interaction[StoryBot]) -> None:  # type: ignore[override]
        try:
            await self._run(interaction)
        except Exception as error:
            await report_error(interaction, error)

    async def _run(self, interaction: discord.Interaction[StoryBot]) -> None:
        raise NotImplementedError


def components(*items: discord.ui.Item[Any]) -> discord.ui.View:
    """A view of dynamic items only, ready to send and never stored by discord.py.

    Dynamic items dispatch by their template, so the view need not outlive the send: it is
    stopped first, which keeps discord.py from holding every page's view in memory (with a
    15-minute timer each for ephemeral messages).
    """
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    view.stop()
    return view
