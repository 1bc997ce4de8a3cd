"""Read-alongs as a server sees them: a part's post and its buttons, the status card, and what
the bot needs in a channel. The schedule and the claims are `ReadAlongService`'s.

A part's post carries two buttons that anyone may press (`sb:ra:<action>:<read-along>:<part>`):
**Read** opens the part privately, as the presser's own reading; **Join the discussion** adds
them to the part's private thread once they have read it, and otherwise says how far they
still have to go.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal, TypeAlias

import discord

from bot.library.parts import Part
from bot.library.render import escape
from bot.library.wording import plural, truncate
from bot.services.readalong import Due, NoReadAlong, Status
from bot.services.readalong_text import behind_message, late_notice, length_label, part_post_title
from bot.storage.records import ReadAlong
from bot.ui.buttons import perform, within_limit
from bot.ui.colours import COLOUR, END_COLOUR
from bot.ui.discord_limits import CONTENT_LIMIT, DESCRIPTION_LIMIT, FIELD_VALUE_LIMIT
from bot.ui.dynamic import StoryButton, components
from bot.ui.permissions import permission_label
from bot.ui.respond import in_time, reply

if TYPE_CHECKING:
    from bot.client import StoryBot

log = logging.getLogger(__name__)

Interaction: TypeAlias = "discord.Interaction[StoryBot]"

# What the bot needs in a read-along's channel.
NEEDED = (
    "view_channel",
    "send_messages",
    "embed_links",
    "create_private_threads",
    "manage_threads",
    "send_messages_in_threads",
)
THREAD_ARCHIVE_MINUTES: Literal[10080] = 10080  # a week: discussions stay open between parts
ENDED = "This read-along has ended; its posts stay to read. `/read` goes on with the story."
CANNOT_ADD = (
    "I could not add you to that part's discussion: a moderator may need to check my "
    "permissions in its channel."
)


def missing_permissions(channel: discord.TextChannel) -> list[str]:
    """What the bot lacks in `channel` for a read-along (names as Discord shows them)."""
    granted = channel.permissions_for(channel.guild.me)
    return [permission_label(name) for name in NEEDED if not getattr(granted, name)]


def part_embed(due: Due) -> discord.Embed:
    part, story = due.part, due.story
    lines = [
        f"{length_label(part.minutes).capitalize()} of “{escape(truncate(story.title, 200))}”.",
        "Press **Read** to read it: only you see it, and it becomes your reading place.",
        "Once you have read it, **Join the discussion** opens its thread to you: nobody there "
        "spoils it for you, nor you for anyone else.",
    ]
    if due.late:
        lines.append(f"*{late_notice(due.schedule, due.due_at)}*")
    embed = discord.Embed(
        title=part_post_title(part),
        description=truncate("\n\n".join(lines), DESCRIPTION_LIMIT),
        colour=END_COLOUR if due.last else COLOUR,
    )
    footer = f"Part {part.number}" + (" · the last part" if due.last else "")
    embed.set_footer(text=f"{footer} · {due.schedule.describe()}")
    return embed


def part_buttons(readalong_id: int, part: Part) -> discord.ui.View:
    return components(
        PartButton("read", readalong_id, part.number),
        PartButton("join", readalong_id, part.number),
    )


def status_embed(status: Status, discussing: int | None) -> discord.Embed:
    """The card of `/readalong status`: the story, the last and next part, when, and how many
    readers are caught up (a count: no names)."""
    readalong = status.readalong
    embed = discord.Embed(
        title=f"Read-along: {truncate(status.story.title, 200)}",
        description=f"<#{readalong.channel_id}> · {status.schedule.describe()} · "
        f"{plural(len(status.parts), 'part')}",
        colour=COLOUR,
    )
    last = status.last_part
    if last is not None and status.last_post is not None:
        posted = discord.utils.format_dt(status.last_post.claimed_at, "R")
        value = f"Part {last.number}: {escape(last.title)} · posted {posted}"
        if discussing is not None:
            value += f" · {plural(discussing, 'reader')} caught up and discussing"
        embed.add_field(name="Last part", value=truncate(value, FIELD_VALUE_LIMIT), inline=False)
    upcoming = status.next_part
    if upcoming is None:
        embed.add_field(name="Next part", value="None: every part was posted.", inline=False)
    else:
        when = (
            discord.utils.format_dt(readalong.next_due_at, "F")
            if readalong.next_due_at
            else "not scheduled"
        )
        value = f"Part {upcoming.number}: {escape(upcoming.title)} · {when}"
        embed.add_field(name="Next part", value=truncate(value, FIELD_VALUE_LIMIT), inline=False)
    if readalong.paused_reason:
        embed.add_field(
            name="Paused",
            value=truncate(escape(readalong.paused_reason), FIELD_VALUE_LIMIT),
            inline=False,
        )
    return embed


class PartButton(
    StoryButton,
    template=r"sb:ra:(?P<action>read|join):(?P<readalong_id>[0-9]{1,18}):(?P<part>[0-9]{1,6})",
):
    """Under a part's post: Read it, or Join its discussion (anyone, within their limit)."""

    def __init__(self, action: Literal["read", "join"], readalong_id: str | int, part: str | int):
        self.action = action
        self.readalong_id, self.part = int(readalong_id), int(part)
        label, emoji = ("Read", "📖") if action == "read" else ("Join the discussion", "💬")
        style = discord.ButtonStyle.primary if action == "read" else discord.ButtonStyle.secondary
        super().__init__(
            "sb:ra", action, self.readalong_id, self.part, label=label, emoji=emoji, style=style
        )

    async def _run(self, interaction: Interaction) -> None:
        bot = interaction.client
        if not await within_limit(interaction, bot.cooldowns.scenes, "opening parts"):
            return
        service = bot.services.readalongs
        try:
            readalong = await service.by_id(self.readalong_id)
        except NoReadAlong:  # stopped: its posts stay, as /readalong stop says
            await reply(interaction, content=ENDED, followup=True)
            return
        story, parts = service.parts_of(readalong)
        if not 1 <= self.part <= len(parts):
            await reply(interaction, content="That part is no longer in the story.", followup=True)
            return
        part = parts[self.part - 1]
        if self.action == "read":
            place, _ = await service.reader_place(interaction.user.id, story)
            if place is not None and place >= part.first_page:  # already this far: go on
                await perform(interaction, story, "open", story.pages[part.first_page])
            else:
                await perform(interaction, story, "go", story.pages[part.first_page])
            return
        text, view = await in_time(interaction, join(interaction, readalong, part))
        await reply(interaction, content=text, view=view)


