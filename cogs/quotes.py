"""Quotes: /quote shares a random line of a story; its button opens the page it comes from.

Logic is in QuoteService (which story, which line, no repeats). Here: the embed, the buttons
(`DynamicItem`s, so they keep working after a restart) and the per-reader limits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserError
from bot.library.library import fold
from bot.library.model import Story
from bot.library.quotes import Quote
from bot.library.render import escape
from bot.services.access import ADULT_FLAG, Access, may_serve
from bot.services.bookmarks import nearest_place
from bot.services.quotes import QuoteResult, QuoteService
from bot.services.reading import chapter_name, place_label
from bot.tree import retry_text, send_private
from bot.ui.buttons import admit, page_buttons
from bot.ui.choices import story_autocomplete
from bot.ui.colours import COLOUR
from bot.ui.discord_limits import (
    CHOICE_NAME_LIMIT,
    CONTENT_LIMIT,
    DESCRIPTION_LIMIT,
    FOOTER_LIMIT,
    MAX_CHOICES,
)
from bot.ui.dynamic import StoryButton
from bot.ui.gate import Mode, channel_is_nsfw, in_dm
from bot.ui.limits import RateLimiter
from bot.ui.pages import page_embed
from bot.ui.respond import in_time, show
from bot.ui.text import fit_escaped, truncate

if TYPE_CHECKING:
    from bot.client import StoryBot

log = logging.getLogger(__name__)

Interaction = discord.Interaction["StoryBot"]

# /quote posts publicly: a few per half minute per reader keeps a channel readable.
QUOTE_RATE = (3, 30.0)
# "Read this scene" and "Continue reading from here", per reader.
SCENE_BUTTON_RATE = (5, 20.0)

_STORY = r"[a-z0-9-]{1,40}"
_PLACE = r"(?P<story>" + _STORY + r"):(?P<scene>[0-9]{1,6}):(?P<page>[0-9]{1,6})"


def attribution(story: Story, quote: Quote) -> str:
    """`— Stiles · Lay Your Heart Bare · Scene 3` (no speaker when it is not known)."""
    parts = [f"Scene {quote.scene + 1}"]
    if story.has_chapters:
        chapter = story.chapter_of(quote.scene)
        parts = [
            truncate(chapter_name(chapter), 120),
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


class PlaceButton(StoryButton):
    """A button carrying a place in a story (`sb:q:<ACTION>:<story>:<scene>:<page>`): anyone may
    press it, within their limit, once the gate lets the story be shown."""

    ACTION: ClassVar[str]
    MODE: ClassVar[Mode]
    LABEL: ClassVar[str]
    EMOJI: ClassVar[str]
    STYLE: ClassVar[discord.ButtonStyle]

    def __init__(self, story_id: str, scene: int, page: int) -> None:
        self.story_id, self.scene, self.page = story_id, scene, page
        super().__init__(
            f"sb:q:{self.ACTION}", story_id, scene, page,
            label=self.LABEL, emoji=self.EMOJI, style=self.STYLE,
        )  # fmt: skip

    async def _run(self, interaction: Interaction) -> None:
        if not await button_allowed(interaction):
            return
        story = interaction.client.library.get(self.story_id)
        if not await admit(interaction, story, self.MODE, self.scene, self.page):
            return
        (scene, page), exact = nearest_place(story, self.scene, self.page)
        await self._open(interaction, story, scene, page, exact=exact)

    async def _open(
        self, interaction: Interaction, story: Story, scene: int, page: int, *, exact: bool
    ) -> None:
        raise NotImplementedError


class ReadSceneButton(PlaceButton, template=r"sb:q:read:" + _PLACE):
    """Under a quote: shows the quote's page privately to whoever presses it."""

    ACTION, MODE, LABEL, EMOJI = "read", "peek", "Read this scene", "📖"
    STYLE = discord.ButtonStyle.secondary

    async def _open(
        self, interaction: Interaction, story: Story, scene: int, page: int, *, exact: bool
    ) -> None:
        view = interaction.client.reading.view(story, scene, page)
        title = escape(truncate(story.title, 200))
        note = "" if exact else " (the story changed since: this is the nearest page)"
        where = place_label(story, scene, page)
        content = (
            f"{where[0].upper()}{where[1:]} of **{title}**{note}. "
            "Only you see this; your reading place has not moved."
        )
        buttons = discord.ui.View(timeout=None)
        buttons.add_item(ContinueButton(story.id, scene, page))
        await show(
            interaction,
            content=truncate(content, CONTENT_LIMIT),
            embed=page_embed(view),
            view=buttons,
            ephemeral=True,
        )


