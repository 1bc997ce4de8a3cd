"""Project Gutenberg texts: markers, header, contents, chapters and parts, paragraphs."""

from __future__ import annotations

import pytest

from bot.library.errors import UnusableText
from bot.library.formats import PART_SEPARATOR, count_parts_and_chapters, parse_gutenberg
from bot.library.model import Paragraph, Span
from bot.library.text import decode_text
from tests.library.formats.helpers import assert_document_ok, fixture_bytes, texts

HEADER = """The Project Gutenberg eBook of Small Hours, by Nell Rook

Title: Small Hours

Author: Nell Rook

Release date: January 2, 2020 [eBook #424242]

Language: English

"""
STORY = """It was three in the morning and the kettle was the only thing awake.

Nell poured the water and watched the steam climb the cold window.
"""
LICENSE = """
Updated editions will replace the previous one.

*** START: FULL LICENSE ***

THE FULL PROJECT GUTENBERG LICENSE

CHAPTER I

Section 1. General Terms of Use.
"""


def book(start: str, end: str, story: str = STORY, license_text: str = LICENSE) -> str:
    return f"{HEADER}{start}\n\n\n{story}\n\n\n{end}\n{license_text}"


def fixture_text(name: str) -> str:
    return decode_text(fixture_bytes(name))[0]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (
            "*** START OF THE PROJECT GUTENBERG EBOOK SMALL HOURS ***",
            "*** END OF THE PROJECT GUTENBERG EBOOK SMALL HOURS ***",
        ),
        (
            "*** START OF THIS PROJECT GUTENBERG EBOOK SMALL HOURS ***",
            "*** END OF THIS PROJECT GUTENBERG EBOOK SMALL HOURS ***",
        ),
        (
            "*** START OF THE PROJECT GUTENBERG EBOOK 424242 ***",
            "*** END OF THE PROJECT GUTENBERG EBOOK 424242 ***",
        ),
        (
            "        *** START OF THE PROJECT GUTENBERG EBOOK SMALL HOURS ***",
            "            *** END OF THE PROJECT GUTENBERG EBOOK SMALL HOURS ***\n        ",
        ),
        (
            "***START OF THE PROJECT GUTENBERG EBOOK SMALL HOURS***",
            "***END OF THE PROJECT GUTENBERG EBOOK SMALL HOURS***",
        ),
        (
            "*** Start of the Project Gutenberg eBook Small Hours ***",
            "*** End of the Project Gutenberg eBook Small Hours ***",
        ),
    ],
    ids=["modern", "legacy-this", "number", "indented", "no-spaces", "mixed-case"],
)
def test_only_the_text_between_the_markers(start: str, end: str) -> None:
    document = parse_gutenberg(book(start, end))
    assert_document_ok(document)
    assert texts(document) == [
        "It was three in the morning and the kettle was the only thing awake.",
        "Nell poured the water and watched the steam climb the cold window.",
    ]
    assert [chapter.title for chapter in document.chapters] == [None]


def test_the_license_start_is_not_a_start_marker() -> None:
    """`*** START: FULL LICENSE ***` must neither start the text nor let the license in."""
    legacy = book(
        "*** START OF THIS PROJECT GUTENBERG EBOOK SMALL HOURS ***",
        "End of Project Gutenberg's Small Hours, by Nell Rook\n\n"
        "*** END OF THIS PROJECT GUTENBERG EBOOK SMALL HOURS ***",
    )
    document = parse_gutenberg(legacy)
    assert len(document.chapters) == 1
    assert "LICENSE" not in " ".join(texts(document))
    assert not any("End of Project Gutenberg" in text for text in texts(document))


def test_a_missing_end_marker_stops_at_the_license() -> None:
    document = parse_gutenberg(book("*** START OF THE PROJECT GUTENBERG EBOOK SMALL HOURS ***", ""))
    assert "LICENSE" not in " ".join(texts(document))
    assert [chapter.title for chapter in document.chapters] == [None]