async def join(
    interaction: Interaction, readalong: ReadAlong, part: Part
) -> tuple[str, discord.ui.View | None]:
    """Add the reader to the part's discussion if they have read it (what to tell them), else
    say how far they still have to go (with a button to read on)."""
    service = interaction.client.services.readalongs
    story = service.story_of(readalong)
    thread = await discussion(interaction.client, readalong.id, part.number)
    if thread is None:
        return "That part's discussion is gone.", None
    if not await service.has_read(interaction.user.id, story, part):
        place, _ = await service.reader_place(interaction.user.id, story)
        readers = await discussing(interaction.client, thread) or 0
        text = behind_message(story, part, place, discussing=readers)
        return truncate(text, CONTENT_LIMIT), components(
            PartButton("read", readalong.id, part.number)
        )
    try:
        await add_reader(thread, interaction.user)
    except discord.HTTPException as error:
        log.warning("could not add user %s to thread %s: %s", interaction.user.id, thread.id, error)
        return CANNOT_ADD, None
    return f"💬 You're in: {thread.mention}.", None


async def discussion(bot: StoryBot, readalong_id: int, part: int) -> discord.Thread | None:
    """The thread of a posted part, if it still exists."""
    posts = await bot.services.readalongs.posts(await bot.services.readalongs.by_id(readalong_id))
    thread_id = next((p.thread_id for p in posts if p.part == part), None)
    if thread_id is None:
        return None
    thread = bot.get_channel(thread_id)
    if thread is None:
        try:
            fetched = await bot.fetch_channel(thread_id)
        except discord.HTTPException:
            return None
        thread = fetched if isinstance(fetched, discord.Thread) else None
    return thread if isinstance(thread, discord.Thread) else None


async def add_reader(thread: discord.Thread, user: discord.abc.Snowflake) -> None:
    """Open a part's discussion to a reader. Discord archives a thread after a quiet week,
    and an archived thread takes no new members, so it is woken first."""
    if thread.archived:
        await thread.edit(archived=False)
    await thread.add_user(user)


async def discussing(bot: StoryBot, thread: discord.Thread) -> int | None:
    """How many readers are in a part's discussion (the bot, a member since it made the
    thread, not counted), as Discord counts them (up to 50). Its member list would need the
    privileged members intent, which the bot does without. None when Discord cannot say."""
    try:
        fresh = await bot.fetch_channel(thread.id)
    except discord.HTTPException:
        return None
    if not isinstance(fresh, discord.Thread) or fresh.member_count is None:
        return None
    return max(0, fresh.member_count - 1)


READALONG_BUTTONS = (PartButton,)
"""Registered by the read-along cog."""
