"""Embeds for story pages and overviews, within Discord's limits (see DISCORD.md)."""

from __future__ import annotations

import discord

from bot.library.library import Library
from bot.library.places import place_line
from bot.library.render import escape
from bot.library.wording import plural, truncate
from bot.services.access import is_adult
from bot.services.reading import EndView, PageView, StoryOverview
from bot.ui.colours import COLOUR, END_COLOUR
from bot.ui.discord_limits import (
    AUTHOR_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    MAX_FIELDS,
    TITLE_LIMIT,
)
from bot.ui.text import fit_escaped, progress_bar


def progress_text(view: PageView) -> str:
    """`▰▰▰▱▱▱▱▱▱▱ 34% · about 8 min left` (the share read once this page is read)."""
    percent = view.percent_end
    if view.is_last:
        left = "last page"
    elif view.minutes_left <= 1:
        left = "about a minute left"
    else:
        left = f"about {view.minutes_left} min left"
    return f"{progress_bar(percent)} {percent:.0f}% · {left}"


def page_embed(view: PageView) -> discord.Embed:
    """The embed of one page: title, place, the page's text, progress in the footer."""
    embed = discord.Embed(
        title=truncate(view.story.title, TITLE_LIMIT),
        description=view.story.markdown_of(view.page),
        colour=COLOUR,
    )
    embed.set_author(name=truncate(place_line(view.story, view.page), AUTHOR_LIMIT))
    embed.set_footer(text=progress_text(view))
    return embed


def end_embed(end: EndView) -> discord.Embed:
    story = end.story
    title = truncate(story.title, TITLE_LIMIT - 40)
    embed = discord.Embed(
        title="The end",
        description=(f"You finished **{escape(title)}**. Thank you for reading!"),
        colour=END_COLOUR,
    )
    embed.set_footer(text=f"{progress_bar(100)} 100% · {plural(story.words, 'word')} read")
    return embed


def reader_place(view: PageView) -> str:
    where = place_line(view.story, view.page)
    return f"{progress_bar(view.percent_end)} {view.percent_end:.0f}% · {where}"


class FieldPacker:
    """Adds fields to an embed while it stays within 25 fields and 6,000 characters.

    Keep one field back for "and N more" when something does not fit.
    """

    def __init__(self, embed: discord.Embed) -> None:
        self.embed = embed
        self.left_out = 0

    def _size(self) -> int:
        return len(self.embed)

    def add(self, name: str, value: str) -> bool:
        name = truncate(name, FIELD_NAME_LIMIT)
        value = truncate(value, FIELD_VALUE_LIMIT)
        reserve = 100  # room for the closing "and N more" field
        full = len(self.embed.fields) >= MAX_FIELDS - 1
        if (
            self.left_out
            or full
            or self._size() + len(name) + len(value) + reserve > EMBED_TOTAL_LIMIT
        ):
            self.left_out += 1
            return False
        self.embed.add_field(name=name, value=value, inline=False)
        return True

    def finish(self, hint: str) -> discord.Embed:
        if self.left_out:
            self.embed.add_field(
                name=f"…and {self.left_out} more",
                value=truncate(hint, FIELD_VALUE_LIMIT),
                inline=False,
            )
        return self.embed


def progress_embed(views: list[PageView], library: Library) -> discord.Embed:
    embed = discord.Embed(title="Your reading", colour=COLOUR)
    if not views:
        embed.description = "You haven't started a story yet. Use `/stories` to pick one."
        return embed
    packer = FieldPacker(embed)
    for view in views:
        packer.add(fit_escaped(library.name(view.story), FIELD_NAME_LIMIT), reader_place(view))
    return packer.finish("Open any story with `/read` to see where you are.")


def stories_embed(overviews: list[StoryOverview], library: Library) -> discord.Embed:
    embed = discord.Embed(
        title="Stories", colour=COLOUR, description=f"{plural(len(overviews), 'story')} to read."
    )
    packer = FieldPacker(embed)
    for item in overviews:
        story = item.story
        parts = [plural(story.words, "word")]
        if story.has_chapters:
            parts.append(plural(len(story.chapters), "chapter"))
        parts += [
            plural(len(story.scenes), "scene"),
            f"about {plural(item.reading_minutes, 'minute')}",
        ]
        facts = " · ".join(parts)
        if story.metadata.author:
            facts = f"by {fit_escaped(story.metadata.author, 100)} · {facts}"
        if story.metadata.rating:
            adult = "🔞 " if is_adult(story) else ""
            facts += f" · {adult}{fit_escaped(story.metadata.rating.strip(), 40)}"
        mine = reader_place(item.place) if item.place else "Not started"
        packer.add(fit_escaped(library.name(story), FIELD_NAME_LIMIT), f"{facts}\n{mine}")
    return packer.finish(
        "Type a few letters of the title in `/read story:` to find the others; "
        "`/info` shows a story's details."
    )