def test_header_metadata() -> None:
    metadata = parse_gutenberg(fixture_text("gutenberg_parts.txt")).metadata
    assert metadata.title == "The Orchard Years"
    assert metadata.author == "Edda Vell"
    assert metadata.language == "English"
    assert metadata.source_url == "https://www.gutenberg.org/ebooks/99001"
    assert metadata.stats == (("Translator", "P. Marrow"), ("Released", "March 3, 2024"))


def test_legacy_header_metadata() -> None:
    metadata = parse_gutenberg(fixture_text("gutenberg_subtitles.txt")).metadata
    assert (metadata.title, metadata.author) == ("The Night Ferry", "Corwin Ashe")
    assert metadata.source_url == "https://www.gutenberg.org/ebooks/99002"
    assert metadata.stats == (("Released", "May, 2001"),)


def test_title_and_author_from_the_first_line_when_the_header_lacks_them() -> None:
    text = (
        "The Project Gutenberg eBook of Quiet Water, by Ada Fenn\n\n"
        "*** START OF THE PROJECT GUTENBERG EBOOK QUIET WATER ***\n\nStill.\n"
    )
    metadata = parse_gutenberg(text).metadata
    assert (metadata.title, metadata.author) == ("Quiet Water", "Ada Fenn")


def test_parts_and_chapters_with_an_indented_contents() -> None:
    document = parse_gutenberg(fixture_text("gutenberg_parts.txt"))
    assert_document_ok(document)
    assert [chapter.title for chapter in document.chapters] == [
        f"Book One: 1840{PART_SEPARATOR}Chapter I",
        f"Book One: 1840{PART_SEPARATOR}Chapter II",
        f"Book Two: 1841{PART_SEPARATOR}Chapter I",
        f"Epilogue{PART_SEPARATOR}Chapter I",
    ]
    assert count_parts_and_chapters(document) == (3, 4)
    assert document.problems == ()
    assert document.metadata.notes is None  # the title page is not a note
    first = document.chapters[0].scenes[0][0].text
    assert first.startswith("The orchard stood on the south slope, where the frost came last and")
    assert "  " not in first
    assert "\n" not in first


def test_verse_keeps_its_lines_and_stars_break_scenes() -> None:
    chapter = parse_gutenberg(fixture_text("gutenberg_parts.txt")).chapters[1]
    verse = chapter.scenes[0][-1]
    assert verse.text == (
        "Apple in the blossom,\n  pear upon the wall,\n"
        "plum before the harvest,\n  and quince after all."
    )
    assert len(chapter.scenes) == 2  # split at the star line
    autumn = chapter.scenes[1][0]
    assert autumn.text.endswith("and Marit picked alone, slowly, one basket to a row.")
    start = autumn.text.index("slowly")
    assert autumn.spans == (Span(start, start + 6, "italic"),)


def test_dashes_close_up_when_the_book_closes_them() -> None:
    chapter = parse_gutenberg(fixture_text("gutenberg_parts.txt")).chapters[0]
    assert "in her apron--not for the apples" in chapter.scenes[0][1].text


def test_subtitles_contents_titles_notes_and_the_end() -> None:
    document = parse_gutenberg(fixture_text("gutenberg_subtitles.txt"))
    assert_document_ok(document)
    # Titles come from the contents (properly cased), the subtitle line leaves the text.
    assert [chapter.title for chapter in document.chapters] == [
        "Chapter I: The Pilot’s Log",
        "Chapter II: Letters from Shore",
        "Chapter III: The Pilot’s Log--continued",  # what the heading adds is kept
    ]
    assert count_parts_and_chapters(document) == (0, 3)
    assert document.metadata.notes == (
        "These pages are set down in the order in which they came to me; where a hand is "
        "uncertain I have said so, and nothing has been added."
    )
    one, two, three = document.chapters
    assert one.scenes[0][0] == Paragraph("(Kept in pencil.)", (Span(1, 16, "italic"),))
    # Two blank lines part the diary entries; a note of three words joins its neighbour.
    assert [len(scene) for scene in one.scenes] == [3, 1]
    assert one.scenes[1][0].text.startswith("6 March.--A woman came aboard")
    assert [len(scene) for scene in two.scenes] == [3, 1]  # split at the star line
    assert two.scenes[0][0] == Paragraph("Letter, Ida Marr to the Pilot.", (Span(0, 30, "italic"),))
    # The publisher's list after THE END is cut; "Produced by" never shows.
    assert three.scenes[-1][-1].text == "THE END"
    assert not any("Produced by" in text or "LOCK-KEEPER" in text for text in texts(document))


