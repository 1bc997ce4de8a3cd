"""A second OS process for the storage tests: writes through the storage as a bot process
would, and prints one JSON line per write the storage acknowledged (after it returned).

    python -m tests.storage.burst_worker race URL NAME START_AT ROUNDS INTERVAL
    python -m tests.storage.burst_worker flood URL

race: round r starts at START_AT + r * INTERVAL (a wall-clock moment both processes share);
in it, reader r's page is saved SAVES times in a row and BOOKMARKS bookmarks are added for
reader r at once. flood: distinct readers' saves and bookmarks from many tasks, until killed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time
from pathlib import Path

from bot.library.anchors import Anchor
from bot.storage.errors import BookmarkLimitReached
from bot.storage.interface import Storage
from bot.storage.url import open_storage
from tests.storage.helpers import now

SAVES = 10
BOOKMARKS = 15  # from each of two processes: 30 tries at a limit of 25
FLOOD_TASKS = 16


def say(**fields: object) -> None:
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def place(who: int, round_number: int, turn: int) -> Anchor:
    return Anchor(round_number, who, turn, f"{who}:{round_number}:{turn}")


async def race(storage: Storage, who: int, start_at: float, rounds: int, interval: float) -> None:
    async def save_pages(user_id: int) -> None:
        for turn in range(SAVES):
            saved = await storage.save_position(
                user_id, "race", place(who, user_id, turn), asked_at=now()
            )
            if saved is not None:
                say(save=[user_id, who, turn])

    async def add_bookmark(user_id: int, number: int) -> None:
        try:
            added = await storage.add_bookmark(
                user_id, "race", place(who, user_id, number), None, asked_at=now()
            )
        except BookmarkLimitReached:
            say(limit=user_id)
            return
        if added is not None:
            say(bookmark=[user_id, added.id])

    for round_number in range(rounds):
        await asyncio.sleep(max(0.0, start_at + round_number * interval - time.time()))
        await asyncio.gather(
            save_pages(round_number),
            *(add_bookmark(round_number, number) for number in range(BOOKMARKS)),
        )


async def flood(storage: Storage) -> None:
    async def writer(task: int) -> None:
        for turn in range(10**9):
            user_id = turn * FLOOD_TASKS + task
            if await storage.save_position(user_id, "flood", place(0, 0, turn), asked_at=now()):
                say(save=user_id)
            if turn % 4 == 0:
                added = await storage.add_bookmark(
                    user_id, "flood", place(0, 0, turn), None, asked_at=now()
                )
                if added is not None:
                    say(bookmark=added.id)

    say(ready=True)
    await asyncio.gather(*(writer(task) for task in range(FLOOD_TASKS)))


async def main(argv: list[str]) -> None:
    mode, url = argv[0], argv[1]
    storage = await open_storage(url, base=Path.cwd())
    try:
        if mode == "race":
            await race(storage, int(argv[2]), float(argv[3]), int(argv[4]), float(argv[5]))
        else:
            await flood(storage)
    finally:
        await storage.close()
    say(done=True)


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main(sys.argv[1:]))
