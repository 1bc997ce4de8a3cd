"""Bookmarks: /bookmark add, list, open, remove. Logic is in BookmarkService.

Everything here is private (ephemeral): a reader's bookmarks are theirs alone, and every
lookup goes through the store with the reader's own id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.library.library import Library
from bot.library.places import place_label
from bot.library.render import escape
from bot.library.wording import plural, truncate
from bot.services.bookmarks import bookmark_place
from bot.storage.records import MAX_BOOKMARKS_PER_STORY, Bookmark
from bot.ui.buttons import perform
from bot.ui.choices import story_autocomplete
from bot.ui.colours import COLOUR
from bot.ui.cooldowns import reader_cooldown
from bot.ui.discord_limits import CONTENT_LIMIT, DESCRIPTION_LIMIT, MAX_CHOICES
from bot.ui.respond import in_time, reply

if TYPE_CHECKING:
    from bot.client import StoryBot

Interaction = discord.Interaction["StoryBot"]

# Notes are cut shorter and shorter until the whole list fits one embed.
NOTE_LENGTHS = (100, 60, 30, 0)
MORE_HINT = "…and {n} more. Pick a story with `story:` to list only its bookmarks."


def bookmark_line(bookmark: Bookmark, note_length: int, library: Library) -> str:
    """`• Scene 3 · Page 2 — “note” · <t:…:d>` (the date shows in the reader's own format);
    `• Chapter 2 · Scene 1 · Page 2 …` for a story with chapters, as its pages count."""
    place = bookmark_place(bookmark, library)
    line = "• " + " · ".join(part[:1].upper() + part[1:] for part in place.split(", "))
    if bookmark.note and note_length:
        line += f" — “{escape(truncate(' '.join(bookmark.note.split()), note_length))}”"
    return line + f" · {discord.utils.format_dt(bookmark.created_at, 'd')}"


def _story_heading(story_id: str, library: Library) -> str:
    title = library.name(library.get(story_id)) if story_id in library else f"{story_id} (removed)"
    return f"**{escape(truncate(title, 200))}**"


def bookmark_list_text(bookmarks: list[Bookmark], library: Library) -> str:
    """All bookmarks grouped by story, within an embed description (notes cut to fit)."""
    for note_length in NOTE_LENGTHS:
        lines: list[str] = []
        story_id = None
        for bookmark in bookmarks:
            if bookmark.story_id != story_id:
                story_id = bookmark.story_id
                lines.append(("\n" if lines else "") + _story_heading(story_id, library))
            lines.append(bookmark_line(bookmark, note_length, library))
        text = "\n".join(lines)
        if len(text) <= DESCRIPTION_LIMIT:
            return text
    # Still too long (bookmarks in many stories): the first ones, and how many are left out.
    kept: list[str] = []
    for count, line in enumerate(lines):
        more = MORE_HINT.format(n=len(lines) - count)
        if len("\n".join([*kept, line, more])) > DESCRIPTION_LIMIT:
            left = sum(1 for rest in lines[count:] if rest.startswith("•"))
            return "\n".join([*kept, MORE_HINT.format(n=left)])
        kept.append(line)
    return "\n".join(kept)


def bookmarks_embed(bookmarks: list[Bookmark], library: Library) -> discord.Embed:
    embed = discord.Embed(title="Your bookmarks", colour=COLOUR)
    if not bookmarks:
        embed.description = (
            "You have no bookmarks yet. Use `/bookmark add` (or the 🔖 button under a page)."
        )
        return embed
    embed.description = bookmark_list_text(bookmarks, library)
    embed.set_footer(
        text=f"{plural(len(bookmarks), 'bookmark')} · at most {MAX_BOOKMARKS_PER_STORY} per story"
        " · open one with /bookmark open"
    )
    return embed


async def bookmark_autocomplete(
    interaction: Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """The reader's own bookmarks whose label holds what was typed (at most 25)."""
    service = interaction.client.services.bookmarks
    found = await service.choices(interaction.user.id, current, limit=MAX_CHOICES)
    return [app_commands.Choice(name=label, value=value) for label, value in found]


class Bookmarks(commands.Cog):
    """Keep places in a story with a short note, and go back to them."""

    bookmark = app_commands.Group(name="bookmark", description="Keep places in a story.")

    def __init__(self, bot: StoryBot) -> None:
        self.bot = bot
        self.service = bot.services.bookmarks
        self.library = bot.services.library

    @bookmark.command(name="add", description="Bookmark the page you are on.")
    @app_commands.describe(
        note="A few words to remember it by (at most 100 characters)",
        story="The story (default: the one you read last)",
    )
    @app_commands.autocomplete(story=story_autocomplete)
    @reader_cooldown()
    async def add(
        self, interaction: Interaction, note: str | None = None, story: str | None = None
    ) -> None:
        work = self.service.add(interaction.user.id, story, note, at=interaction.created_at)
        mark = await in_time(interaction, work)
        library = self.library.current
        title = escape(truncate(library.get(mark.story_id).title, 200))
        text = f"🔖 Bookmarked {bookmark_place(mark, library)} of **{title}**"
        if mark.note:
            text += f" — “{escape(mark.note)}”"
        text += ". Find it again with `/bookmark open`."
        await reply(interaction, content=truncate(text, CONTENT_LIMIT))

    @bookmark.command(name="list", description="See your bookmarks.")
    @app_commands.describe(story="Only the bookmarks of this story (default: all)")
    @app_commands.autocomplete(story=story_autocomplete)
    @reader_cooldown()
    async def list_(self, interaction: Interaction, story: str | None = None) -> None:
        marks = await in_time(interaction, self.service.all(interaction.user.id, story))
        await reply(interaction, embed=bookmarks_embed(marks, self.library.current))

    @bookmark.command(name="open", description="Go to a bookmark: it becomes your reading place.")
    @app_commands.describe(bookmark="One of your bookmarks (start typing to filter)")
    @app_commands.autocomplete(bookmark=bookmark_autocomplete)
    @reader_cooldown()
    async def open_(self, interaction: Interaction, bookmark: str) -> None:
        found = await in_time(interaction, self.service.find(interaction.user.id, bookmark))
        title = escape(truncate(found.story.title, 200))
        note = (
            f"🔖 Your reading place in **{title}** is now {place_label(found.story, found.page)}."
        )
        if not found.exact:
            note += " (The story changed since you bookmarked it: this is the nearest page.)"
        await perform(interaction, found.story, "go", found.page, note=note)

    @bookmark.command(name="remove", description="Remove one of your bookmarks.")
    @app_commands.describe(bookmark="One of your bookmarks (start typing to filter)")
    @app_commands.autocomplete(bookmark=bookmark_autocomplete)
    @reader_cooldown()
    async def remove(self, interaction: Interaction, bookmark: str) -> None:
        gone = await in_time(interaction, self.service.remove(interaction.user.id, bookmark))
        library = self.library.current
        title = library.get(gone.story_id).title if gone.story_id in library else gone.story_id
        text = (
            f"Removed your bookmark at {bookmark_place(gone, library)} of "
            f"**{escape(truncate(title, 200))}**."
        )
        await reply(interaction, content=truncate(text, CONTENT_LIMIT))


async def setup(bot: StoryBot) -> None:
    await bot.add_cog(Bookmarks(bot))
