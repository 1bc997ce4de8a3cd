"""Position writes through `ReadingStore` against raw sqlite3, on the same machine and run.

    python -m bench.bench_storage            # 5 rounds of 20,000 writes a side
    python -m bench.bench_storage --quick    # a smoke run

Raw side: one sqlite3 connection, one upsert then one commit per write, as fast as a single
thread can go. Store side: 64 coroutines (one reader each) calling `set_position`, which
returns only once the write is committed. Both use a fresh file in a temporary folder, the
same schema (the store's own migration), WAL and synchronous=NORMAL, and build the same row,
timestamp included.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sqlite3
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.storage import ReadingStore
from bot.storage.store import MIGRATIONS_DIR, load_migrations

log = logging.getLogger(__name__)

STORY = "bench-story"
UPSERT = """
    INSERT INTO positions (user_id, story_id, scene, page, updated_at, notice)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (user_id, story_id) DO UPDATE SET
        scene = excluded.scene, page = excluded.page,
        updated_at = excluded.updated_at, notice = excluded.notice
"""


@dataclass(frozen=True, slots=True)
class BenchResult:
    store_per_second: float  # medians over the rounds
    raw_per_second: float
    rounds: int

    @property
    def ratio(self) -> float:
        return self.store_per_second / self.raw_per_second


def raw_round(folder: Path, writes: int, writers: int) -> float:
    """Writes per second of raw sqlite3 upserts, each committed on its own."""
    conn = sqlite3.connect(folder / "raw.db")
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        for migration in load_migrations(MIGRATIONS_DIR):
            conn.executescript(migration.sql)
        start = time.perf_counter()
        for i in range(writes):
            now = datetime.now(UTC).isoformat(timespec="microseconds")
            conn.execute(UPSERT, (i % writers, STORY, i // writers, i % 7, now, None))
            conn.commit()
        elapsed = time.perf_counter() - start
    finally:
        conn.close()
    return writes / elapsed


async def _store_round(folder: Path, writes: int, writers: int) -> float:
    async with await ReadingStore.open(folder / "store.db") as store:

        async def reader(user_id: int) -> None:
            for turn in range(writes // writers):
                await store.set_position(user_id, STORY, turn, user_id % 7)

        start = time.perf_counter()
        async with asyncio.TaskGroup() as group:
            for user_id in range(writers):
                group.create_task(reader(user_id))
        elapsed = time.perf_counter() - start
    return writers * (writes // writers) / elapsed


def store_round(folder: Path, writes: int, writers: int) -> float:
    """Writes per second of `writers` concurrent readers calling `ReadingStore.set_position`."""
    return asyncio.run(_store_round(folder, writes, writers))


def run(rounds: int, writes: int, writers: int) -> BenchResult:
    store_rates, raw_rates = [], []
    for number in range(1, rounds + 1):
        with tempfile.TemporaryDirectory(prefix="bench-storage-") as tmp:
            raw_rates.append(raw_round(Path(tmp), writes, writers))
            store_rates.append(store_round(Path(tmp), writes, writers))
        print(f"round {number}: store {store_rates[-1]:,.0f}/s, raw {raw_rates[-1]:,.0f}/s")
    return BenchResult(statistics.median(store_rates), statistics.median(raw_rates), rounds)


def main(argv: list[str] | None = None) -> BenchResult:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--writes", type=int, default=20_000, help="writes per side per round")
    parser.add_argument("--writers", type=int, default=64, help="concurrent store writers")
    parser.add_argument("--quick", action="store_true", help="1 round of 1,280 writes")
    args = parser.parse_args(argv)
    rounds, writes = (1, 1_280) if args.quick else (args.rounds, args.writes)
    result = run(rounds, writes, args.writers)
    print(
        f"position writes: store {result.store_per_second:,.0f}/s vs raw "
        f"{result.raw_per_second:,.0f}/s = {result.ratio:.2f}x (median of {rounds})"
    )
    return result


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    main()
