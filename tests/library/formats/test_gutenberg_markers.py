"""The START and END markers Project Gutenberg used over the years, and what the header says."""

from __future__ import annotations

import pytest

from bot.library.formats import detect_format, parse_gutenberg
from bot.library.formats.gutenberg.markers import body_bounds, header_metadata
from tests.library.formats.helpers import texts

STORY = "The kettle was the only thing awake, and it sang to the cold window."
SMALL_PRINT = (
    "***START**THE SMALL PRINT!**FOR PUBLIC DOMAIN ETEXTS**START***\n"
    "Why is this Small Print statement here? You know: lawyers.\n"
)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (f"{SMALL_PRINT}*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*",
         "End of The Project Gutenberg Etext of Small Hours"),
        (f"{SMALL_PRINT}**END THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.08.01*END**",
         "End of Project Gutenberg's Small Hours, by Nell Rook"),
        ("*END*THE SMALL PRINT! FOR PUBLIC DOMAIN EBOOKS*Ver.02/11/02*END*",
         "*** END OF THE PROJECT GUTENBERG EBOOK SMALL HOURS ***"),
        ("*** START OF THIS PROJECT GUTENBERG EBOOK SMALL HOURS ***",
         "        *** END OF THIS PROJECT GUTENBERG EBOOK SMALL HOURS ***"),
        ("***START OF THE PROJECT GUTENBERG EBOOK SMALL HOURS***",
         "*** END OF THE PROJECT\nGUTENBERG EBOOK SMALL HOURS ***"),
        ("*** START OF THE PROJECT GUTENBERG EBOOK SMALL HOURS ***",
         "*** START: FULL LICENSE ***"),
        ("*** START OF THE PROJECT GUTENBERG EBOOK SMALL HOURS ***",
         "Ende dieses Projekt Gutenberg Etextes"),
    ],
    ids=["etext-1993", "etext-2001", "etext-2002", "2000s-indented-end", "wrapped-end",
         "licence-only", "german-footer"],
)  # fmt: skip
def test_the_book_lies_between_the_markers(start: str, end: str) -> None:
    text = (
        "The Project Gutenberg Etext of Small Hours, by Nell Rook\n\n"
        f"{start}\n\n\n{STORY}\n\n\n{end}\n\nThe licence, which is never a scene.\n"
    )
    begin, stop = body_bounds(text)
    assert text[begin:stop].strip() == STORY
    document = parse_gutenberg(text)
    assert texts(document) == [STORY]


@pytest.mark.parametrize(
    ("first_line", "title", "author"),
    [
        ("**The Project Gutenberg Etext of Frankenstein by Mary Shelley**",
         "Frankenstein", "Mary Shelley"),
        ("***This is the Project Gutenberg Etext of Alice in Wonderland***",
         "Alice in Wonderland", None),
        ("Project Gutenberg's The Night Ferry, by Corwin Ashe", "The Night Ferry", "Corwin Ashe"),
        ("The Project Gutenberg EBook of A Christmas Carol, by Charles Dickens",
         "A Christmas Carol", "Charles Dickens"),
        ("?The Project Gutenberg eBook of A Christmas Carol, by Charles Dickens",
         "A Christmas Carol", "Charles Dickens"),
        ("\ufeffThe Project Gutenberg eBook of Madame Bovary", "Madame Bovary", None),
    ],
)  # fmt: skip
def test_title_and_author_from_the_first_line(
    first_line: str, title: str, author: str | None
) -> None:
    metadata = header_metadata(f"{first_line}\n\nSome header text.\n", None)
    assert (metadata.title, metadata.author) == (title, author)


def test_an_etext_author_from_its_by_line() -> None:
    header = (
        "***The Project Gutenberg Etext of The Winter Staves***\n\n"
        "The Winter Staves\n\nby Mabel Corrie\n\nSeptember, 1996  [Etext #99104]\n"
    )
    metadata = header_metadata(header, None)
    assert (metadata.title, metadata.author) == ("The Winter Staves", "Mabel Corrie")
    assert metadata.source_url == "https://www.gutenberg.org/ebooks/99104"


def test_a_titles_closing_full_stop_goes() -> None:
    metadata = header_metadata("Title: The vision of hell.\n\nAuthor: Dante Alighieri\n", None)
    assert metadata.title == "The vision of hell"


def test_header_fields_win_over_the_first_line() -> None:
    header = (
        "Project Gutenberg's Frankenstein, by Mary Wollstonecraft (Godwin) Shelley\n\n"
        "Title: Frankenstein\n       or The Modern Prometheus\n\n"
        "Author: Mary Wollstonecraft (Godwin) Shelley\n"
    )
    metadata = header_metadata(header, None)
    assert metadata.title == "Frankenstein or The Modern Prometheus"


@pytest.mark.parametrize(
    "data",
    [
        b"*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*\n\nText.\n",
        b"**The Project Gutenberg Etext of Frankenstein by Mary Shelley**\n\nText.\n",
        b"Project Gutenberg's The Night Ferry, by Corwin Ashe\n\nText.\n",
        b"   *** START OF THE PROJECT GUTENBERG EBOOK X ***\n\nText.\n",
    ],
)
def test_old_and_new_files_are_detected_as_gutenberg(data: bytes) -> None:
    assert detect_format("book.txt", data) == "gutenberg"


def test_a_story_that_mentions_project_gutenberg_later_is_plain_text() -> None:
    data = b"It was late.\n\nShe had read it in the Project Gutenberg Etext of Emma.\n"
    assert detect_format("story.txt", data) == "text"
