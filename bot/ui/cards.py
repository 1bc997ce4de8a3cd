"""Embeds about a story rather than of its text: the metadata card and a chapter's notes.

Story metadata is untrusted (it comes from the file): every piece is escaped, then fitted to
its limit measured after escaping, and the whole embed stays within 6,000 characters even
for a story with hundreds of tags.
"""

from __future__ import annotations

import discord

from bot.library.model import Story
from bot.library.render import discord_length
from bot.library.stats import reading_minutes
from bot.library.wording import plural, truncate
from bot.services.access import is_adult, warning_note, warnings_to_show
from bot.ui.colours import ADULT_COLOUR, COLOUR
from bot.ui.discord_limits import (
    EMBED_TOTAL_LIMIT,
    FIELD_VALUE_LIMIT,
    TITLE_LIMIT,
    URL_LIMIT,
)
from bot.ui.text import fit_escaped, fit_list

# The card's text budget: fields shrink together until the whole card fits.
_LIST_FIELD_CAPS = (FIELD_VALUE_LIMIT, 700, 450, 300, 200, 120)
SUMMARY_LIMIT = 1500
NOTES_LIMIT = 1800  # each of a chapter's notes and end notes


def embed_length(embed: discord.Embed) -> int:
    """The embed's size as Discord counts it (UTF-16 units of title, description, fields...)."""
    parts = [embed.title or "", embed.description or "", embed.footer.text or ""]
    parts.append(embed.author.name or "")
    for field in embed.fields:
        parts += [field.name or "", field.value or ""]
    return sum(discord_length(part) for part in parts)


def source_url(story: Story) -> str | None:
    """The file's source link, if it is a plain http(s) URL that Discord accepts."""
    url = (story.metadata.source_url or "").strip()
    if url.startswith(("https://", "http://")) and len(url) <= URL_LIMIT and " " not in url:
        return url
    return None


def rating_text(story: Story) -> str:
    rating = (story.metadata.rating or "").strip()
    if not rating:
        return "Not rated"
    text = fit_escaped(rating, 100)
    return f"🔞 {text} (age-restricted channels and DMs only)" if is_adult(story) else text


def _numbers(story: Story) -> list[tuple[str, str]]:
    facts = [("Words", f"{story.words:,}")]
    if story.has_chapters:
        facts.append(("Chapters", f"{len(story.chapters):,}"))
    facts.append(("Scenes", f"{len(story.scenes):,}"))
    facts.append(("Reading time", f"about {plural(reading_minutes(story.words), 'minute')}"))
    if story.metadata.language:
        facts.append(("Language", fit_escaped(story.metadata.language, 100)))
    return facts


def info_embed(story: Story) -> discord.Embed:
    """The metadata card of a story, escaped and within every embed limit."""
    meta = story.metadata
    for cap in _LIST_FIELD_CAPS:
        embed = _card(story, cap, min(SUMMARY_LIMIT, cap * 2))
        if embed_length(embed) <= EMBED_TOTAL_LIMIT:
            return embed
    embed = _card(story, 60, 200)  # pathological: hundreds of huge values everywhere
    assert embed_length(embed) <= EMBED_TOTAL_LIMIT, meta.title[:40]
    return embed


def _card(story: Story, cap: int, summary_cap: int) -> discord.Embed:
    meta = story.metadata
    lines = []
    if meta.author:
        lines.append(f"by **{fit_escaped(meta.author, 200)}**")
    if meta.summary:
        lines.append(fit_escaped(meta.summary.strip(), summary_cap))
    embed = discord.Embed(
        title=fit_escaped(story.title, TITLE_LIMIT),
        description="\n\n".join(lines) or None,
        colour=ADULT_COLOUR if is_adult(story) else COLOUR,
        url=source_url(story),
    )
    embed.add_field(name="Rating", value=rating_text(story), inline=False)
    warnings = warnings_to_show(story)
    note = warning_note(story)
    if warnings or note:
        value = fit_list(warnings, cap, spoiler=True) if warnings else ""
        if note:
            value = f"{value}\n{note}" if value else note
        embed.add_field(name="Warnings", value=truncate(value, FIELD_VALUE_LIMIT), inline=False)
    for name, items in (
        ("Fandoms", meta.fandoms),
        ("Relationships", meta.relationships),
        ("Characters", meta.characters),
        ("Tags", meta.tags),
    ):
        if items:
            embed.add_field(name=name, value=fit_list(items, cap), inline=False)
    for name, value in _numbers(story):
        embed.add_field(name=name, value=value, inline=True)
    if meta.notes:
        embed.add_field(name="Notes", value=fit_escaped(meta.notes.strip(), cap), inline=False)
    if embed.url:
        embed.set_footer(text="The title links to the source.")
    return embed


def notes_embed(story: Story, scene: int) -> discord.Embed:
    """The author's notes of the chapter holding `scene` (0-based), escaped, within limits."""
    scene = min(max(scene, 0), len(story.scenes) - 1)
    chapter = story.chapter_of(scene)
    title = f"Notes · {chapter.name}" if story.has_chapters else "Notes"
    parts = []
    if chapter.notes:
        parts.append(f"**Notes**\n{fit_escaped(chapter.notes.strip(), NOTES_LIMIT)}")
    if chapter.end_notes:
        parts.append(f"**End notes**\n{fit_escaped(chapter.end_notes.strip(), NOTES_LIMIT)}")
    embed = discord.Embed(
        title=fit_escaped(title, TITLE_LIMIT),
        description="\n\n".join(parts) or "This chapter has no notes.",
        colour=COLOUR,
    )
    embed.set_footer(text=truncate(story.title, 200))
    return embed
