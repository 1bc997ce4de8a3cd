"""The Gutenberg books of the shared corpus (skipped when it is absent): their structure, and
nothing of their bodies lost (read as in test_gutenberg_books.py)."""

from __future__ import annotations

import pytest

from bot.library.documents import parse_document
from bot.library.model import Document
from bot.library.story import build_story
from bot.library.text import decode_text
from tests.library.formats.gutenberg_words import (
    body_text,
    document_words,
    lost_words,
    without,
    without_illustrations,
    words,
)
from tests.library.formats.helpers import CORPUS, requires_corpus
from tests.library.invariants import assert_story_invariants

pytestmark = [pytest.mark.corpus, requires_corpus]

GUTENBERG = CORPUS / "gutenberg"
TITLE_PAGE = r"\A.*?(?={})"
# What the parser leaves out on purpose: title pages, contents lists, what follows THE END.
LEFT_OUT = {
    "pg11-alice-in-wonderland.txt": (TITLE_PAGE.format(r"CHAPTER I\.\nDown"),),
    "pg1952-the-yellow-wallpaper.txt": (TITLE_PAGE.format("It is very seldom"),),
    "pg1952-the-yellow-wallpaper-legacy-2011.txt": (TITLE_PAGE.format("It is very seldom"),),
    "pg2600-war-and-peace.txt": (TITLE_PAGE.format(r"BOOK ONE: 1805\n\n\n"),),
    "pg345-dracula.txt": (
        TITLE_PAGE.format("How these papers"),
        r"\n\s*DRACULA\s*\n(?=\s*CHAPTER I\n)",
        r"(?<=THE END\n).*",
    ),
}


def parsed(name: str) -> Document:
    return parse_document(name, (GUTENBERG / name).read_bytes())


@pytest.mark.parametrize("name", sorted(LEFT_OUT))
def test_nothing_of_the_body_is_lost(name: str) -> None:
    body = without_illustrations(body_text(decode_text((GUTENBERG / name).read_bytes())[0]))
    for pattern in LEFT_OUT[name]:
        body = without(body, pattern)
    lost = lost_words(words(body), document_words(parsed(name)))
    assert not lost.missing, [lost.text_around(index) for index in lost.missing[:5]]


@pytest.mark.parametrize("name", sorted(LEFT_OUT))
def test_every_page_fits(name: str) -> None:
    assert_story_invariants(build_story("corpus", parsed(name)))


def test_war_and_peace_has_fifteen_books_and_two_epilogues() -> None:
    titles = [chapter.title or "" for chapter in parsed("pg2600-war-and-peace.txt").chapters]
    parts = list(dict.fromkeys(title.split(" · ", 1)[0] for title in titles))
    assert len(titles) == 365
    assert parts[0] == "Book One: 1805"
    assert parts[14] == "Book Fifteen: 1812 - 13"
    assert parts[15:] == ["First Epilogue: 1813 - 20", "Second Epilogue"]
    assert all(part.startswith("Book ") for part in parts[:15])


def test_dracula_keeps_what_its_headings_add_to_the_contents_titles() -> None:
    titles = [chapter.title for chapter in parsed("pg345-dracula.txt").chapters]
    assert titles[1] == "Chapter II: Jonathan Harker’s Journal--continued"
    assert titles[23] == "Chapter XXIV: Dr. Seward’s Phonograph Diary, spoken by Van Helsing"
