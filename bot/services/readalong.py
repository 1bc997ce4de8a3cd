"""Read-alongs: a channel reads a story together, a part on each scheduled day, each part with
a discussion that opens to a reader once they have read it. Knows nothing of Discord.

The schedule and the parts are pure (`bot.services.schedule`, `bot.library.parts`); what is
kept is in the database (`Storage.readalongs`), so a restart, or several processes, lose and
double nothing: a part is posted only by the process whose claim of it took, and after
downtime the part that fell due is posted once, late.
"""

from __future__ import annotations

import logging
import time as clock
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot.errors import UserError
from bot.library.anchors import locate
from bot.library.model import Story
from bot.library.parts import Part, PartRule, cut_parts, has_read
from bot.services.holder import LibraryHolder
from bot.services.schedule import Schedule, is_late, next_due
from bot.storage.interface import Storage
from bot.storage.records import PartPost, ReadAlong, ReadAlongPlan

log = logging.getLogger(__name__)

FINISHED_FLAG_PREFIX = "finished:"
"""A reader flag: they turned past the last page of that story (their place stays on it)."""
UNCONFIRMED_AFTER = timedelta(minutes=2)
"""A claim this old with no post recorded: the process stopped between claiming and posting."""
SERVER_MEMORY = 30.0
"""Seconds a server's read-alongs are remembered for its readers' page turns. A server's
read-alongs are started and stopped through the process that holds its shard, which forgets
them at once; this bounds how long a change made elsewhere (say, while shards move) is unseen."""


class NoReadAlong(UserError):
    def __init__(self) -> None:
        super().__init__(
            "There is no read-along in that channel. Start one with `/readalong start`."
        )


class ReadAlongGone(UserError):
    """The story a read-along reads left the library."""

    def __init__(self, story_id: str) -> None:
        super().__init__(
            f"This read-along's story ({story_id}) is no longer in the library; put it back "
            "in the texts folder, or stop the read-along with `/readalong stop`."
        )


@dataclass(frozen=True, slots=True)
class Due:
    """A part to post now (or soon): of which read-along, and when it was due."""

    readalong: ReadAlong
    story: Story
    part: Part
    due_at: datetime
    late: bool
    last: bool  # the story's last part: nothing is due after it

    @property
    def schedule(self) -> Schedule:
        return schedule_of(self.readalong)


@dataclass(frozen=True, slots=True)
class Upcoming:
    """A part due soon: in which server, and when."""

    guild_id: int
    due_at: datetime


@dataclass(frozen=True, slots=True)
class Status:
    """How far a read-along has got."""

    readalong: ReadAlong
    story: Story
    parts: tuple[Part, ...]
    last_post: PartPost | None

    @property
    def last_part(self) -> Part | None:
        """The part posted last, if the text still has it (a reload may have shortened it)."""
        if self.last_post is None or self.last_post.part > len(self.parts):
            return None
        return self.parts[self.last_post.part - 1]

    @property
    def next_part(self) -> Part | None:
        number = self.readalong.next_part
        return self.parts[number - 1] if number <= len(self.parts) else None

    @property
    def schedule(self) -> Schedule:
        return schedule_of(self.readalong)


def schedule_of(readalong: ReadAlong) -> Schedule:
    hours, minutes = readalong.local_time.split(":")
    days = frozenset(int(day) for day in readalong.weekdays)
    return Schedule(time(int(hours), int(minutes)), readalong.timezone, days)


def weekdays_code(days: frozenset[int]) -> str:
    """Days (Monday 0 to Sunday 6) as they are kept: `0246`."""
    return "".join(str(day) for day in sorted(days))


def default_rule(story: Story) -> PartRule:
    """A chapter a day for a story with chapters, else a scene a day."""
    return PartRule("chapter" if story.has_chapters else "scene")


