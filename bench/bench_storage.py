"""Page turns through the storage against raw single-statement upserts, both backends side
by side in one run.

    python -m bench.bench_storage                     # 5 rounds of 12,800 writes a side
    python -m bench.bench_storage --quick             # a smoke run
    python -m bench.bench_storage --postgres-url postgresql://user:pw@host/db
        # a server where the bench may create (and drop) databases; without it the bench
        # starts a throwaway cluster of its own (durable: fsync on, as a real server)

Store side: 64 readers (coroutines) each turning pages with `save_position`, which returns
once the write is committed; every call's latency is kept. Flat out, 64 readers at once
queue behind each other, so their latency is mostly that queue; the store is then also run
paced, at PACED_RATE page turns a second in all (readers turning a page every 64 ms), for
the latency of a page turn under a heavy but not saturating load. Raw side, on the same backend,
schema and row: SQLite, one sqlite3 connection committing one upsert per write as fast as a
thread can; PostgreSQL, the same 64 readers sending a plain upsert through an asyncpg pool
of the store's size (no erasure check, no records). Each round uses fresh databases; the
figures are medians over the rounds, sides alternating which goes first.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

from bot.library.anchors import Anchor
from bot.storage.interface import Storage
from bot.storage.postgres import DEFAULT_POOL_SIZE
from bot.storage.url import open_storage
from tests.pg_server import create_database, drop_database, throwaway_server

log = logging.getLogger(__name__)

STORY = "bench-story"
BACKENDS = ("sqlite", "postgresql")
PACED_RATE = 1_000  # page turns a second from all readers: 14 times the ~70/s of 10,000 readers
SQLITE_UPSERT = """
    INSERT INTO positions (user_id, story_id, scene, page, paragraph, char_offset, snippet,
        updated_at, notice)
    VALUES (?, ?, ?, NULL, ?, ?, ?, ?, NULL)
    ON CONFLICT (user_id, story_id) DO UPDATE SET
        scene = excluded.scene, page = NULL, paragraph = excluded.paragraph,
        char_offset = excluded.char_offset, snippet = excluded.snippet,
        updated_at = excluded.updated_at, notice = NULL
"""
POSTGRES_UPSERT = """
    INSERT INTO positions (user_id, story_id, scene, page, paragraph, char_offset, snippet,
        updated_at, notice)
    VALUES ($1, $2, $3, NULL, $4, $5, $6, now(), NULL)
    ON CONFLICT (user_id, story_id) DO UPDATE SET
        scene = EXCLUDED.scene, page = NULL, paragraph = EXCLUDED.paragraph,
        char_offset = EXCLUDED.char_offset, snippet = EXCLUDED.snippet,
        updated_at = EXCLUDED.updated_at, notice = NULL
