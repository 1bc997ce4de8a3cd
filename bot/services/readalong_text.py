"""What a read-along says: a part's post title, its thread's name, the word to a reader who
is behind, and the note on a part posted late. Pure text, Discord-ready: anything taken from
the story is escaped, and lengths are measured after escaping, as Discord counts them."""

from __future__ import annotations

from datetime import datetime

from bot.library.model import Story
from bot.library.parts import Part, still_to_read
from bot.library.places import place_label
from bot.library.render import discord_length, escape
from bot.library.wording import plural, truncate
from bot.services.schedule import Schedule, time_label

POST_TITLE_LIMIT = 256  # Discord's limit on an embed title
THREAD_NAME_LIMIT = 100  # and on a thread's name


def length_label(minutes: int) -> str:
    """`about 12 min`, or `under a minute` for a part with hardly any words."""
    return f"about {minutes} min" if minutes >= 1 else "under a minute"


def part_post_title(part: Part) -> str:
    """`Part 3 · Chapter 2: Riversong · Scene 1 · about 12 min`, escaped, within an embed
    title's limit (the part's title is cut to fit, its number and length never)."""
    prefix, suffix = f"Part {part.number} · ", f" · {length_label(part.minutes)}"
    room = POST_TITLE_LIMIT - len(prefix) - len(suffix)
    title = escape(part.title)
    cut = len(part.title)
    while discord_length(title) > room:  # cut the raw title, so that no escape is split
        cut -= max(1, (discord_length(title) - room) // 2)
        title = escape(truncate(part.title, cut))
    return f"{prefix}{title}{suffix}"


def thread_name(part: Part) -> str:
    """`Part 3 · discussion`: the part's number only, so that the name spoils nothing."""
    return f"Part {part.number} · discussion"


def discussion_opening(story: Story, part: Part) -> str:
    """The first message in a part's thread, which only those who have read the part see."""
    return (
        f"💬 **Part {part.number}** of “{escape(truncate(story.title, 200))}”: "
        f"{escape(truncate(part.title, 300))}.\n"
        "Everyone here has read this part. Readers are let in as they finish it, so talk "
        "freely about it; anything from later parts, please mark as a spoiler."
    )


def behind_message(story: Story, part: Part, place: int | None, *, discussing: int = 0) -> str:
    """For a reader who asked to join a part's discussion before reading it: how far they
    still have to go from their place (page index, None if they never opened the story), how
    many readers are discussing it, and how to catch up."""
    name = f"Part {part.number} ({escape(part.title)})"
    left = still_to_read(story, part, place)
    if left.pages == 0:
        return f"You have read {name}: the discussion is open to you."
    if place is None:
        where = f"You have not started “{escape(truncate(story.title, 100))}” yet."
    else:
        where = f"You are at {place_label(story, story.pages[place])}."
    minutes = f"about {plural(left.minutes, 'minute')}" if left.minutes else "under a minute"
    lines = [
        f"You still have {plural(left.pages, 'page')} to go, {minutes} of reading, "
        f"before the end of {name}. {where}",
    ]
    if discussing:
        verb = "is" if discussing == 1 else "are"
        lines.append(f"{plural(discussing, 'reader')} {verb} discussing it already.")
    lines.append("Read on from your place: you join the discussion once you finish the part.")
    return "\n".join(lines)


def late_notice(schedule: Schedule, due: datetime) -> str:
    """The line a part posted late carries: when it was due, in the schedule's own time."""
    local = due.astimezone(schedule.zone)
    day = f"{local:%A} {local.day} {local:%B}"
    return (
        f"This part was due on {day} at {time_label(local.time())} ({schedule.timezone} "
        "time), while the bot was offline: here it is, late."
    )