class ContinueButton(PlaceButton, template=r"sb:q:go:" + _PLACE):
    """Under a page opened from a quote: makes it the presser's reading place."""

    ACTION, MODE, LABEL, EMOJI = "go", "go", "Continue reading from here", "▶️"
    STYLE = discord.ButtonStyle.primary

    async def _open(
        self, interaction: Interaction, story: Story, scene: int, page: int, *, exact: bool
    ) -> None:
        user_id = interaction.user.id
        view = await in_time(
            interaction,
            interaction.client.reading.goto(user_id, story.id, scene + 1, page + 1),
            edit=True,
        )
        title = escape(truncate(story.title, 200))
        await show(
            interaction,
            content=f"📍 Your place in **{title}** is now {place_label(story, scene, page)}.",
            embed=page_embed(view),
            view=page_buttons(view, user_id, public=False),
            edit=True,
        )


async def allowed_here(interaction: Interaction) -> Callable[[Story], bool]:
    """Which stories may be quoted here: `may_serve` says SERVE (no prompt in a quote)."""
    nsfw, dm = channel_is_nsfw(interaction), in_dm(interaction)
    confirmed = dm and await interaction.client.store.get_flag(interaction.user.id, ADULT_FLAG)
    return lambda story: (
        may_serve(story, channel_is_nsfw=nsfw, in_dm=dm, adult_confirmed=bool(confirmed))
        is Access.SERVE
    )


async def button_allowed(interaction: Interaction) -> bool:
    """The reader's limit for the quote buttons; a friendly private message when over it."""
    cog = interaction.client.get_cog(Quotes.__cog_name__)
    if not isinstance(cog, Quotes):  # the cog was unloaded: the buttons still answer
        return True
    retry_after = cog.button_limit.hit(interaction.user.id)
    if retry_after is None:
        return True
    await send_private(
        interaction, f"You're opening scenes a little fast. Try again {retry_text(retry_after)}."
    )
    return False


def quote_buttons(result: QuoteResult) -> discord.ui.View:
    buttons = discord.ui.View(timeout=None)
    quote = result.quote
    buttons.add_item(ReadSceneButton(result.story.id, quote.scene, quote.page))
    return buttons


async def character_autocomplete(
    interaction: Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """The known speakers of the chosen story (or the reader's default one), at most 25."""
    cog = interaction.client.get_cog(Quotes.__cog_name__)
    if not isinstance(cog, Quotes):
        return []
    story_id = getattr(interaction.namespace, "story", None)
    try:
        story = await cog.service.story_for(
            interaction.user.id, story_id if isinstance(story_id, str) else None
        )
    except UserError:
        return []
    needle = fold(current.strip())
    names = [name for name in await cog.service.speakers(story) if needle in fold(name)]
    return [
        app_commands.Choice(name=truncate(name, CHOICE_NAME_LIMIT), value=name[:100])
        for name in names[:MAX_CHOICES]
    ]


class Quotes(commands.Cog):
    """Share a random line of a story; anyone can open the scene it comes from."""

    def __init__(self, bot: StoryBot) -> None:
        self.bot = bot
        self.service = QuoteService(bot.store, lambda: bot.library)
        self.command_limit = RateLimiter(*QUOTE_RATE)
        self.button_limit = RateLimiter(*SCENE_BUTTON_RATE)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(ReadSceneButton, ContinueButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(ReadSceneButton, ContinueButton)

    async def interaction_check(self, interaction: Interaction) -> bool:  # type: ignore[override]
        retry_after = self.command_limit.hit(interaction.user.id)
        if retry_after is not None:
            limiter = self.command_limit
            raise app_commands.CommandOnCooldown(
                app_commands.Cooldown(limiter.rate, limiter.per), retry_after
            )
        return True

    @commands.Cog.listener()
    async def on_library_reloaded(self) -> None:
        """Dispatched by `StoryBot.set_library` (/admin reload): the cached quotes belong to the old
        texts."""
        self.service.clear()

    @app_commands.command(name="quote", description="Share a random line of a story.")
    @app_commands.describe(
        story="The story (default: the one you read last, else a random one)",
        character="Only lines spoken by or mentioning this character",
        contains="Only lines containing these words",
        private="Only you see the line (default: everyone in the channel)",
    )
    @app_commands.autocomplete(story=story_autocomplete, character=character_autocomplete)
    async def quote(
        self,
        interaction: Interaction,
        story: str | None = None,
        character: str | None = None,
        contains: str | None = None,
        private: bool = False,
    ) -> None:
        allowed = await allowed_here(interaction)
        work = self.service.quote(
            interaction.user.id, story, character=character, contains=contains, allowed=allowed
        )
        try:
            result = await in_time(interaction, work, ephemeral=private)
        except UserError:
            if interaction.response.is_done() and not private:
                # Deferred in public: take the "thinking" message away, answer privately.
                await interaction.delete_original_response()
            raise
        await show(
            interaction,
            embed=quote_embed(result),
            view=quote_buttons(result),
            ephemeral=private,
        )


async def setup(bot: StoryBot) -> None:
    await bot.add_cog(Quotes(bot))
