"""Read-alongs: /readalong start, status, pause, resume, skip, post-now, stop (Manage Server),
and the loop that posts each part when it is due.

The loop sleeps until the soonest part due on this process's servers (servers on other shards
are other processes'), posts it if its claim in the database takes (so never twice, whatever
runs), and after downtime posts the part that fell due once, late. When a post fails, the
read-along pauses and whoever set it up is told why and what to do.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserError
from bot.library.parts import PartRule, UnknownPartRule
from bot.library.render import escape
from bot.library.wording import truncate
from bot.services.access import is_adult
from bot.services.readalong import Due, Status, default_rule
from bot.services.readalong_text import discussion_opening, thread_name
from bot.services.reading import EndView, PageView
from bot.services.schedule import (
    EVERY_DAY,
    Schedule,
    parse_days,
    parse_time,
    parse_timezone,
    timezone_choices,
)
from bot.ui.choices import story_autocomplete
from bot.ui.discord_limits import CONTENT_LIMIT
from bot.ui.permissions import permission_list
from bot.ui.readalong import (
    NEEDED,
    READALONG_BUTTONS,
    THREAD_ARCHIVE_MINUTES,
    add_reader,
    discussing,
    discussion,
    missing_permissions,
    part_buttons,
    part_embed,
    status_embed,
)
from bot.ui.respond import in_time, reply

if TYPE_CHECKING:
    from bot.client import StoryBot

log = logging.getLogger(__name__)

Interaction = discord.Interaction["StoryBot"]

# Look again at least this often, whatever seems due: commands here wake the loop at once,
# so this only catches what changed elsewhere.
LONGEST_SLEEP = timedelta(hours=1)
WAKE_EVENT = "readalong_changed"


async def timezone_autocomplete(
    interaction: Interaction, current: str
) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=zone, value=zone) for zone in timezone_choices(current)]


class ReadAlongs(commands.Cog):
    """Read a story together in a channel: a part on each scheduled day, a discussion per part."""

    readalong = app_commands.Group(
        name="readalong",
        description="Read a story together in a channel, a part at a time.",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: StoryBot) -> None:
        self.bot = bot
        self.service = bot.services.readalongs
        self._loop: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*READALONG_BUTTONS)
        self._loop = asyncio.create_task(self._post_when_due(), name="readalong-schedule")

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*READALONG_BUTTONS)
        if self._loop is not None:
            self._loop.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop

    # --- commands ----------------------------------------------------------------------------

    @readalong.command(name="start", description="Start reading a story together in a channel.")
    @app_commands.describe(
        story="The story to read",
        channel="Where each part is posted (and its discussion threads made)",
        time="The local time each part is posted, e.g. 20:00 or 8pm",
        timezone="The time zone of that time, e.g. Europe/Berlin (start typing a city)",
        days="Which days: every day (default), weekdays, weekends, or e.g. mon,wed,fri",
        part="How much each part is: scene, chapter, or a number of minutes (e.g. 15)",
        role="A role to ping when a part is out (only that role is pinged)",
    )
    @app_commands.autocomplete(story=story_autocomplete, timezone=timezone_autocomplete)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def start(  # noqa: PLR0917 (the command's options)
        self,
        interaction: Interaction,
        story: str,
        channel: discord.TextChannel,
        time: str,
        timezone: str,
        days: str | None = None,
        part: str | None = None,
        role: discord.Role | None = None,
    ) -> None:
        chosen = self.bot.services.reading.story(story)
        schedule = Schedule(
            parse_time(time),
            parse_timezone(timezone),
            parse_days(days) if days else EVERY_DAY,
        )
        try:
            rule = PartRule.parse(part) if part else default_rule(chosen)
        except UnknownPartRule as error:
            raise UserError(str(error)) from None
        missing = missing_permissions(channel)
        if missing:
            raise UserError(
                f"I need these permissions in {channel.mention} first: {', '.join(missing)}."
            )
        if is_adult(chosen) and not channel.is_nsfw():
            raise UserError(
                f"“{escape(truncate(chosen.title, 100))}” is rated "
                f"{escape((chosen.metadata.rating or '').strip())}: it can be read along only "
                "in an age-restricted channel."
            )
        assert interaction.guild_id is not None  # guild_only
        readalong = await self.service.start(
            guild_id=interaction.guild_id,
            channel_id=channel.id,
            story=chosen,
            rule=rule,
            schedule=schedule,
            role_id=role.id if role else None,
            by=interaction.user.id,
            now=discord.utils.utcnow(),
        )
        self._wake()
        first = discord.utils.format_dt(readalong.next_due_at, "F") if readalong.next_due_at else ""
        await reply(
            interaction,
            content=f"📚 “{escape(truncate(chosen.title, 200))}” will be read along in "
            f"{channel.mention}, {rule.label} at {schedule.describe()}. The first part comes "
            f"{first}. See it with `/readalong status`.",
        )

    @readalong.command(name="status", description="See how far a read-along has got.")
    @app_commands.describe(channel="The read-along's channel (default: this one)")
    async def status(
        self, interaction: Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        status, readers = await in_time(
            interaction, self._status(self._channel_id(interaction, channel))
        )
        await reply(interaction, embed=status_embed(status, readers))

    async def _status(self, channel_id: int) -> tuple[Status, int | None]:
        status = await self.service.status(channel_id)
        readers = None
        if status.last_post is not None:
            thread = await discussion(self.bot, status.readalong.id, status.last_post.part)
            readers = None if thread is None else await discussing(self.bot, thread)
        return status, readers

    @readalong.command(name="pause", description="Stop posting parts until resumed.")
    @app_commands.describe(channel="The read-along's channel (default: this one)")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def pause(
        self, interaction: Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        reason = f"paused by {interaction.user.display_name} with /readalong pause"
        await self.service.pause(self._channel_id(interaction, channel), truncate(reason, 200))
        await reply(interaction, content="⏸️ Paused: no part is posted until `/readalong resume`.")

    @readalong.command(name="resume", description="Post parts again, from the next time due.")
    @app_commands.describe(channel="The read-along's channel (default: this one)")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def resume(
        self, interaction: Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        readalong = await self.service.resume(
            self._channel_id(interaction, channel), discord.utils.utcnow()
        )
        self._wake()
        when = discord.utils.format_dt(readalong.next_due_at, "F") if readalong.next_due_at else ""
        await reply(interaction, content=f"▶️ Resumed: part {readalong.next_part} comes {when}.")

    @readalong.command(
        name="skip", description="Leave the next part out; go on with the one after."
    )
    @app_commands.describe(channel="The read-along's channel (default: this one)")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def skip(
        self, interaction: Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        skipped, readalong = await self.service.skip(
            self._channel_id(interaction, channel), discord.utils.utcnow()
        )
        self._wake()
        await reply(
            interaction,
            content=f"⏭️ Skipped part {skipped.number} ({escape(skipped.title)}); part "
            f"{readalong.next_part} comes next.",
        )

    @readalong.command(name="post-now", description="Post the next part now, ahead of its time.")
    @app_commands.describe(channel="The read-along's channel (default: this one)")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def post_now(
        self, interaction: Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = discord.utils.utcnow()
        due = await self.service.post_now(self._channel_id(interaction, channel), now)
        posted = await self._post(due)
        text = f"📮 Part {due.part.number} is posted." if posted else "It could not be posted."
        await reply(interaction, content=text + " See `/readalong status`.")

    @readalong.command(name="stop", description="End a read-along (its posts and threads stay).")
    @app_commands.describe(channel="The read-along's channel (default: this one)")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def stop(
        self, interaction: Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        await self.service.stop(self._channel_id(interaction, channel))
        await reply(
            interaction,
            content="⏹️ Stopped. Its posts and discussions stay; their buttons say it has ended.",
        )

    def _wake(self) -> None:
        """A read-along changed here: look again at what is due now, not at the next wake."""
        self.bot.dispatch(WAKE_EVENT)

    @staticmethod
    def _channel_id(interaction: Interaction, channel: discord.TextChannel | None) -> int:
        if channel is not None:
            return channel.id
        assert interaction.channel_id is not None
        return interaction.channel_id

    # --- posting -----------------------------------------------------------------------------

    async def _post_when_due(self) -> None:
        await self.bot.wait_until_ready()
        await self.service.pause_unconfirmed(discord.utils.utcnow())
        while not self.bot.is_closed():
            try:
                await self._post_what_is_due()
                wait = await self._until_next()
            except Exception:
                log.exception("the read-along schedule failed; trying again shortly")
                wait = 60.0
            # Sleep until then, or until a command here changes a read-along (`_wake`).
            with contextlib.suppress(TimeoutError):
                await self.bot.wait_for(WAKE_EVENT, timeout=wait)

    def _ours(self, guild_id: int) -> bool:
        """A server on this process's shards (others post their own servers' parts)."""
        return self.bot.get_guild(guild_id) is not None

    async def _post_what_is_due(self) -> None:
        for due in await self.service.due(discord.utils.utcnow()):
            if self._ours(due.readalong.guild_id):
                await self._post(due)

    async def _until_next(self) -> float:
        """Seconds until the soonest part due on this process's servers (at most a while)."""
        horizon = discord.utils.utcnow() + LONGEST_SLEEP
        upcoming = [
            due.due_at for due in await self.service.upcoming(horizon) if self._ours(due.guild_id)
        ]
        if not upcoming:
            return LONGEST_SLEEP.total_seconds()
        return max((min(upcoming) - discord.utils.utcnow()).total_seconds(), 0.0)

    async def _post(self, due: Due) -> bool:
        """Post the part if this process's claim of it takes; True when it was posted."""
        channel = self.bot.get_channel(due.readalong.channel_id)
        if not isinstance(channel, discord.TextChannel):
            if await self.service.claim(due, discord.utils.utcnow()):
                await self._fail(due, "its channel is gone (deleted, or the bot was removed)")
            return False
        if not await self.service.claim(due, discord.utils.utcnow()):
            return False  # claimed elsewhere, or changed meanwhile
        role = channel.guild.get_role(due.readalong.role_id) if due.readalong.role_id else None
        try:
            message = await channel.send(
                content=role.mention if role else None,
                embed=part_embed(due),
                view=part_buttons(due.readalong.id, due.part),
                allowed_mentions=discord.AllowedMentions(
                    everyone=False, users=False, roles=[role] if role else False
                ),
            )
        except discord.HTTPException as error:
            await self._fail(due, f"part {due.part.number} could not be posted ({failure(error)})")
            return False
        try:
            thread = await channel.create_thread(
                name=thread_name(due.part),
                type=discord.ChannelType.private_thread,
                invitable=False,
                auto_archive_duration=THREAD_ARCHIVE_MINUTES,
            )
        except discord.HTTPException as error:
            await self.service.posted(due, message.id, None)
            reason = (
                f"part {due.part.number} was posted, but its discussion thread could not be "
                f"made ({failure(error)})"
            )
            await self.service.pause_for(due.readalong.id, reason)
            await self._tell_starter(due, reason)
            return True
        await self.service.posted(due, message.id, thread.id)
        try:
            await thread.send(
                truncate(discussion_opening(due.story, due.part), CONTENT_LIMIT),
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.HTTPException:  # the thread works without it
            log.warning(
                "read-along %d: part %d's thread has no opening", due.readalong.id, due.part.number
            )
        log.info("read-along %d: part %d posted", due.readalong.id, due.part.number)
        return True

    async def _fail(self, due: Due, reason: str) -> None:
        await self.service.failed(due, reason)
        await self._tell_starter(due, reason)

    async def _tell_starter(self, due: Due, reason: str) -> None:
        """Tell whoever set the read-along up what went wrong and how to go on."""
        if due.readalong.created_by is None:
            return
        text = (
            f"Your read-along of “{escape(truncate(due.story.title, 100))}” in "
            f"<#{due.readalong.channel_id}> is paused: {reason}. Once that is put right (in "
            f"that channel I need {permission_list(NEEDED)}), `/readalong resume` goes on "
            "with the next part; `/readalong status` shows where it is."
        )
        try:
            user = await self.bot.fetch_user(due.readalong.created_by)
            await user.send(
                truncate(text, CONTENT_LIMIT), allowed_mentions=discord.AllowedMentions.none()
            )
        except discord.HTTPException:
            log.warning(
                "could not tell user %s that read-along %d is paused",
                due.readalong.created_by,
                due.readalong.id,
            )

    # --- readers ------------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_page_read(self, interaction: Interaction, result: PageView | EndView) -> None:
        """After a reader's page in a server: if they just finished a part of one of the
        server's read-alongs of that story, open its discussion to them."""
        story = result.story
        if isinstance(result, EndView):  # wherever it is read, a DM too
            await self.service.finished(interaction.user.id, story, at=interaction.created_at)
        if interaction.guild_id is None:
            return
        index = len(story.pages) if isinstance(result, EndView) else result.page.index
        for readalong_id, parts in await self.service.reading_along(interaction.guild_id, story):
            for part in parts:
                if part.last_page != index - 1:
                    continue
                thread = await discussion(self.bot, readalong_id, part.number)
                if thread is not None:
                    with contextlib.suppress(discord.HTTPException):
                        await add_reader(thread, interaction.user)


def failure(error: discord.HTTPException) -> str:
    """Discord's refusal, in a few words: a missing permission, a channel gone, a limit."""
    if isinstance(error, discord.Forbidden):
        return "I am missing a permission there"
    if isinstance(error, discord.NotFound):
        return "the channel is gone"
    return truncate(error.text or str(error), 200)


async def setup(bot: StoryBot) -> None:
    await bot.add_cog(ReadAlongs(bot))