def test_the_yellow_wallpaper_legacy_edition() -> None:
    document = parse_gutenberg(fixture_text("pg1952-the-yellow-wallpaper-legacy-2011.txt"))
    assert_document_ok(document)
    (chapter,) = document.chapters
    assert chapter.title is None
    # Its diary sections are separated by two blank lines: each is a scene.
    assert [len(scene) for scene in chapter.scenes] == [39, 43, 61, 23, 4, 16, 8, 22, 50]
    assert chapter.scenes[0][0].text == (
        "It is very seldom that mere ordinary people like John and myself secure ancestral "
        "halls for the summer."
    )
    assert chapter.scenes[-1][-1].text.endswith("so that I had to creep over him every time!")
    assert document.metadata.title == "The Yellow Wallpaper"
    assert document.metadata.author == "Charlotte Perkins Gilman"
    joined = " ".join(texts(document))
    assert "Produced by" not in joined
    assert "Gutenberg" not in joined


START = "*** START OF THE PROJECT GUTENBERG EBOOK X ***"
END = "*** END OF THE PROJECT GUTENBERG EBOOK X ***"


def story(*chunks: str) -> str:
    body = "\n".join(chunks)
    return f"{START}\n\n{body}\n\n{END}\n"


PROSE = "Some words of the chapter, enough of them to be a sentence.\n"


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("CHAPTER I", "Chapter I"),
        ("CHAPTER XIV.", "Chapter XIV"),
        ("Chapter 12", "Chapter 12"),
        ("CHAPTER I.\nDown the Well", "Chapter I: Down the Well"),
        ("CHAPTER IV. The Long Road", "Chapter IV: The Long Road"),
        ("Chapter 3: A Door", "Chapter 3: A Door"),
        ("CHAPTER TWENTY-ONE", "Chapter Twenty-One"),
        ("CHAPTER I\n\nTHE HOUSE OF THE SEVEN DOORS", "Chapter I: The House of the Seven Doors"),
        ("CHAPTER II\n\nMR. HALE’S DIARY--_continued_", "Chapter II: Mr. Hale’s Diary--continued"),
        ("    CHAPTER V    ", "Chapter V"),
        ("PROLOGUE", "Prologue"),
        ("chapter 1", "Chapter 1"),  # any case
    ],
)
def test_chapter_heading_styles(heading: str, title: str) -> None:
    document = parse_gutenberg(story(heading, "", PROSE, "", "CHAPTER XX", "", PROSE))
    assert [chapter.title for chapter in document.chapters] == [title, "Chapter XX"]
    assert texts(document) == [PROSE.strip(), PROSE.strip()]


@pytest.mark.parametrize(
    "line",
    [
        "Chapter one was the hardest to write, she said.",
        "Book I read yesterday was long.",
        "Part of the problem was the rain.",
        "Introduction of the new members was quick, she said.",
        "Letter, Ida Marr to the Pilot.",
    ],
)
def test_sentences_that_look_like_headings_are_text(line: str) -> None:
    document = parse_gutenberg(story(line, "", PROSE))
    assert [chapter.title for chapter in document.chapters] == [None]
    assert texts(document)[0] == line


