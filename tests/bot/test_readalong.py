"""Read-alongs through the dispatch, with SimCord's clock moved: parts on time across a DST
change, a restart and downtime (none missed, none doubled), who gets into which discussion,
and permissions taken away mid-way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import discord
import pytest
import simcord
from simcord.backend.models.channel import Overwrite
from simcord.enums import OverwriteType

from bot.client import StoryBot
from bot.errors import UserError
from bot.library.library import Library
from bot.settings import Settings
from bot.storage.interface import Storage
from tests.bot.harness import (
    SEED_ID,
    Reader,
    embed_of,
    expect_errors,
    message_of,
    place_of,
    story_bot,
    text_of,
    texts_library,
)

BERLIN = ZoneInfo("Europe/Berlin")
CHAPTERS = 10
# Europe/Berlin's clocks go forward on Sunday 29 March 2026 at 02:00.
MORNING_BEFORE = datetime(2026, 3, 25, 9, 0, tzinfo=UTC)


def club_story() -> str:
    chapters = []
    for number in range(1, CHAPTERS + 1):
        paragraphs = [
            f"Chapter {number} begins: the club meets again, and the keeper tells the "
            f"{number}th tale of the lighthouse by the sea, slowly."
            for _ in range(3)
        ]
        chapters.append(f"# Chapter {number}\n\n" + "\n\n".join(paragraphs))
    return "---\ntitle: The Keeper's Tales\nauthor: A. Reader\n---\n\n" + "\n\n".join(chapters)


@pytest.fixture
def library(tmp_path: Path) -> Library:
    return texts_library(tmp_path / "texts", extra={"keeper.md": club_story()})


@pytest.fixture
def admin(env: simcord.Env, channel: simcord.ChannelHandle) -> Reader:
    role = env.guild.create_role("Admins", permissions=discord.Permissions(administrator=True))
    return Reader(env, channel, env.guild.add_member(env.create_user("admin"), roles=[role]))


def part_posts(channel: simcord.ChannelHandle) -> list[discord.Message]:
    """The parts posted in `channel`, oldest first."""
    return [
        message
        for message in channel.history()  # oldest first
        if message.embeds and (message.embeds[0].title or "").startswith("Part ")
    ]


def part_titles(channel: simcord.ChannelHandle) -> list[str]:
    return [(message.embeds[0].title or "").split(" · ")[0] for message in part_posts(channel)]


async def until(env: simcord.Env, moment: datetime) -> None:
    """Move SimCord's clock (and the bot's timers) on to `moment`."""
    seconds = (moment - env.now()).total_seconds()
    if seconds > 0:
        await env.advance_time(seconds)


async def jump_to(env: simcord.Env, moment: datetime) -> None:
    """Set the wall clock to `moment` without running timers (the bot is about to start)."""
    env.backend.advance_clock((moment - env.now()).total_seconds())


async def start(admin: Reader, **options: object) -> simcord.InteractionResult:
    return await admin.slash(
        "readalong start",
        story="keeper",
        channel=admin.channel,
        time="20:00",
        timezone="Europe/Berlin",
        **options,
    )


def local(message: discord.Message) -> datetime:
    return message.created_at.astimezone(BERLIN)


async def test_a_week_of_parts_across_dst_a_restart_and_downtime(
    env: simcord.Env,
    admin: Reader,
    settings: Settings,
    store: Storage,
    library: Library,
) -> None:
    await jump_to(env, MORNING_BEFORE)
    started = await start(admin)
    assert "will be read along in" in text_of(started)
    assert message_of(started).ephemeral
    channel = admin.channel

    days = [datetime(2026, 3, 25 + n, 20, 0, tzinfo=BERLIN) for n in range(7)]
    for day, due in enumerate(days[:3]):
        await until(env, due - timedelta(minutes=1))
        assert len(part_posts(channel)) == day  # not early
        await until(env, due + timedelta(minutes=1))
        assert part_titles(channel) == [f"Part {n}" for n in range(1, day + 2)]

    # The bot restarts mid-week (a new instance on the same database): nothing doubles.
    await env.restart_bot(story_bot(settings, store, library))
    for day, due in enumerate(days[3:5], start=3):
        await until(env, due + timedelta(minutes=1))
        assert part_titles(channel) == [f"Part {n}" for n in range(1, day + 2)]

    # Down while part 6 falls due (Monday 30 March, after the clocks went forward): it is
    # posted once, late, when the bot is back, saying so; part 7 comes on time after it.
    await jump_to(env, days[5] + timedelta(hours=3))
    await env.restart_bot(story_bot(settings, store, library))
    await env.advance_time(60)
    posts = part_posts(channel)
    assert part_titles(channel) == [f"Part {n}" for n in range(1, 7)]
    assert "late" in (posts[-1].embeds[0].description or "")
    await until(env, days[6] + timedelta(minutes=1))
    posts = part_posts(channel)
    assert part_titles(channel) == [f"Part {n}" for n in range(1, 8)]

    # Every part on time was posted at 20:00 in Berlin, both sides of the change.
    on_time = [message for index, message in enumerate(posts) if index != 5]
    assert {(local(message).hour, local(message).minute) for message in on_time} == {(20, 0)}
    assert {local(message).utcoffset() for message in posts[:4]} == {timedelta(hours=1)}
    assert {local(message).utcoffset() for message in posts[4:]} == {timedelta(hours=2)}

    status = embed_of(await admin.slash("readalong status"))
    fields = {field.name: field.value or "" for field in status.fields}
    assert fields["Last part"].startswith("Part 7: Chapter 7")
    assert fields["Next part"].startswith("Part 8: Chapter 8")


async def test_who_gets_into_which_discussion(
    env: simcord.Env,
    admin: Reader,
    channel: simcord.ChannelHandle,
    library: Library,
) -> None:
    await jump_to(env, MORNING_BEFORE)
    await start(admin, part="chapter")
    ahead = Reader.join(env, channel, "ahead")
    halfway = Reader.join(env, channel, "halfway")
    Reader.join(env, channel, "new")  # never opens the story
    new = Reader.join(env, channel, "late-comer")
    story = library.get("keeper")
    await ahead.slash("goto", story="keeper", chapter=3, scene=1)  # past part 1
    await halfway.read(story="keeper")  # on part 1's first page
    await until(env, datetime(2026, 3, 25, 20, 1, tzinfo=BERLIN))
    [post] = part_posts(channel)

    joined = await ahead.click(post, "Join the discussion")
    assert "You're in" in text_of(joined)
    behind = await halfway.click(post, "Join the discussion")
    assert "You still have" in text_of(behind)
    assert "1 reader is discussing it already" in text_of(behind)
    fresh = await new.click(post, "Join the discussion")
    assert "You have not started" in text_of(fresh)
    threads = channel.threads
    assert len(threads) == 1
    thread = threads[0]
    assert thread.name == "Part 1 · discussion"  # no spoiler in its name
    [opening] = thread.history()  # inside, where only those who read it are, it says which
    assert opening.content.startswith("💬 **Part 1** of “The Keeper's Tales”: Chapter 1")

    # Pages of another story in the server concern none of its read-alongs.
    elsewhere = await halfway.read(story=SEED_ID)
    first_place = place_of(elsewhere)
    assert place_of(await halfway.turn(message_of(elsewhere))) != first_place
    await env.settle()
    assert halfway.id not in env.backend.get_channel(thread.id).thread_members

    # Reading on through the bot: finishing part 1 opens its discussion.
    opened = await halfway.read(story="keeper")
    assert place_of(opened).startswith("Chapter 1")
    turned = await halfway.turn(message_of(opened))
    assert place_of(turned).startswith("Chapter 2")
    await env.settle()
    member_ids = set(env.backend.get_channel(thread.id).thread_members)
    assert {ahead.id, halfway.id} <= member_ids
    assert new.id not in member_ids

    # Read opens the part's first page privately, as the presser's own reading.
    opened = await new.click(post, "Read")
    assert message_of(opened).ephemeral
    assert place_of(opened).startswith("Chapter 1")
    assert story.pages[0].index == 0


async def test_permissions_taken_away_pause_it_and_the_admin_is_told(
    env: simcord.Env,
    admin: Reader,
    channel: simcord.ChannelHandle,
    simcord_bot: StoryBot,
) -> None:
    await jump_to(env, MORNING_BEFORE)
    await start(admin)
    await until(env, datetime(2026, 3, 25, 20, 1, tzinfo=BERLIN))
    assert part_titles(channel) == ["Part 1"]
    bot_id = env.backend.bot_user.id
    deny = discord.Permissions(send_messages=True).value
    env.backend.set_overwrite(
        channel.id, Overwrite(target_id=bot_id, type=OverwriteType.MEMBER, allow=0, deny=deny)
    )
    await until(env, datetime(2026, 3, 26, 20, 1, tzinfo=BERLIN))
    assert part_titles(channel) == ["Part 1"]  # not posted, and not lost:
    status = embed_of(await admin.slash("readalong status"))
    fields = {field.name: field.value or "" for field in status.fields}
    assert "could not be posted" in fields["Paused"]
    assert fields["Next part"].startswith("Part 2")
    dm = simcord.ChannelHandle(env, None, env.backend.get_dm_channel(admin.id))
    [told] = [message.content for message in dm.history()]
    assert "is paused" in told
    assert "/readalong resume" in told
    # Put right, then resumed: part 2 comes at the next time.
    env.backend.delete_overwrite(channel.id, bot_id)
    await admin.slash("readalong resume")
    await until(env, datetime(2026, 3, 27, 20, 1, tzinfo=BERLIN))
    assert part_titles(channel) == ["Part 1", "Part 2"]


async def test_setting_up_says_what_is_missing(
    env: simcord.Env, admin: Reader, channel: simcord.ChannelHandle
) -> None:
    bot_id = env.backend.bot_user.id
    deny = discord.Permissions(create_private_threads=True, embed_links=True).value
    env.backend.set_overwrite(
        channel.id, Overwrite(target_id=bot_id, type=OverwriteType.MEMBER, allow=0, deny=deny)
    )
    refused = await start(admin)
    assert "Embed Links" in text_of(refused)
    assert "Create Private Threads" in text_of(refused)
    bad_zone = await admin.slash(
        "readalong start", story="keeper", channel=channel, time="20:00", timezone="Mars/Base"
    )
    assert "Mars/Base" in text_of(bad_zone)
    # Hidden from members without Manage Server; and where a server shows it to one anyway,
    # the command itself still says no.
    registered = env.backend.commands[None][("readalong", 1)]
    manage_guild = discord.Permissions(manage_guild=True).value
    assert int(registered["default_member_permissions"]) == manage_guild
    reader = Reader.join(env, channel, "reader")
    env.guild.set_command_permissions(int(registered["id"]), {reader.actor: True})
    denied = await reader.slash(
        "readalong start", story="keeper", channel=channel, time="20:00", timezone="UTC"
    )
    assert text_of(denied) == "You need these permissions: Manage Server."
    for steering in ("pause", "resume", "skip", "post-now", "stop"):
        refused = await reader.slash(f"readalong {steering}", channel=channel)
        assert text_of(refused) == "You need these permissions: Manage Server.", steering
    expect_errors(env, UserError, Exception, Exception, *[Exception] * 5)


async def test_a_part_pings_its_role_and_nobody_else(
    env: simcord.Env, admin: Reader, channel: simcord.ChannelHandle
) -> None:
    readers = env.guild.create_role("Book club")
    await jump_to(env, MORNING_BEFORE)
    await start(admin, role=readers)
    await until(env, datetime(2026, 3, 25, 20, 1, tzinfo=BERLIN))
    [post] = part_posts(channel)
    assert post.content == readers.mention
    assert post.raw_role_mentions == [readers.id]
    assert not post.mention_everyone
    # Only that role could be pinged (the env fixture checks every request's allowed_mentions,
    # and lets a read-along's post ping its own role alone).
    [sent] = [
        e.json
        for e in env.http_requests
        if e.method == "POST" and e.path == f"/channels/{channel.id}/messages"
    ]
    assert sent is not None
    assert sent["allowed_mentions"] == {"parse": [], "roles": [readers.id]}
    embed = post.embeds[0]
    assert embed.title == "Part 1 · Chapter 1 · about 1 min"
    assert len(embed) <= 6000


async def test_a_quiet_weeks_discussion_and_a_stopped_read_along(
    env: simcord.Env, admin: Reader, channel: simcord.ChannelHandle
) -> None:
    """Discord archives a thread after a quiet week: a reader who catches up still gets in.
    Once the read-along is stopped, its posts' buttons say so."""
    await jump_to(env, MORNING_BEFORE)
    await start(admin, part="chapter")
    await until(env, datetime(2026, 3, 25, 20, 1, tzinfo=BERLIN))
    [post] = part_posts(channel)
    [thread] = channel.threads
    env.backend.edit_channel(thread.id, {}, thread_metadata={"archived": True})
    await env.settle()
    late = Reader.join(env, channel, "late")
    await late.slash("goto", story="keeper", chapter=2, scene=1)  # part 1 read
    joined = await late.click(post, "Join the discussion")
    assert "You're in" in text_of(joined)
    assert late.id in env.backend.get_channel(thread.id).thread_members
    metadata = env.backend.get_channel(thread.id).thread_metadata
    assert metadata is not None
    assert not metadata.archived

    stopped = await admin.slash("readalong stop", channel=channel)
    assert "their buttons say it has ended" in text_of(stopped)
    ended = await late.click(post, "Read")
    assert text_of(ended).startswith("This read-along has ended")
    assert message_of(ended).ephemeral


async def test_a_reader_who_finished_in_a_dm_may_join_the_last_part(
    env: simcord.Env, admin: Reader, channel: simcord.ChannelHandle
) -> None:
    """Adult stories are read in DMs: finishing the story there counts for the last part."""
    await jump_to(env, MORNING_BEFORE)
    await start(admin, part="chapter")
    for _ in range(CHAPTERS - 1):
        await admin.slash("readalong skip", channel=channel)
    await admin.slash("readalong post-now", channel=channel)
    [post] = part_posts(channel)
    user = env.create_user("night-owl")
    member = Reader(env, channel, env.guild.add_member(user))
    last_page = await user.slash("goto", story="keeper", chapter=CHAPTERS, scene=1)
    assert message_of(last_page).ephemeral
    await env.advance_time(2.5)
    ending = await user.click(message_of(last_page), label="Next")
    assert "Start again" in str(message_of(ending).components)
    joined = await member.click(post, "Join the discussion")
    assert "You're in" in text_of(joined)
