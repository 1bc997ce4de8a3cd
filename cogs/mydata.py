"""Your data: /mydata export sends it as a JSON file; /mydata delete erases it after a yes.

Logic is in UserDataService. Both answers are private; the delete buttons are `DynamicItem`s
carrying the reader's id, so only they can confirm, even after a restart.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.userdata import WHAT_WE_STORE, export_filename
from bot.ui.cooldowns import reader_cooldown
from bot.ui.dynamic import StoryButton, components
from bot.ui.gate import NOT_YOURS
from bot.ui.respond import reply

if TYPE_CHECKING:
    from bot.client import StoryBot

Interaction = discord.Interaction["StoryBot"]

Answer = Literal["yes", "no"]


class DeleteButton(
    StoryButton,
    template=r"sb:d:(?P<answer>yes|no):(?P<owner_id>[0-9]{1,20})",
):
    """The answer to "Delete all your data?": only the reader who asked may press it."""

    def __init__(self, answer: Answer, owner_id: int) -> None:
        self.answer: Answer = answer
        self.owner_id = owner_id
        yes = answer == "yes"
        super().__init__(
            "sb:d", answer, owner_id,
            label="Delete everything" if yes else "Cancel",
            style=discord.ButtonStyle.danger if yes else discord.ButtonStyle.secondary,
        )  # fmt: skip

    async def _run(self, interaction: Interaction) -> None:
        if interaction.user.id != self.owner_id:
            await reply(interaction, content=NOT_YOURS, followup=True)
            return
        if self.answer == "no":
            await reply(interaction, content="Cancelled: nothing was deleted.", edit=True)
            return
        await interaction.response.defer()  # the deletion is one transaction: may take a moment
        userdata = interaction.client.services.userdata
        before, rows = await userdata.delete(self.owner_id, at=interaction.created_at)
        text = (
            f"Done: deleted {before.describe()} ({rows} stored records). StoryBot no longer "
            "holds anything about you; using it again starts afresh."
            if rows
            else "There was nothing stored about you, so nothing was deleted."
        )
        await reply(interaction, content=text, edit=True)


def delete_buttons(owner_id: int) -> discord.ui.View:
    return components(DeleteButton("yes", owner_id), DeleteButton("no", owner_id))


class MyData(commands.Cog):
    """See or erase what StoryBot stores about you."""

    mydata = app_commands.Group(name="mydata", description="See or delete what StoryBot stores.")

    def __init__(self, bot: StoryBot) -> None:
        self.bot = bot
        self.service = bot.services.userdata

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(DeleteButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(DeleteButton)

    @mydata.command(name="export", description="Get everything StoryBot stores about you.")
    @reader_cooldown()
    async def export(self, interaction: Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        summary, document = await self.service.export(interaction.user.id)
        file = discord.File(io.BytesIO(document), filename=export_filename(interaction.user.id))
        await reply(
            interaction,
            content=f"Here is your data: {summary.describe()}.\n{WHAT_WE_STORE}",
            file=file,
        )

    @mydata.command(name="delete", description="Erase everything StoryBot stores about you.")
    @reader_cooldown()
    async def delete(self, interaction: Interaction) -> None:
        summary = await self.service.summary(interaction.user.id)
        if not summary.total:
            text = "StoryBot stores nothing about you: there is nothing to delete."
            await reply(interaction, content=text)
            return
        await reply(
            interaction,
            content=f"Delete everything StoryBot stores about you ({summary.describe()})? "
            "This cannot be undone.",
            view=delete_buttons(interaction.user.id),
        )


async def setup(bot: StoryBot) -> None:
    await bot.add_cog(MyData(bot))
