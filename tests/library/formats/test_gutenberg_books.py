"""Real Project Gutenberg books of many shapes (tests/fixtures/books, see PROVENANCE.md there).

Each book's chapter count is the one its own contents list gives (or, without a list, its
headings counted by reading the book), and nothing of its body may be lost: every word, in
order, outside the licence, the contents list, illustration markers and the title page (the
parts named below, which the parser leaves out on purpose), is in the parsed book; every
page is within Discord's limits.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.library.documents import parse_document
from bot.library.formats import count_parts_and_chapters
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
from tests.library.formats.helpers import REPO_ROOT, assert_document_ok, texts
from tests.library.invariants import assert_story_invariants

BOOKS = REPO_ROOT / "tests" / "fixtures" / "books"
# From the top to where the book's own words begin.
TITLE_PAGE = r"\A.*?(?={})"


@dataclass(frozen=True)
class Book:
    name: str
    parts: int
    chapters: int  # as the book's contents list counts them (see `why`)
    first: str | None  # the first chapter's title
    last: str | None  # the last chapter's title
    left_out: tuple[str, ...]  # patterns of what the parser leaves out on purpose
    why: str


BOOK_LIST = [
    Book(
        "pg11-alice-etext-1994.txt", 0, 12, "Chapter I: Down the Rabbit-Hole",
        "Chapter XII: Alice's Evidence",
        (TITLE_PAGE.format(r"\s+CHAPTER I\n"),),
        "1994 etext: no contents list; CHAPTER I to XII, centred, titles on the next line",
    ),
    Book(
        "pg84-frankenstein-etext-frank14.txt", 0, 28, "Letter 1", "Chapter 24",
        (TITLE_PAGE.format("Letter 1"),),
        "etext: letters 1-4 before chapters 1-24, no contents list",
    ),
    Book(
        "pg84-frankenstein-2008.txt", 0, 28, "Letter 1", "Chapter 24",
        (TITLE_PAGE.format("Letter 1"),),
        "2008 `Project Gutenberg's X, by Y`: letters 1-4 then chapters 1-24",
    ),
    Book(
        "pg1661-sherlock-holmes-2011.txt", 0, 12, "Adventure I: A Scandal in Bohemia",
        "XII. The Adventure of the Copper Beeches",
        (TITLE_PAGE.format("ADVENTURE I. A SCANDAL"),),
        "contents I.-XII.; ADVENTURE I.-VI., then VII.-XII. alone; I., II. sections inside",
    ),
    Book(
        "pg1661-sherlock-holmes-etext-advsh11.txt", 0, 12, "Adventure I: A Scandal in Bohemia",
        "Adventure XII: The Adventure of the Copper Beeches",
        (TITLE_PAGE.format("ADVENTURE I. A SCANDAL"),),
        "etext: a contents list of titles alone; ADVENTURE I ... ADVENTURE 10 ... XII",
    ),
    Book(
        "pg46-christmas-carol.txt", 0, 6, "Preface", "Stave V: The End of It",
        (TITLE_PAGE.format("PREFACE"), r"CONTENTS.*?(?=STAVE I:)"),
        "contents: Stave I-V; the preface before it",
    ),
    Book(
        "pg46-christmas-carol-etext-carol10.txt", 0, 5, "Stave 1: Marley's Ghost",
        "Stave 5: The End of It",
        (TITLE_PAGE.format(r"\s*I have endeavoured"),),
        "1992 etext: Stave 1-5; its unheaded preface is a note",
    ),
    Book(
        "pg844-importance-of-being-earnest.txt", 0, 3,
        "First Act: Algernon Moncrieff’s Flat in Half-Moon Street, W",
        "Third Act: Drawing-Room at the Manor House, Woolton",
        (TITLE_PAGE.format("THE PERSONS"), r"ACT I\. Algernon.*?(?=TIME: The Present)"),
        "a play of three acts (FIRST ACT ...), its scenes listed as ACT I.-III.",
    ),
    Book(
        "pg1513-romeo-and-juliet.txt", 5, 26, "The Prologue",
        "Act V · Scene III: A churchyard; in it a Monument belonging to the Capulets",
        (TITLE_PAGE.format(" Dramatis Personæ"),),
        "contents: the prologue, acts I-V of 5+6+5+5+3 scenes, act II's chorus",
    ),
    Book(
        "pg2536-amphitryon.txt", 3, 22, "Prologue", "Act III · Scene X",
        (TITLE_PAGE.format("Amphitryon was played"), r"AMPHITRYON\s+(?=PROLOGUE)"),
        "no contents list: a prologue, acts I-III of 4, 7 and 10 scenes",
    ),
    Book(
        "pg5318-les-precieuses-ridicules.txt", 0, 20, "Préface des Précieuses Ridicules",
        "Scène XIX: Gorgibus, Madelon, Cathos, violons",
        (TITLE_PAGE.format("Jean-Baptiste"), r"\[Spelling of the 1890.*?\]"),
        "French play, no contents list: a preface, SCÈNE PREMIÈRE to XIX",
    ),
    Book(
        "pg14155-madame-bovary.txt", 3, 35, "Première Partie · I", "Troisième Partie · XI",
        (TITLE_PAGE.format("À Marie"),),
        "Table des matières: PREMIÈRE (9), DEUXIÈME (15), TROISIÈME PARTIE (11), bare numerals",
    ),
    Book(
        "pg6838-le-dernier-jour-d-un-condamne.txt", 0, 51, "Préface de 1832", "XLIX",
        (TITLE_PAGE.format("Préface de 1832"),),
        "two prefaces, then I-XLIX alone (a stray XIX on the title page is none)",
    ),
    Book(
        "pg8789-the-vision-of-hell.txt", 0, 34, "Canto I", "Canto XXXIV",
        (TITLE_PAGE.format(r"CANTO I\n"),),
        "verse; LIST OF CANTOS names Canto 1-34 (Arabic), headings CANTO I-XXXIV",
    ),
    Book(
        "pg1342-pride-and-prejudice-illustrated.txt", 0, 62, "Preface", "Chapter LXI",
        (TITLE_PAGE.format("PREFACE"), r" +PAGE\n.*?The End +476"),
        "illustrated: the preface, then Chapter I-LXI, each heading inside an illustration",
    ),
    Book(
        "pg25344-the-scarlet-letter.txt", 0, 26, "Preface to the Second Edition",
        "XXIV. Conclusion",
        (
            TITLE_PAGE.format("PREFACE TO THE SECOND"),
            r"CONTENTS\..*?(?=INTRODUCTORY TO)",
            r"THE SCARLET LETTER\.\s+(?=I\.\s+THE PRISON-DOOR)",
        ),
        "contents: THE CUSTOM HOUSE.—INTRODUCTORY and I-XXIV; the preface before it",
    ),
]  # fmt: skip

pytestmark = pytest.mark.skipif(not BOOKS.is_dir(), reason="the book fixtures are absent")


def parsed(book: Book) -> Document:
    path = BOOKS / book.name
    return parse_document(path.name, path.read_bytes())


@pytest.mark.parametrize("book", BOOK_LIST, ids=[book.name for book in BOOK_LIST])
def test_chapters_as_the_book_counts_them(book: Book) -> None:
    document = parsed(book)
    assert_document_ok(document)
    assert document.format == "gutenberg"
    assert count_parts_and_chapters(document) == (book.parts, book.chapters), book.why
    titles = [chapter.title for chapter in document.chapters]
    assert (titles[0], titles[-1]) == (book.first, book.last)
    joined = " ".join(texts(document))
    assert "Project Gutenberg" not in joined
    assert "SMALL PRINT" not in joined
    assert "[Illustration" not in joined


@pytest.mark.parametrize("book", BOOK_LIST, ids=[book.name for book in BOOK_LIST])
def test_nothing_of_the_body_is_lost(book: Book) -> None:
    raw = decode_text((BOOKS / book.name).read_bytes())[0]
    body = without_illustrations(body_text(raw))
    for pattern in book.left_out:
        body = without(body, pattern)
    document = parsed(book)
    lost = lost_words(words(body), document_words(document))
    assert not lost.missing, [lost.text_around(index) for index in lost.missing[:5]]


@pytest.mark.parametrize("book", BOOK_LIST, ids=[book.name for book in BOOK_LIST])
def test_every_page_fits(book: Book) -> None:
    assert_story_invariants(build_story("book", parsed(book)))


def test_the_fixtures_stay_small() -> None:
    size = sum(path.stat().st_size for path in Path(BOOKS).iterdir())
    assert size < 8 * 1024 * 1024


def test_a_long_introduction_is_a_chapter_titled_as_the_book_titles_it() -> None:
    (scarlet,) = [book for book in BOOK_LIST if book.name.startswith("pg25344")]
    document = parsed(scarlet)
    introduction = document.chapters[1]
    assert introduction.title == "The Custom-House: Introductory to “The Scarlet Letter.”"
    assert sum(len(p.text.split()) for s in introduction.scenes for p in s) > 10_000
    assert introduction.scenes[0][0].text.startswith("It is a little remarkable, that")


def test_a_long_preface_heads_the_book_and_letters_stay_apart() -> None:
    (hugo,) = [book for book in BOOK_LIST if book.name.startswith("pg6838")]
    titles = [chapter.title for chapter in parsed(hugo).chapters]
    assert titles[:4] == ["Préface de 1832", "Préface de 1829", "I", "II"]
    (frankenstein,) = [book for book in BOOK_LIST if book.name == "pg84-frankenstein-2008.txt"]
    letters = parsed(frankenstein).chapters[:4]
    assert [chapter.scenes[0][0].text for chapter in letters] == [
        "St. Petersburgh, Dec. 11th, 17--",
        "Archangel, 28th March, 17--",
        "July 7th, 17--",
        "August 5th, 17--",
    ]