def test_part_headings_lead_their_chapters_titles() -> None:
    text = story(
        "BOOK ONE: 1805", "", "", "CHAPTER I", "", PROSE, "", "CHAPTER II", "", PROSE,
        "", "FIRST EPILOGUE: 1813 - 20", "", "CHAPTER I", "", PROSE,
        "", "SECOND EPILOGUE", "", "CHAPTER I", "", PROSE,
    )  # fmt: skip
    document = parse_gutenberg(text)
    assert [chapter.title for chapter in document.chapters] == [
        "Book One: 1805 · Chapter I",
        "Book One: 1805 · Chapter II",
        "First Epilogue: 1813 - 20 · Chapter I",
        "Second Epilogue · Chapter I",
    ]
    assert count_parts_and_chapters(document) == (3, 4)


def test_a_part_with_text_of_its_own_is_a_chapter() -> None:
    document = parse_gutenberg(story("CHAPTER I", "", PROSE, "", "EPILOGUE", "", PROSE))
    assert [chapter.title for chapter in document.chapters] == ["Chapter I", "Epilogue"]


def test_contents_without_a_heading_line_are_dropped_quietly() -> None:
    text = story(
        "CHAPTER I", "", "CHAPTER II", "", "", "CHAPTER I", "", PROSE, "", "CHAPTER II", "", PROSE
    )
    document = parse_gutenberg(text)
    assert [chapter.title for chapter in document.chapters] == ["Chapter I", "Chapter II"]
    assert document.problems == ()


def test_an_empty_chapter_after_the_first_is_a_problem() -> None:
    text = story("CHAPTER I", "", PROSE, "", "CHAPTER II", "", "", "CHAPTER III", "", PROSE)
    document = parse_gutenberg(text)
    assert [chapter.title for chapter in document.chapters] == ["Chapter I", "Chapter III"]
    assert document.problems == ("chapter 'Chapter II' has no text; skipped",)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            "A line that is long enough to have been wrapped by the transcriber\n"
            "and its continuation.",
            "A line that is long enough to have been wrapped by the transcriber and its "
            "continuation.",
        ),
        (
            "She kept the blade in her waistcoat pocket, the little penknife-\n"
            "sized one her father gave her on the day she first went to sea.",
            "She kept the blade in her waistcoat pocket, the little penknife-sized one her father "
            "gave her on the day she first went to sea.",
        ),
        (
            "Short line,\nanother short line,\nand a third.",
            "Short line,\nanother short line,\nand a third.",
        ),
        (
            "    Twinkle, twinkle, little star,\n        How I wonder what you are.",
            "Twinkle, twinkle, little star,\n    How I wonder what you are.",
        ),
        ("It was _very_ odd, and _Un_important.", "It was very odd, and Unimportant."),
        ("snake_case_word stays", "snake_case_word stays"),
    ],
    ids=["wrapped", "hyphen", "short-lines", "indented-verse", "italics", "underscores-in-words"],
)
def test_paragraph_joining(lines: str, expected: str) -> None:
    filler = "\n\n".join([PROSE.strip()] * 3)
    document = parse_gutenberg(story(filler, "", lines))
    assert texts(document)[-1] == expected


def test_italic_underscores_become_spans() -> None:
    (paragraph,) = [
        p
        for p in parse_gutenberg(story("It was _very_ odd, and _Un_important."))
        .chapters[0]
        .scenes[0]
    ]
    assert paragraph.spans == (Span(7, 11, "italic"), Span(21, 23, "italic"))


def test_star_lines_and_two_blank_lines_make_scenes() -> None:
    long = "word " * 50
    text = story(
        long, "", "*       *       *       *       *", "", long, "", "", long, "", "", "short"
    )
    scenes = parse_gutenberg(text).chapters[0].scenes
    assert [len(scene) for scene in scenes] == [1, 1, 2]  # "short" joins the scene before


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n\n",
        f"{START}\n\n{END}",
        f"{START}\n\n*  *  *\n\n{END}",
    ],
)
def test_no_text_is_unusable(text: str) -> None:
    with pytest.raises(UnusableText):
        parse_gutenberg(text)
