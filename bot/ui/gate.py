"""The gate before a story's text, as a reader meets it: asks `AccessService.decide` and shows
its prompts (the age question in a DM, the archive warnings once), and records the answers.

What the reader was doing when a prompt stopped them is carried on by the prompt's button: a
`GateButton` subclass (the reading flow's in `bot.ui.buttons`, the search's in `bot.ui.search`)
says how in `resume`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

import discord

from bot.library.model import Story
from bot.library.render import escape
from bot.library.wording import truncate
from bot.services.access import Gate, NotHere, Where, warning_note, warnings_to_show
from bot.ui.discord_limits import CONTENT_LIMIT
from bot.ui.dynamic import StoryButton, components
from bot.ui.respond import reply

if TYPE_CHECKING:
    from bot.client import StoryBot


Step = Literal["age", "warn", "stop"]
"""A prompt's answer: confirm the age, go on past the warnings, or stop."""

WARNING_LIMIT = 200  # per warning, before escaping
LABELS: dict[Step, str] = {
    "age": "I am 18 or older — show it",
    "warn": "Continue",
    "stop": "Cancel",
}
NOT_YOURS = "Only the reader who asked can answer this."


def where(interaction: discord.Interaction[StoryBot]) -> Where:
    """The place of an interaction as the gate sees it."""
    is_nsfw = getattr(interaction.channel, "is_nsfw", None)  # a thread answers for its parent
    nsfw = bool(is_nsfw()) if callable(is_nsfw) else False
    # A DM with the bot; a group DM is not private and does not count.
    dm = interaction.guild_id is None and not isinstance(interaction.channel, discord.GroupChannel)
    return Where(nsfw=nsfw, dm=dm)


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


class GateButton(StoryButton):
    """An answer to a gate prompt. On yes it records the answer, then `resume`s what the reader
    was doing; only the reader who was asked may answer."""

    def __init__(self, step: Step, story_id: str, owner_id: int, *parts: str | int) -> None:
        self.step: Step = step
        self.story_id = story_id
        self.owner_id = owner_id
        style = discord.ButtonStyle.secondary if step == "stop" else discord.ButtonStyle.primary
        super().__init__(*parts, label=LABELS[step], style=style)

    async def _run(self, interaction: discord.Interaction[StoryBot]) -> None:
        if interaction.user.id != self.owner_id:
            await reply(interaction, content=NOT_YOURS, followup=True)
            return
        if self.step == "stop":
            await reply(interaction, content="Cancelled.", edit=True)
            return
        services = interaction.client.services
        story = services.reading.story(self.story_id)
        at = interaction.created_at
        if self.step == "age":
            await services.access.confirm_age(self.owner_id, at=at)
        else:
            await services.access.confirm_warnings(self.owner_id, story, at=at)
        await self.resume(interaction, story)

    async def resume(self, interaction: discord.Interaction[StoryBot], story: Story) -> None:
        raise NotImplementedError


Confirm = Callable[[Step], GateButton]
"""Makes the prompt's buttons: what they carry says how to go on once answered."""


async def admit(
    interaction: discord.Interaction[StoryBot],
    story: Story,
    confirm: Confirm,
    *,
    edit: bool = False,
) -> bool:
    """True when `story` may be shown to this reader here now; else they were shown a prompt
    (in place of the clicked message when `edit`) whose buttons `confirm` makes.

    Raises `NotHere` (a private message, through the error handler) where it is never served.
    """
    gate = await interaction.client.services.access.decide(
        interaction.user.id, story, where(interaction)
    )
    if gate is Gate.SERVE:
        return True
    if gate is Gate.REFUSE:
        raise NotHere(story)
    text = age_text(story) if gate is Gate.ASK_AGE else warnings_text(story)
    step: Step = "age" if gate is Gate.ASK_AGE else "warn"
    buttons = components(confirm(step), confirm("stop"))
    await reply(interaction, content=text, view=buttons, edit=edit)
    return False
