"""Benchmark: the pure side of search over War and Peace (medians of several runs).

    python -m bench.bench_search_core                     # War and Peace from the corpus
    python -m bench.bench_search_core path/to/text.txt --runs 9

Measures, for every paragraph of the text (loaded with `load_story`, not timed): folding and
`index_text` (what SQLite's FTS5 indexes), `tsvector_text` (what PostgreSQL stores), and for
scale an in-memory FTS5 table built from that index text (stdlib sqlite3, `FTS5_TOKENIZE`).
Then, per query of QUERIES: `parse_query`, the reference matcher over the whole text, and
`match_spans` + `snippet` for a hit (median over its first hits).
"""

from __future__ import annotations

import argparse
import functools
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bot.library.loader import load_story
from bot.library.search.engines import FTS5_TOKENIZE, to_fts5, tsvector_text
from bot.library.search.matching import match_spans, matches
from bot.library.search.query import Query, parse_query
from bot.library.search.snippet import snippet
from bot.library.search.words import index_text

WAR_AND_PEACE = (
    Path(__file__).resolve().parents[2] / "shared/texts/corpus/gutenberg/pg2600-war-and-peace.txt"
)
QUERIES = (
    "Natasha",
    "prince andrew",
    '"Anna Pávlovna"',
    "Rostóv*",
    "don't",
    "war -peace",
    '"the old prince" -Mary',
    "NEAR( col:x ^ AND OR NOT",
    "w" * 10_000,
)
SNIPPET_LIMIT = 300
HITS_PER_QUERY = 50


def median_time(function: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def scan_book(query: Query, texts: list[str]) -> list[bool]:
    return [matches(query, text) for text in texts]


def show_hit(query: Query, text: str) -> str:
    return snippet(text, match_spans(query, text), SNIPPET_LIMIT)


def build_fts5(indexed: list[str]) -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.execute(f'CREATE VIRTUAL TABLE hits USING fts5(body, tokenize="{FTS5_TOKENIZE}")')
    connection.executemany("INSERT INTO hits(body) VALUES (?)", ((text,) for text in indexed))
    return connection


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("path", nargs="?", type=Path, default=WAR_AND_PEACE)
    parser.add_argument("--runs", type=int, default=7, help="runs per measure (median reported)")
    args = parser.parse_args(argv)
    story = load_story(args.path)
    texts = [paragraph.text for scene in story.scenes for paragraph in scene.paragraphs]
    indexed = [index_text(text) for text in texts]
    print(f"{args.path.name}: {len(texts):,} paragraphs, {sum(map(len, texts)):,} characters")

    index = median_time(lambda: [index_text(text) for text in texts], args.runs)
    vectors = median_time(lambda: [tsvector_text(text) for text in texts], args.runs)
    fts5 = median_time(lambda: build_fts5(indexed).close(), args.runs)
    print(f"index_text, every paragraph: {index * 1000:.0f} ms")
    print(f"tsvector_text, every paragraph: {vectors * 1000:.0f} ms")
    print(f"FTS5 table from that index text (in memory): {fts5 * 1000:.0f} ms")

    connection = build_fts5(indexed)
    for typed in QUERIES:
        parse = median_time(functools.partial(parse_query, typed), args.runs * 20)
        query = parse_query(typed)
        shown = typed if len(typed) <= 30 else f"{typed[:12]}… ({len(typed):,} characters)"
        if query.is_empty:
            print(f"{shown!r}: parse {parse * 1e6:.0f} µs, nothing to look for")
            continue
        scan = median_time(functools.partial(scan_book, query, texts), args.runs)
        every_hit = [text for text in texts if matches(query, text)]
        hits = every_hit[:HITS_PER_QUERY]
        fts5_rows = connection.execute(
            "SELECT count(*) FROM hits WHERE hits MATCH ?", (to_fts5(query),)
        ).fetchone()[0]
        per_snippet = [
            median_time(functools.partial(show_hit, query, text), args.runs) for text in hits
        ]
        snippet_median = statistics.median(per_snippet) if per_snippet else 0.0
        print(
            f"{shown!r}: parse {parse * 1e6:.0f} µs | {fts5_rows:,} hits in FTS5, "
            f"{len(every_hit):,} by the reference, whose scan of the book takes "
            f"{scan * 1000:.0f} ms | match_spans + snippet "
            f"{snippet_median * 1e6:.0f} µs per hit (median of {len(hits)})"
        )
    print(f"medians of {args.runs} runs (parse: of {args.runs * 20})")


if __name__ == "__main__":
    main()
