"""Two bot processes on one PostgreSQL, both believing they serve the same server (a shard
handed over, say): every part of a read-along is posted exactly once between them."""

from __future__ import annotations

import asyncio
import multiprocessing
from datetime import datetime, timedelta
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier as BarrierType
from pathlib import Path
from zoneinfo import ZoneInfo

import discord
import simcord

from bot.library.loader import load_library
from bot.settings import Settings
from bot.storage.url import open_storage
from tests.bot.harness import FAKE_TOKEN, Reader, story_bot

PROCESSES = 2
DAYS = 6
TIMEOUT_S = 120
BERLIN = ZoneInfo("Europe/Berlin")
FIRST = datetime(2026, 1, 5, 20, 0, tzinfo=BERLIN)


def texts(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    chapters = [f"# Chapter {n}\n\nThe club reads chapter {n} together." for n in range(1, 12)]
    (folder / "club.md").write_text("\n\n".join(chapters) + "\n", encoding="utf-8")
    return folder


def run_side(
    index: int, url: str, folder: Path, barrier: BarrierType, results: Queue[tuple[int, object]]
) -> None:
    """One process: the same server as the other's (same ids: made in the same order at the
    same moments); process 0 starts the read-along; both run their schedules day by day."""

    async def main() -> tuple[int, list[int]]:
        library = load_library(folder)[0]
        store = await open_storage(url, base=folder)
        try:
            settings = Settings(token=FAKE_TOKEN, database_url=url, shard_count=1)
            # Both share one database, where the commands' hash says they were synced: this
            # process's own double registers them itself when they are used.
            bot = story_bot(settings, store, library)
            async with simcord.run(bot, strict_sync=False) as env:
                await env.advance_time(5)  # ids carry the time: the same moment in both
                guild = env.create_guild("club")
                admins = guild.create_role(
                    "Admins", permissions=discord.Permissions(administrator=True)
                )
                channel = guild.create_text_channel("reading")
                admin = Reader(
                    env, channel, guild.add_member(env.create_user("admin"), roles=[admins])
                )
                env.backend.advance_clock((FIRST - timedelta(hours=2) - env.now()).total_seconds())
                if index == 0:
                    await admin.slash(
                        "readalong start",
                        story="club",
                        channel=channel,
                        time="20:00",
                        timezone="Europe/Berlin",
                    )
                barrier.wait(TIMEOUT_S)  # the read-along exists for both
                for day in range(DAYS):
                    due = FIRST + timedelta(days=day)
                    await env.advance_time((due - timedelta(minutes=1) - env.now()).total_seconds())
                    barrier.wait(TIMEOUT_S)  # both reach the due time together
                    await env.advance_time(120)
                return channel.id, [
                    int((message.embeds[0].title or "").split(" · ")[0].removeprefix("Part "))
                    for message in channel.history()
                    if message.embeds and (message.embeds[0].title or "").startswith("Part ")
                ]
        finally:
            await store.close()

    try:
        results.put((index, asyncio.run(main())))
    except BaseException as error:
        barrier.abort()
        results.put((index, f"{type(error).__name__}: {error}"))


async def test_two_processes_post_each_part_once(postgres_url: str, tmp_path: Path) -> None:
    folder = texts(tmp_path / "texts")
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(PROCESSES)
    results: Queue[tuple[int, object]] = spawn.Queue()
    processes = [
        spawn.Process(target=run_side, args=(index, postgres_url, folder, barrier, results))
        for index in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    try:
        got = await asyncio.to_thread(lambda: [results.get(timeout=TIMEOUT_S) for _ in processes])
    finally:
        for process in processes:
            process.join(10)
            if process.is_alive():
                process.kill()
    everything: list[int] = []
    channels = set()
    for _, outcome in sorted(got):
        assert isinstance(outcome, tuple), outcome  # else: what went wrong in that process
        channel_id, parts = outcome
        channels.add(channel_id)
        everything.extend(parts)
    assert len(channels) == 1  # the same server and channel, in both processes' worlds
    assert sorted(everything) == list(range(1, DAYS + 1))  # each part once, none missed