"""


def page(turn: int, user_id: int) -> Anchor:
    return Anchor(turn, user_id % 7, 40 * (turn % 5), "It was a dark and stormy night;")


@dataclass(frozen=True, slots=True)
class Side:
    """One side of one round: writes per second, and call latencies in ms."""

    per_second: float
    p50_ms: float
    p99_ms: float


def measure(latencies: list[float], elapsed: float) -> Side:
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return Side(len(latencies) / elapsed, cuts[49] * 1000, cuts[98] * 1000)


def median_side(sides: list[Side]) -> Side:
    return Side(
        statistics.median(side.per_second for side in sides),
        statistics.median(side.p50_ms for side in sides),
        statistics.median(side.p99_ms for side in sides),
    )


@dataclass(frozen=True, slots=True)
class BackendResult:
    backend: str
    store: Side  # medians over the rounds: flat out
    paced: Side  # the store at PACED_RATE
    raw: Side
    rounds: int

    @property
    def ratio(self) -> float:
        return self.store.per_second / self.raw.per_second


async def readers(
    writers: int, turns: int, turn: Callable[[int, int], Awaitable[object]], every: float = 0.0
) -> Side:
    """`writers` concurrent readers, each calling `turn(user_id, n)` `turns` times: as fast
    as it can, or (`every` seconds apart, staggered) at a pace, as people read."""
    latencies: list[float] = []

    async def reader(user_id: int) -> None:
        due = time.perf_counter() + every * user_id / writers
        for n in range(turns):
            if every:
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                due += every
            started = time.perf_counter()
            await turn(user_id, n)
            latencies.append(time.perf_counter() - started)

    gc.collect()
    started = time.perf_counter()
    await asyncio.gather(*(reader(user_id) for user_id in range(writers)))
    return measure(latencies, time.perf_counter() - started)


async def store_side(
    url: str, folder: Path, writers: int, turns: int, paced_turns: int
) -> tuple[Side, Side]:
    """Flat out, then at PACED_RATE page turns a second in all."""
    storage: Storage = await open_storage(url, base=folder)
    try:

        async def turn(user_id: int, n: int) -> object:
            moment = datetime.now(UTC)
            return await storage.save_position(user_id, STORY, page(n, user_id), asked_at=moment)

        flat_out = await readers(writers, turns, turn)
        paced = await readers(writers, paced_turns, turn, every=writers / PACED_RATE)
        return flat_out, paced
    finally:
        await storage.close()


def sqlite_raw_side(path: Path, writes: int, writers: int) -> Side:
    conn = sqlite3.connect(path, isolation_level=None)  # autocommit: one commit per upsert
    try:
        conn.execute("PRAGMA synchronous = NORMAL")  # the store's settings (WAL: its migration)
        latencies = []
        gc.collect()
        started = time.perf_counter()
        for i in range(writes):
            begun = time.perf_counter()
            place = page(i // writers, i % writers)
            moment = datetime.now(UTC).isoformat(timespec="microseconds")
            values = (i % writers, STORY, place.scene, place.paragraph, place.offset)
            conn.execute(SQLITE_UPSERT, (*values, place.snippet, moment))
            latencies.append(time.perf_counter() - begun)
        return measure(latencies, time.perf_counter() - started)
    finally:
        conn.close()


async def postgres_raw_side(url: str, writers: int, turns: int) -> Side:
    pool = await asyncpg.create_pool(url, min_size=DEFAULT_POOL_SIZE, max_size=DEFAULT_POOL_SIZE)
    try:

        async def turn(user_id: int, n: int) -> object:
            place = page(n, user_id)
            values = (place.scene, place.paragraph, place.offset, place.snippet)
            return await pool.execute(POSTGRES_UPSERT, user_id, STORY, *values)

        return await readers(writers, turns, turn)
    finally:
        await pool.close()


async def migrated(url: str, folder: Path) -> None:
    await (await open_storage(url, base=folder)).close()


@dataclass(frozen=True, slots=True)
class Plan:
    writes: int  # per side and round
    writers: int
    paced_turns: int  # per reader, at PACED_RATE

    @property
    def turns(self) -> int:
        return self.writes // self.writers


Round = tuple[Side, Side, Side]  # store flat out, store paced, raw


async def sqlite_round(folder: Path, plan: Plan, raw_first: bool) -> Round:
    raw_path, store_url = folder / "raw.db", f"sqlite:///{folder / 'store.db'}"
    await migrated(f"sqlite:///{raw_path}", folder)
    if raw_first:
        raw = await asyncio.to_thread(sqlite_raw_side, raw_path, plan.writes, plan.writers)
    store, paced = await store_side(store_url, folder, plan.writers, plan.turns, plan.paced_turns)
    if not raw_first:
        raw = await asyncio.to_thread(sqlite_raw_side, raw_path, plan.writes, plan.writers)
    return store, paced, raw


async def postgres_round(admin_url: str, folder: Path, plan: Plan, raw_first: bool) -> Round:
    raw_url, store_url = await create_database(admin_url), await create_database(admin_url)
    try:
        await migrated(raw_url, folder)
        if raw_first:
            raw = await postgres_raw_side(raw_url, plan.writers, plan.turns)
        store, paced = await store_side(
            store_url, folder, plan.writers, plan.turns, plan.paced_turns
        )
        if not raw_first:
            raw = await postgres_raw_side(raw_url, plan.writers, plan.turns)
        return store, paced, raw
    finally:
        await drop_database(admin_url, raw_url)
        await drop_database(admin_url, store_url)


@contextlib.contextmanager
def postgres_admin(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    with throwaway_server(durable=True) as server:
        yield server.url()


def run(
    backends: tuple[str, ...], rounds: int, plan: Plan, postgres_url: str | None
) -> list[BackendResult]:
    results = []
    for backend in backends:
        measured: list[Round] = []
        with contextlib.ExitStack() as stack:
            if backend == "postgresql":
                admin_url = stack.enter_context(postgres_admin(postgres_url))
            for number in range(rounds):
                raw_first = number % 2 == 0
                with tempfile.TemporaryDirectory(prefix="bench-storage-") as tmp:
                    if backend == "sqlite":
                        one = asyncio.run(sqlite_round(Path(tmp), plan, raw_first))
                    else:
                        one = asyncio.run(postgres_round(admin_url, Path(tmp), plan, raw_first))
                measured.append(one)
                store, paced, raw = one
                print(
                    f"{backend} round {number + 1}: store {store.per_second:,.0f}/s "
                    f"(p99 {store.p99_ms:.1f} ms; paced p99 {paced.p99_ms:.1f} ms), "
                    f"raw {raw.per_second:,.0f}/s"
                )
        store, paced, raw = (median_side([one[n] for one in measured]) for n in range(3))
        results.append(BackendResult(backend, store, paced, raw, rounds))
    return results


def report(results: list[BackendResult]) -> str:
    lines = [f"{'backend':<11} {'side':<13} {'writes/s':>10} {'p50 ms':>8} {'p99 ms':>8}"]
    for result in results:
        sides = (
            ("store", result.store),
            (f"store {PACED_RATE:,}/s", result.paced),
            ("raw", result.raw),
        )
        for name, side in sides:
            lines.append(
                f"{result.backend:<11} {name:<13} {side.per_second:>10,.0f} "
                f"{side.p50_ms:>8.2f} {side.p99_ms:>8.2f}"
            )
        lines.append(
            f"{result.backend:<11} store/raw = {result.ratio:.2f}x (median of {result.rounds})"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[BackendResult]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--writes", type=int, default=12_800, help="writes per side per round")
    parser.add_argument("--writers", type=int, default=64, help="concurrent readers")
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    parser.add_argument("--postgres-url", help="a server where the bench may create databases")
    parser.add_argument("--quick", action="store_true", help="1 round of 1,280 writes")
    args = parser.parse_args(argv)
    rounds, writes, paced_turns = (1, 1_280, 4) if args.quick else (args.rounds, args.writes, 40)
    plan = Plan(writes, args.writers, paced_turns)
    results = run(tuple(args.backends), rounds, plan, args.postgres_url)
    print(report(results))
    return results


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    main()
