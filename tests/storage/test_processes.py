"""Two OS processes on one database, per backend: the same reader's page saves and bookmark
inserts at the limit from both at the same instant, many times, lose and double nothing; a
process killed (SIGKILL) mid-burst loses no write it had acknowledged."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bot.storage.records import MAX_BOOKMARKS_PER_STORY
from bot.storage.url import open_storage
from tests.storage.burst_worker import BOOKMARKS, SAVES, place

REPO = Path(__file__).resolve().parents[2]
ROUNDS = 25
INTERVAL_S = 0.2
STARTUP_S = 3.0  # both processes are up and have opened the database by then
KILL_AFTER = 300  # acknowledged saves before the SIGKILL


def start_worker(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.storage.burst_worker", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def said(output: str) -> list[dict[str, Any]]:
    """The JSON lines a worker printed (a line cut short by a kill is not one)."""
    lines = []
    for line in output.splitlines():
        try:
            lines.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return lines


def finish(worker: subprocess.Popen[str]) -> list[dict[str, Any]]:
    out, err = worker.communicate(timeout=180)
    assert worker.returncode == 0, err
    return said(out)


async def test_two_processes_racing_for_one_reader(database_url: str, tmp_path: Path) -> None:
    await (await open_storage(database_url, base=tmp_path)).close()  # migrated before
    start_at = time.time() + STARTUP_S
    workers = [
        start_worker("race", database_url, str(who), str(start_at), str(ROUNDS), str(INTERVAL_S))
        for who in (1, 2)
    ]
    outputs = [await asyncio.to_thread(finish, worker) for worker in workers]

    last_saves: dict[int, set[tuple[int, int]]] = {r: set() for r in range(ROUNDS)}
    acked_bookmarks: dict[int, set[int]] = {r: set() for r in range(ROUNDS)}
    refused: dict[int, int] = dict.fromkeys(range(ROUNDS), 0)
    for lines in outputs:
        saves = [line["save"] for line in lines if "save" in line]
        assert len(saves) == ROUNDS * SAVES  # every save acknowledged
        for user_id, who, turn in saves:
            if turn == SAVES - 1:
                last_saves[user_id].add((who, turn))
        for line in lines:
            if "bookmark" in line:
                user_id, bookmark_id = line["bookmark"]
                acked_bookmarks[user_id].add(bookmark_id)
            elif "limit" in line:
                refused[line["limit"]] += 1

    storage = await open_storage(database_url, base=tmp_path)
    try:
        for round_number in range(ROUNDS):
            position = await storage.get_position(round_number, "race")
            assert position is not None
            # The last write wins, and it is one of the two processes' last saves: a save
            # acknowledged after it never lost to an earlier one.
            finals = {place(who, round_number, turn) for who, turn in last_saves[round_number]}
            assert position.place in finals, f"round {round_number}"
            stored = {b.id for b in await storage.list_bookmarks(round_number, "race")}
            assert len(stored) == MAX_BOOKMARKS_PER_STORY, f"round {round_number}"
            assert stored == acked_bookmarks[round_number]
            assert refused[round_number] == 2 * BOOKMARKS - MAX_BOOKMARKS_PER_STORY
    finally:
        await storage.close()


def read_then_kill(worker: subprocess.Popen[str]) -> list[dict[str, Any]]:
    """Read acknowledgements until KILL_AFTER saves, SIGKILL the worker mid-burst, and return
    every acknowledgement it printed (those still in the pipe included)."""
    assert worker.stdout is not None
    lines: list[dict[str, Any]] = []
    saves = 0
    deadline = time.monotonic() + 120
    while saves < KILL_AFTER and time.monotonic() < deadline:
        line = worker.stdout.readline()
        if not line:
            break
        lines.extend(said(line))
        saves += "save" in lines[-1] if lines else 0
    os.kill(worker.pid, signal.SIGKILL)
    rest, err = worker.communicate(timeout=60)
    assert saves >= KILL_AFTER, err
    assert worker.returncode == -signal.SIGKILL
    return lines + said(rest)


async def test_a_killed_process_loses_no_acknowledged_write(
    database_url: str, tmp_path: Path
) -> None:
    await (await open_storage(database_url, base=tmp_path)).close()
    lines = await asyncio.to_thread(read_then_kill, start_worker("flood", database_url))
    acked_saves = {line["save"] for line in lines if "save" in line}
    acked_bookmarks = {line["bookmark"] for line in lines if "bookmark" in line}
    assert len(acked_saves) >= KILL_AFTER
    storage = await open_storage(database_url, base=tmp_path)
    try:
        stored = {p.user_id for p in await storage.positions_for_story("flood")}
        kept = {b.id for b in await storage.bookmarks_for_story("flood")}
    finally:
        await storage.close()
    assert acked_saves <= stored
    assert acked_bookmarks <= kept
