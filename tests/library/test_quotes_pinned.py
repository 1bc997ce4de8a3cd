"""find_quotes gives, quote for quote, what it gave before it was rebuilt for speed.

The digests were taken with the single-module `bot/library/quotes.py` of commit c276506, the
last before the quotes package: for each text, how many quotes, a digest of their ids, texts,
places, scores and speakers in order, and a digest of their pages. A change meant to alter
the quotes should explain each difference, then pin the new digests. If only the pages
digest fails, paging moved the quotes, not quote finding.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import pytest

from bot.library.loader import load_story
from bot.library.quotes import find_quotes
from tests.corpus import SEED, corpus_files

PINNED = {
    "lay-your-heart-bare.txt": (43, "6317495c46aa60e3", "18a4c82d32769a42"),
    "ao3-218676-fire-and-feather.download.epub": (90, "66180b56492f9f19", "f889de4d027e5598"),
    "ao3-218676-fire-and-feather.download.html": (90, "66180b56492f9f19", "f889de4d027e5598"),
    "ao3-23009290-my-aim-is-steady-and-true.download.epub": (
        50, "6dcfc5e46bad63b0", "97055fa3185321c3"
    ),
    "ao3-23009290-my-aim-is-steady-and-true.download.html": (
        50, "6dcfc5e46bad63b0", "97055fa3185321c3"
    ),
    "ao3-23009290-my-aim-is-steady-and-true.workpage.html": (
        50, "6dcfc5e46bad63b0", "97055fa3185321c3"
    ),
    "ao3-23009290-my-aim-is-steady-and-true.texts-shape.txt": (
        50, "6dcfc5e46bad63b0", "97055fa3185321c3"
    ),
    "pg11-alice-in-wonderland.txt": (269, "e7f3c63d998cbefb", "107fadd313dadd0a"),
    "pg1952-the-yellow-wallpaper-legacy-2011.txt": (40, "b15629b1245f795d", "a85a804f76105722"),
    "pg1952-the-yellow-wallpaper.txt": (39, "d1e93069e209cf49", "eedca40a7441cea8"),
    "pg2600-war-and-peace.txt": (3348, "cf26b4fe9fc34cef", "edb031af65329f00"),
    # Dracula taken again with the old quote finder once Gutenberg books were read by their
    # letters and diary entries (its scenes moved; the quotes, their pages and scores did not).
    "pg345-dracula.txt": (998, "e7be45fb6f218b6f", "245070d76df2ac5a"),
}  # fmt: skip
CORPUS = [path for path in corpus_files() if path.name in PINNED]


def digest(items: Iterable[object]) -> str:
    hashed = hashlib.sha256()
    for item in items:
        hashed.update(repr(item).encode())
    return hashed.hexdigest()[:16]


def assert_pinned(path: Path) -> None:
    quotes = find_quotes(load_story(path))
    found = (
        len(quotes),
        digest((q.id, q.text, q.scene, q.paragraph, q.score, q.speaker) for q in quotes),
        digest(q.page for q in quotes),
    )
    assert found == PINNED[path.name]


def test_the_seed_gives_the_pinned_quotes() -> None:
    assert_pinned(SEED)


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS, reason="the shared corpus is not present")
@pytest.mark.parametrize("path", CORPUS, ids=[path.name for path in CORPUS])
def test_every_corpus_text_gives_the_pinned_quotes(path: Path) -> None:
    assert_pinned(path)
