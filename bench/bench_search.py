"""Search through the storage, SQLite and PostgreSQL side by side in one run (medians).

    python -m bench.bench_search                       # War and Peace and a 50-book library
    python -m bench.bench_search --quick               # a smoke run: small books, few runs
    python -m bench.bench_search --backends sqlite
    python -m bench.bench_search --postgres-url postgresql://user:pw@host/db
        # a server where the bench may create (and drop) databases; without it the bench
        # starts a throwaway cluster of its own (durable: fsync on, as a real server)

Index: War and Peace (the corpus's, or `--book`) indexed into a new database, as a start
indexes a new or changed text (`Storage.search.index`: index text made in a thread, then one
transaction); the median of `--runs`.

Search: a library of `--books` books (the corpus's Gutenberg texts and tests/fixtures/books,
the same books again under other ids until there are enough) indexed once. Every book is
searched for each of QUERIES as `SearchService.search` answers a reader (the store's page of
hits and its counts, every hit checked, its snippet and page), twice: for a reader half way
through the book (hits within what they have read, those ahead counted) and for one who has
not started it (the whole book). Each search is timed: p50 and p99 of all, and per query.

Start: on that indexed library, nothing changed. The places reconciled, as setup_hook awaits
before the gateway connects, and then with the search's part added, which setup_hook only
starts (`start_sync`: a task); that background sync's own work is timed too (a new service
each time, as after a restart: every text hashed, one table read). Medians of `--runs`,
alternating which goes first.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import itertools
import logging
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from bot.library.anchors import anchor_of
from bot.library.library import Library
from bot.library.loader import load_story
from bot.library.model import Story
from bot.library.search import parse_query
from bot.services.holder import LibraryHolder
from bot.services.places import PlacesService
from bot.services.search import Scope, SearchService, index_digest, story_paragraphs
from bot.storage.interface import Storage
from bot.storage.url import open_storage
from tests.pg_server import create_database, drop_database, throwaway_server

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "texts" / "corpus" / "gutenberg"
FIXTURE_BOOKS = ROOT / "tests" / "fixtures" / "books"
WAR_AND_PEACE = CORPUS / "pg2600-war-and-peace.txt"
BACKENDS = ("sqlite", "postgresql")
QUERIES = (
    "the",  # in most paragraphs: every hit ranked
    "love",
    "said",
    "Natasha",
    "prince andrew",
    '"the old man"',
    "heart*",
    "don't",
    "night -day",
    '"I do not know"',
    "NEAR( col:x ^ AND OR NOT",
    "zzyzx",  # nowhere
)
HALF_WAY, NOT_STARTED = 1, 2  # the two readers


@dataclass(frozen=True, slots=True)
class Result:
    backend: str
    book: str
    index_s: float  # median
    library_books: int
    library_paragraphs: int
    library_s: float  # the whole library indexed, once
    searches_ms: list[float]
    per_query_ms: dict[str, list[float]]
    reconcile_ms: float  # median: what setup_hook awaited before search
    with_search_ms: float  # median: the same with the search's part of setup_hook
    sync_ms: float  # median: the background sync's own work, nothing changed

    @property
    def p50_ms(self) -> float:
        return percentile(self.searches_ms, 50)

    @property
    def p99_ms(self) -> float:
        return percentile(self.searches_ms, 99)


def percentile(values: list[float], rank: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[rank - 1]


def book_files() -> list[Path]:
    corpus = sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []
    return corpus + sorted(FIXTURE_BOOKS.glob("*.txt"))


def library_of(count: int, files: list[Path]) -> Library:
    """`count` books: each file loaded once, then again under other ids."""
    originals = [load_story(path) for path in files]
    stories = []
    for number, story in zip(range(count), itertools.cycle(originals), strict=False):
        copy = number // len(originals)
        story_id = story.id if copy == 0 else f"{story.id[:36]}-{copy}"
        stories.append(dataclasses.replace(story, id=story_id))
    return Library(stories)


@contextlib.contextmanager
def postgres_admin(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    with throwaway_server(durable=True) as server:
        yield server.url()


class Databases:
    """New, empty databases of one backend, each dropped (or deleted) afterwards."""

    def __init__(self, backend: str, folder: Path, admin_url: str | None) -> None:
        self.backend, self.folder, self.admin_url = backend, folder, admin_url
        self._made: list[str] = []

    async def new(self) -> str:
        if self.backend == "sqlite":
            url = f"sqlite:///{self.folder / f'bench-{len(self._made)}.db'}"
        else:
            assert self.admin_url is not None
            url = await create_database(self.admin_url)
        self._made.append(url)
        return url

    async def drop_all(self) -> None:
        if self.backend == "postgresql":
            assert self.admin_url is not None
            for url in self._made:
                await drop_database(self.admin_url, url)


async def timed(work: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await work()
    return time.perf_counter() - started


async def index_once(databases: Databases, book: Story) -> float:
    store = await open_storage(await databases.new(), base=databases.folder)
    try:
        paragraphs = story_paragraphs(book)
        digest = index_digest(book)
        return await timed(lambda: store.search.index(book.id, digest, paragraphs))
    finally:
        await store.close()


async def searches(store: Storage, library: Library) -> tuple[list[float], dict[str, list[float]]]:
    search = SearchService(store, LibraryHolder(library))
    moment = datetime.now(UTC)
    for story in library:
        middle = story.pages[len(story.pages) // 2]
        await store.save_position(HALF_WAY, story.id, anchor_of(story, middle), asked_at=moment)
    every: list[float] = []
    per_query: dict[str, list[float]] = {typed: [] for typed in QUERIES}
    for story, typed, reader in itertools.product(library, QUERIES, (HALF_WAY, NOT_STARTED)):
        work = partial(search.search, reader, story, parse_query(typed), scope=Scope.READ)
        spent = await timed(work)
        every.append(spent * 1000)
        per_query[typed].append(spent * 1000)
    return every, per_query


async def starts(store: Storage, library: Library, runs: int) -> tuple[float, float, float]:
    """Medians (ms) of: the places reconciled; the same with the search's part of
    setup_hook; the background sync alone (nothing changed)."""
    places = PlacesService(store)

    async def with_search() -> None:
        await places.reconcile(library)
        SearchService(store, LibraryHolder(library)).start_sync().cancel()

    async def background() -> None:
        await SearchService(store, LibraryHolder(library)).sync()

    alone: list[float] = []
    both: list[float] = []
    synced: list[float] = []
    for run in range(runs):
        order = [(alone, lambda: places.reconcile(library)), (both, with_search)]
        for kept, work in order if run % 2 == 0 else reversed(order):
            kept.append(await timed(work) * 1000)
        synced.append(await timed(background) * 1000)
    return statistics.median(alone), statistics.median(both), statistics.median(synced)


async def measure(
    backend: str, admin_url: str | None, book: Story, library: Library, runs: int
) -> Result:
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        databases = Databases(backend, Path(tmp), admin_url)
        try:
            index_s = statistics.median([await index_once(databases, book) for _ in range(runs)])
            store = await open_storage(await databases.new(), base=Path(tmp))
            try:
                search = SearchService(store, LibraryHolder(library))
                library_s = await timed(search.sync)
                every, per_query = await searches(store, library)
                reconcile_ms, with_search_ms, sync_ms = await starts(store, library, runs)
            finally:
                await store.close()
        finally:
            await databases.drop_all()
    paragraphs = sum(len(scene.paragraphs) for story in library for scene in story.scenes)
    return Result(
        backend, book.title, index_s, len(library), paragraphs, library_s, every, per_query,
        reconcile_ms, with_search_ms, sync_ms,
    )  # fmt: skip


def report(results: list[Result], runs: int) -> str:
    lines = []
    for result in results:
        searched = len(result.searches_ms)
        lines += [
            f"{result.backend}: index {result.book}: {result.index_s:.2f} s (median of {runs})",
            f"{result.backend}: {result.library_books} books, {result.library_paragraphs:,} "
            f"paragraphs, indexed in {result.library_s:.1f} s",
            f"{result.backend}: {searched:,} searches: p50 {result.p50_ms:.2f} ms, "
            f"p99 {result.p99_ms:.2f} ms, max {max(result.searches_ms):.2f} ms",
        ]
        for typed, spent in result.per_query_ms.items():
            shown = typed if len(typed) <= 26 else typed[:25] + "…"
            lines.append(
                f"    {shown!r:<30} p50 {percentile(spent, 50):6.2f} ms"
                f"   p99 {percentile(spent, 99):6.2f} ms"
            )
        lines.append(
            f"{result.backend}: start, nothing changed: places {result.reconcile_ms:.1f} ms, "
            f"with the search's part {result.with_search_ms:.1f} ms; the background sync "
            f"{result.sync_ms:.1f} ms (medians of {runs})"
        )
    return "\n".join(lines)


def run(
    backends: tuple[str, ...], book_path: Path, books: int, runs: int, postgres_url: str | None
) -> list[Result]:
    files = book_files()
    book = load_story(book_path)
    library = library_of(books, files)
    results = []
    for backend in backends:
        with contextlib.ExitStack() as stack:
            admin_url = None
            if backend == "postgresql":
                admin_url = stack.enter_context(postgres_admin(postgres_url))
            results.append(asyncio.run(measure(backend, admin_url, book, library, runs)))
        print(report(results[-1:], runs))
    return results


def main(argv: list[str] | None = None) -> list[Result]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--book", type=Path, default=WAR_AND_PEACE, help="the book indexed")
    parser.add_argument("--books", type=int, default=50, help="books in the library searched")
    parser.add_argument("--runs", type=int, default=5, help="runs of the index and start")
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    parser.add_argument("--postgres-url", help="a server where the bench may create databases")
    parser.add_argument("--quick", action="store_true", help="a small book, 3 books, 1 run")
    args = parser.parse_args(argv)
    book, books, runs = args.book, args.books, args.runs
    if args.quick:
        book, books, runs = FIXTURE_BOOKS / "pg2536-amphitryon.txt", 3, 1
    return run(tuple(args.backends), book, books, runs, args.postgres_url)


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    main()
