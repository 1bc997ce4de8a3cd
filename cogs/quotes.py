"""Quotes: /quote shares a random line of a story; its button opens the page it comes from.

Logic is in `QuoteService` (which story, which line, no repeats). Here: the embed, and the
command's limit. The quote's buttons (`Read this scene`, then `Continue reading from here`)
belong to the reading flow (`bot.ui.buttons`); this cog registers them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserError
from bot.library.library import fold
from bot.library.model import Story
from bot.library.quotes import Quote
from bot.library.wording import truncate
from bot.services.quotes import QuoteResult
from bot.ui.buttons import QUOTE_BUTTONS, ReadSceneButton, token_of
from bot.ui.choices import story_autocomplete
from bot.ui.colours import COLOUR
from bot.ui.cooldowns import cooldown
from bot.ui.discord_limits import CHOICE_NAME_LIMIT, DESCRIPTION_LIMIT, FOOTER_LIMIT, MAX_CHOICES
from bot.ui.dynamic import components
from bot.ui.gate import where
from bot.ui.respond import in_time, reply
from bot.ui.text import fit_escaped

if TYPE_CHECKING:
    from bot.client import StoryBot


Interaction = discord.Interaction["StoryBot"]

# Autocomplete cannot be deferred: wait this long at most for a story's quotes to be found,
# then answer with what is known without them (the story's listed characters).
SPEAKERS_WAIT = 1.0


def attribution(story: Story, quote: Quote) -> str:
    """`— Stiles · Lay Your Heart Bare · Scene 3` (no speaker when it is not known)."""
    parts = [f"Scene {quote.scene + 1}"]
    if story.has_chapters:
        chapter = story.chapter_of(quote.scene)
        parts = [
            truncate(chapter.name, 120),
            f"Scene {quote.scene - chapter.first_scene + 1}",
        ]
    title = truncate(story.title, 200)
    who = f"— {truncate(quote.speaker, 100)} · " if quote.speaker else "— "
    return truncate(f"{who}{title} · {' · '.join(parts)}", FOOTER_LIMIT)


def quote_embed(result: QuoteResult) -> discord.Embed:
    """The line (escaped, measured after escaping) and where it comes from."""
    embed = discord.Embed(
        description=fit_escaped(result.quote.text, DESCRIPTION_LIMIT), colour=COLOUR
    )
    embed.set_footer(text=attribution(result.story, result.quote))
    return embed


def quote_buttons(result: QuoteResult) -> discord.ui.View:
    story, quote = result.story, result.quote
    page = story.scenes[quote.scene].pages[quote.page]
    return components(ReadSceneButton(story.id, token_of(story, page)))


async def character_autocomplete(
    interaction: Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """The known speakers of the chosen story (or the reader's default one), at most 25,
    within Discord's deadline even while the story's quotes are still being found."""
    services = interaction.client.services
    story_id = getattr(interaction.namespace, "story", None)
    allowed = await services.access.quotable(interaction.user.id, where(interaction))
    try:
        story = await services.quotes.suggestion_story(
            interaction.user.id, story_id if isinstance(story_id, str) else None, allowed=allowed
        )
    except UserError:
        return []
    if story is None:
        return []
    names = await services.quotes.speakers(story, wait=SPEAKERS_WAIT)
    if names is None:
        names = list(story.metadata.characters)
    needle = fold(current.strip())
    return [
        app_commands.Choice(name=truncate(name, CHOICE_NAME_LIMIT), value=name[:100])
        for name in names
        if needle in fold(name)
    ][:MAX_CHOICES]


class Quotes(commands.Cog):
    """Share a random line of a story; anyone can open the scene it comes from."""

    def __init__(self, bot: StoryBot) -> None:
        self.bot = bot
        self.services = bot.services

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*QUOTE_BUTTONS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*QUOTE_BUTTONS)

    @app_commands.command(name="quote", description="Share a random line of a story.")
    @app_commands.describe(
        story="The story (default: the one you read last, else a random one)",
        character="Only lines spoken by or mentioning this character",
        contains="Only lines containing these words",
        private="Only you see the line (default: everyone in the channel)",
    )
    @app_commands.autocomplete(story=story_autocomplete, character=character_autocomplete)
    @cooldown(lambda limits: limits.quotes)
    async def quote(
        self,
        interaction: Interaction,
        story: str | None = None,
        character: str | None = None,
        contains: str | None = None,
        private: bool = False,
    ) -> None:
        user_id = interaction.user.id
        allowed = await self.services.access.quotable(user_id, where(interaction))
        work = self.services.quotes.quote(
            user_id,
            story,
            character=character,
            contains=contains,
            allowed=allowed,
            at=interaction.created_at,
        )
        try:
            result = await in_time(interaction, work, ephemeral=private)
        except UserError:
            if interaction.response.is_done() and not private:
                # Deferred in public: take the "thinking" message away, answer privately.
                await interaction.delete_original_response()
            raise
        await reply(
            interaction, embed=quote_embed(result), view=quote_buttons(result), ephemeral=private
        )


async def setup(bot: StoryBot) -> None:
    await bot.add_cog(Quotes(bot))
