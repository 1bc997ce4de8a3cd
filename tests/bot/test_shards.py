"""Two bot processes on one PostgreSQL: two StoryBots, each in its own OS process with its own
slice of the shards and its own simulated Discord (a SimCord environment), share one database.
A reader pressing Next in both at the same instant has each press move exactly one page from
the page it was on, round after round."""

from __future__ import annotations

import asyncio
import multiprocessing
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier as BarrierType
from pathlib import Path

import simcord

from bot.library.library import Library
from bot.library.loader import load_library
from bot.settings import Settings
from bot.storage.url import open_storage
from bot.ui.cooldowns import Cooldowns, per_reader
from tests.bot.harness import FAKE_TOKEN, Reader, message_of, place_of, saved_place, story_bot

SHARDS = 2
ROUNDS = 12
TIMEOUT_S = 120


def long_story(folder: Path) -> Library:
    """A story of 40 one-page scenes, so that many rounds of Next stay inside it."""
    folder.mkdir(parents=True, exist_ok=True)
    scenes = [f"Scene {n} begins here, and the keeper waits by the sea." for n in range(40)]
    (folder / "long.txt").write_text("\n\n\n".join(scenes) + "\n", encoding="utf-8")
    return load_library(folder)[0]


def run_side(
    shard: int, url: str, texts: Path, barrier: BarrierType, results: Queue[tuple[int, object]]
) -> None:
    """One bot process: its shard, a reader on a server of that shard, ROUNDS presses of Next
    each started together with the other process's; what the reader saw goes to `results`."""

    async def main() -> list[object]:
        library = load_library(texts)[0]
        store = await open_storage(url, base=texts)
        try:
            settings = Settings(
                token=FAKE_TOKEN, database_url=url, shard_count=SHARDS, shard_ids=(shard,)
            )
            unlimited = Cooldowns(commands=per_reader(1000, 1.0), pages=per_reader(1000, 1.0))
            bot = story_bot(settings, store, library, cooldowns=unlimited)
            shown: list[object] = []
            # Only the process holding shard 0 syncs the commands (they are global on
            # Discord); this one's own double is told to know them anyway.
            async with simcord.run(bot, strict_sync=shard == 0) as env:
                synced = [
                    e
                    for e in env.http_requests
                    if e.method == "PUT" and e.path.endswith("/commands")
                ]  # at start, before this double registers them itself on the first command
                # Ids are times: the first one of a given moment is the same in both
                # processes, so both have the same reader.
                await env.advance_time(5)
                alice = env.create_user("alice")
                guild = env.create_guild("readers", shard_id=shard)  # a server on this slice
                channel = guild.create_text_channel("books")
                reader = Reader(env, channel, guild.add_member(alice))
                page = message_of(await reader.read())
                for _ in range(ROUNDS):
                    barrier.wait(TIMEOUT_S)  # both processes press at once
                    shown.append(place_of(await reader.click(page, "Next")))
                shown.append(f"synced {len(synced)}")
            return shown
        finally:
            await store.close()

    try:
        results.put((shard, asyncio.run(main())))
    except BaseException as error:
        barrier.abort()
        results.put((shard, f"{type(error).__name__}: {error}"))


async def test_two_shard_processes_on_one_database_turn_one_page_per_press(
    postgres_url: str, tmp_path: Path
) -> None:
    texts = tmp_path / "texts"
    library = long_story(texts)
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(SHARDS)
    results: Queue[tuple[int, object]] = spawn.Queue()
    processes = [
        spawn.Process(target=run_side, args=(shard, postgres_url, texts, barrier, results))
        for shard in range(SHARDS)
    ]
    for process in processes:
        process.start()
    try:
        got = await asyncio.to_thread(lambda: [results.get(timeout=TIMEOUT_S) for _ in processes])
        outcome = dict(item for item in got if isinstance(item, tuple))
    finally:
        for process in processes:
            process.join(10)
            if process.is_alive():
                process.kill()
    expected = [f"Scene {n + 2}/40 · Page 1/1" for n in range(ROUNDS)]
    # Each press: exactly the page after the one it was on, in both processes; and only the
    # process holding shard 0 synced the commands.
    assert outcome == {0: [*expected, "synced 1"], 1: [*expected, "synced 0"]}
    store = await open_storage(postgres_url, base=tmp_path)
    try:
        # The same reader in both: one saved place, the page after the last one pressed on.
        [position] = await store.positions_for_story("long")
        assert await saved_place(store, position.user_id, library.get("long")) == (ROUNDS, 0)
    finally:
        await store.close()