class ReadAlongService:
    """Read-alongs over the current library and a `Storage`."""

    def __init__(self, store: Storage, library: LibraryHolder) -> None:
        self._store = store
        self._library = library
        self._servers: dict[int, tuple[float, list[ReadAlong]]] = {}
        self._parts: dict[tuple[str, str], tuple[Story, tuple[Part, ...]]] = {}

    # --- what a read-along reads -----------------------------------------------------------

    def story_of(self, readalong: ReadAlong) -> Story:
        if readalong.story_id not in self._library.current:
            raise ReadAlongGone(readalong.story_id)
        return self._library.current.get(readalong.story_id)

    def parts_of(self, readalong: ReadAlong) -> tuple[Story, tuple[Part, ...]]:
        story = self.story_of(readalong)
        key = (story.id, readalong.part_rule)
        cached = self._parts.get(key)
        if cached is None or cached[0] is not story:  # cut again for a reloaded text
            cached = self._parts[key] = (story, cut_parts(story, PartRule.parse(key[1])))
        return cached

    async def get(self, channel_id: int) -> ReadAlong:
        found = await self._store.readalongs.get(channel_id)
        if found is None:
            raise NoReadAlong()
        return found

    async def by_id(self, readalong_id: int) -> ReadAlong:
        found = await self._store.readalongs.by_id(readalong_id)
        if found is None:
            raise NoReadAlong()
        return found

    async def reading_along(
        self, guild_id: int, story: Story
    ) -> list[tuple[int, tuple[Part, ...]]]:
        """The server's read-alongs of `story`, each its id and parts: asked on every page a
        reader turns in a server, so remembered for `SERVER_MEMORY` seconds."""
        remembered = self._remembered(guild_id)
        if remembered is None:
            remembered = await self._store.readalongs.in_guild(guild_id)
            self._servers[guild_id] = (clock.monotonic(), remembered)
        return [
            (readalong.id, self.parts_of(readalong)[1])
            for readalong in remembered
            if readalong.story_id == story.id and readalong.story_id in self._library.current
        ]

    def may_concern(self, guild_id: int, story_id: str) -> bool:
        """Whether a page of `story_id` turned in this server may end a part of one of its
        read-alongs: False only while the server's read-alongs are remembered and none reads
        that story, so that a page there costs nothing more."""
        remembered = self._remembered(guild_id)
        return remembered is None or any(r.story_id == story_id for r in remembered)

    def _remembered(self, guild_id: int) -> list[ReadAlong] | None:
        """The server's read-alongs, if read from the database in the last `SERVER_MEMORY` s."""
        remembered = self._servers.get(guild_id)
        if remembered is None or not 0 <= clock.monotonic() - remembered[0] < SERVER_MEMORY:
            return None
        return remembered[1]

    # --- setting up and steering -----------------------------------------------------------

    async def start(
        self,
        *,
        guild_id: int,
        channel_id: int,
        story: Story,
        rule: PartRule,
        schedule: Schedule,
        role_id: int | None,
        by: int,
        now: datetime,
    ) -> ReadAlong:
        """Start reading `story` in the channel: the first part is due at the schedule's next
        time after `now`. `ReadAlongExists` when the channel has one."""
        plan = ReadAlongPlan(
            guild_id=guild_id,
            channel_id=channel_id,
            story_id=story.id,
            part_rule=rule.code,
            local_time=schedule.at.strftime("%H:%M"),
            timezone=schedule.timezone,
            weekdays=weekdays_code(schedule.days),
            role_id=role_id,
            created_by=by,
            first_due_at=next_due(schedule, now),
        )
        readalong = await self._store.readalongs.create(plan)
        self._servers.pop(guild_id, None)
        log.info("read-along %d started in channel %d: %s", readalong.id, channel_id, story.id)
        return readalong

    async def status(self, channel_id: int) -> Status:
        readalong = await self.get(channel_id)
        story, parts = self.parts_of(readalong)
        posts = await self._store.readalongs.posts(readalong.id)
        return Status(readalong, story, parts, posts[-1] if posts else None)

    async def posts(self, readalong: ReadAlong) -> list[PartPost]:
        return await self._store.readalongs.posts(readalong.id)

    async def pause(self, channel_id: int, reason: str) -> ReadAlong:
        readalong = await self.get(channel_id)
        if not await self._store.readalongs.pause(readalong.id, reason):
            raise UserError("That read-along is paused already (or has posted every part).")
        return await self.get(channel_id)

    async def resume(self, channel_id: int, now: datetime) -> ReadAlong:
        """Run it again: its next part is due at the schedule's next time after `now`."""
        readalong = await self.get(channel_id)
        if readalong.paused_reason is None:
            raise UserError("That read-along is not paused.")
        next_at = next_due(schedule_of(readalong), now)
        await self._store.readalongs.resume(readalong.id, next_at)
        return await self.get(channel_id)

    async def skip(self, channel_id: int, now: datetime) -> tuple[Part, ReadAlong]:
        """Leave the next part out: the one after it comes at the next scheduled time."""
        readalong = await self.get(channel_id)
        _, parts = self.parts_of(readalong)
        if readalong.next_part > len(parts):
            raise UserError("Every part of that story was posted already: nothing to skip.")
        skipped = parts[readalong.next_part - 1]
        last = readalong.next_part == len(parts)
        next_at = None if last else next_due(schedule_of(readalong), now)
        if not await self._store.readalongs.skip(readalong, next_at):
            raise UserError("That read-along just moved on; look at `/readalong status` again.")
        return skipped, await self.get(channel_id)

    async def stop(self, channel_id: int) -> ReadAlong:
        readalong = await self.get(channel_id)
        await self._store.readalongs.stop(readalong.id)
        self._servers.pop(readalong.guild_id, None)
        log.info("read-along %d stopped", readalong.id)
        return readalong

    # --- posting -----------------------------------------------------------------------------

    async def due(self, now: datetime) -> list[Due]:
        """The parts due at or before `now`, one per read-along (after downtime: the one
        that fell due, late, not one per missed day)."""
        found = []
        for readalong in await self._store.readalongs.due(now):
            due = await self._next(readalong, now, readalong.next_due_at or now)
            if due is not None:
                found.append(due)
        return found

    async def post_now(self, channel_id: int, now: datetime) -> Due:
        """The next part, to post at once (ahead of its time); the schedule goes on as it was."""
        readalong = await self.get(channel_id)
        if not readalong.running:
            raise UserError(
                "That read-along is paused (or has posted every part): `/readalong resume` first."
            )
        due = await self._next(readalong, now, now)
        if due is None:
            raise UserError("Every part of that story was posted already.")
        return due

    async def _next(self, readalong: ReadAlong, now: datetime, due_at: datetime) -> Due | None:
        try:
            story, parts = self.parts_of(readalong)
        except ReadAlongGone as gone:
            await self._store.readalongs.pause(readalong.id, gone.user_message)
            log.warning("read-along %d paused: %s", readalong.id, gone.user_message)
            return None
        if readalong.next_part > len(parts):  # the text got shorter: nothing left to post
            await self._store.readalongs.skip(readalong, None)
            return None
        part = parts[readalong.next_part - 1]
        last = part.number == len(parts)
        return Due(readalong, story, part, due_at, is_late(due_at, now), last)

    async def claim(self, due: Due, now: datetime) -> bool:
        """Claim the part for posting here: True only for the one process whose claim took.
        The part after it is due at the schedule's next time after `now` (or the next part
        is still due when it was, for a part posted ahead of time)."""
        readalong = due.readalong
        if due.last:
            next_at = None
        elif readalong.next_due_at is not None and due.due_at < readalong.next_due_at:
            next_at = readalong.next_due_at  # posted ahead of time: the schedule stays
        else:
            next_at = next_due(due.schedule, max(now, due.due_at))
        return await self._store.readalongs.claim(
            readalong, due_at=due.due_at, next_due_at=next_at, now=now
        )

    async def posted(self, due: Due, message_id: int, thread_id: int | None) -> None:
        await self._store.readalongs.record_post(
            due.readalong.id, due.part.number, message_id, thread_id
        )

    async def failed(self, due: Due, reason: str) -> None:
        """The part could not be posted: it is the next part again, and the read-along is
        paused with `reason` (what `/readalong status` says, and the admin is told)."""
        readalong_id, part = due.readalong.id, due.part.number
        await self._store.readalongs.release(readalong_id, part, reason)
        log.warning("read-along %d paused at part %d: %s", readalong_id, part, reason)

    async def pause_for(self, readalong_id: int, reason: str) -> None:
        """Pause after something went wrong once a part was posted (its thread, say)."""
        if await self._store.readalongs.pause(readalong_id, reason):
            log.warning("read-along %d paused: %s", readalong_id, reason)

    async def upcoming(self, before: datetime) -> list[Upcoming]:
        """The running read-alongs with a part due before `before` (servers and times)."""
        return [
            Upcoming(readalong.guild_id, readalong.next_due_at)
            for readalong in await self._store.readalongs.due(before)
            if readalong.next_due_at is not None
        ]

    async def pause_unconfirmed(self, now: datetime) -> list[PartPost]:
        """Pause the read-alongs whose process stopped between claiming a part and posting
        it: whether Discord got the post is unknown, so nothing is posted twice on a guess;
        `/readalong status` says so, and `/readalong resume` posts the next part."""
        unknown = await self._store.readalongs.unconfirmed(now - UNCONFIRMED_AFTER)
        for post in unknown:
            await self.pause_for(
                post.readalong_id,
                f"part {post.part} may not have been posted: the bot stopped while posting it. "
                "Check the channel; `/readalong resume` goes on with the next part.",
            )
        return unknown

    # --- readers -----------------------------------------------------------------------------

    async def reader_place(self, user_id: int, story: Story) -> tuple[int | None, bool]:
        """The page index the reader is on in `story` (None if never opened), and whether
        they turned past its last page."""
        position = await self._store.get_position(user_id, story.id)
        if position is None:
            return None, False
        finished = await self._store.get_flag(user_id, finished_flag(story)) is not None
        return locate(story, position.place)[0].index, finished

    async def has_read(self, user_id: int, story: Story, part: Part) -> bool:
        place, finished = await self.reader_place(user_id, story)
        return has_read(part, place, finished=finished and part.last_page == len(story.pages) - 1)

    async def finished(self, user_id: int, story: Story, *, at: datetime) -> None:
        """The reader turned past the last page of `story`."""
        await self._store.set_flag(user_id, finished_flag(story), "1", asked_at=at)


def finished_flag(story: Story) -> str:
    return f"{FINISHED_FLAG_PREFIX}{story.id}"
