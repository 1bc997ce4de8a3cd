"""Benchmark: load and page stories, against a naive split-escape-pack in the same run.

    python -m bench.bench_library                      # the seed
    python -m bench.bench_library path/to/big.txt      # plus any text, e.g. War and Peace

Reports the median wall time of several runs and the peak memory traced by tracemalloc (in a
separate run, since tracing slows the code down), as a ratio of the file's size, and the median
time `find_quotes` takes over the loaded story (what the first `/quote` after a start waits for).
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.library.loader import load_story
from bot.library.quotes import find_quotes
from bot.library.render import escape

SEED = Path(__file__).resolve().parents[1] / "texts" / "lay-your-heart-bare.txt"


@dataclass(frozen=True)
class Result:
    name: str
    size: int
    median_s: float
    naive_median_s: float
    peak_bytes: int
    pages: int
    quotes: int
    quotes_median_s: float


def naive_load(path: Path) -> int:
    """The floor to compare with: decode, split, escape and pack greedily. Returns pages."""
    text = path.read_bytes().decode("utf-8-sig", errors="replace").replace("\r\n", "\n")
    pages, used = 1, 0
    for scene in re.split(r"\n{3,}", text):
        for paragraph in scene.split("\n\n"):
            length = len(escape(paragraph)) + 2
            if used + length > 4096:
                pages, used = pages + 1, 0
            used += length
        pages, used = pages + 1, 0
    return pages


def median_time(function: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bench(path: Path, runs: int) -> Result:
    story = load_story(path)
    median = median_time(lambda: load_story(path), runs)
    naive = median_time(lambda: naive_load(path), runs)
    tracemalloc.start()
    load_story(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    quotes = len(find_quotes(story))
    quotes_median = median_time(lambda: find_quotes(story), runs)
    return Result(
        path.name, path.stat().st_size, median, naive, peak, story.page_count, quotes, quotes_median
    )


def main(argv: list[str] | None = None) -> list[Result]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "paths", nargs="*", type=Path, help="more texts to load (e.g. War and Peace)"
    )
    parser.add_argument("--runs", type=int, default=7, help="runs per measure (median reported)")
    args = parser.parse_args(argv)
    results = [bench(path, args.runs) for path in [SEED, *args.paths]]
    for r in results:
        print(
            f"{r.name}: {r.size:,} bytes, {r.pages:,} pages | load+page median {r.median_s:.3f} s "
            f"(naive {r.naive_median_s:.3f} s, {r.median_s / r.naive_median_s:.1f}x) | "
            f"peak traced memory {r.peak_bytes / 1e6:.1f} MB = {r.peak_bytes / r.size:.1f}x file "
            f"| {r.quotes:,} quotes found in median {r.quotes_median_s:.3f} s "
            f"| median of {args.runs}"
        )
    return results


if __name__ == "__main__":
    main()
