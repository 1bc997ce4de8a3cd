"""Each shape of book, as a small Gutenberg file of our own (tests/fixtures/formats/gutenberg_*):
the structure a reader sees in it, and nothing of its text lost."""

from __future__ import annotations

import pytest

from bot.library.documents import parse_document
from bot.library.formats import count_parts_and_chapters, detect_format, parse_gutenberg
from bot.library.model import Document
from bot.library.story import build_story
from tests.library.formats.helpers import assert_document_ok, fixture_bytes, texts
from tests.library.invariants import assert_story_invariants


def fixture(name: str) -> Document:
    return parse_document(name, fixture_bytes(name))


def titles(document: Document) -> list[str | None]:
    return [chapter.title for chapter in document.chapters]


FIXTURES = [
    "gutenberg_letters.txt",
    "gutenberg_adventures.txt",
    "gutenberg_play.txt",
    "gutenberg_etext.txt",
    "gutenberg_partie.txt",
    "gutenberg_cantos.txt",
    "gutenberg_illustrated.txt",
]


@pytest.mark.parametrize("name", FIXTURES)
def test_every_fixture_is_a_sound_gutenberg_book(name: str) -> None:
    document = fixture(name)
    assert document.format == "gutenberg"
    assert_document_ok(document)
    assert document.problems == ()
    assert_story_invariants(build_story("fixture", document))
    joined = " ".join(texts(document))
    for furniture in ("Project Gutenberg", "SMALL PRINT", "[Illustration", "Produced by"):
        assert furniture not in joined


def test_letters_before_chapters_and_a_heading_that_wraps() -> None:
    document = fixture("gutenberg_letters.txt")
    assert titles(document) == [
        "Letter 1",
        "Letter 2",
        "Chapter 1",
        "Chapter 2: Of the Long Winter and What the Ice Kept",
    ]
    # Each letter keeps its own text: none is merged into the one before.
    assert document.chapters[1].scenes[0][0].text == "Off the Cape, 9th April"
    assert texts(document)[-1] == "THE END"
    assert document.metadata.title == "The Northern Post"
    assert document.metadata.author == "Ada Quill"


def test_a_dedication_and_an_indented_epigraph_poem_are_kept_as_notes() -> None:
    notes = fixture("gutenberg_letters.txt").metadata.notes or ""
    assert notes.startswith("To my brother, who kept the lamp.")
    assert "The sea is wide and the post is slow,\n  And the letters come" in notes
    assert "For the north forgives not a careless word." in notes
    assert "THE NORTHERN POST" not in notes  # the title page goes


def test_adventures_whose_heading_style_changes_midway() -> None:
    document = fixture("gutenberg_adventures.txt")
    assert titles(document) == [
        "Adventure I: The Red Lamp",
        "Adventure II: The Wet Footprint",
        "III. The Adventure of the Green Door",
    ]
    # The numbers inside the first adventure are its sections: scenes headed by them.
    first = document.chapters[0]
    assert [scene[0].text for scene in first.scenes] == ["I.", "II."]
    assert document.metadata.notes is None  # the untitled contents list is no note


def test_a_play_keeps_acts_scenes_speakers_and_directions() -> None:
    document = fixture("gutenberg_play.txt")
    assert titles(document) == [
        "First Act · Scene I: The orchard, at dawn",
        "First Act · Scene II: The same, at noon",
        "Second Act · Scene I: A kitchen",
    ]
    assert count_parts_and_chapters(document) == (2, 3)
    scene_one = texts(document)[:4]
    assert scene_one[0].startswith("[MARIGOLD is discovered on a ladder")
    assert scene_one[1].startswith("MARIGOLD.\nYou are late, and the apples")
    # A speech of short lines keeps them; a long one is joined, under its speaker's line.
    assert scene_one[2] == "FENWICK.\nThe clocks were slow.\nAll of them, Marigold. Every one."
    assert "\n" not in scene_one[1].split("\n", 1)[1]
    notes = document.metadata.notes or ""
    assert notes.startswith("Dramatis Personæ")
    assert "FENWICK, her neighbour, a clock-mender." in notes


def test_an_old_etext_is_gutenberg_with_its_title_author_and_staves() -> None:
    data = fixture_bytes("gutenberg_etext.txt")
    assert detect_format("staves.txt", data) == "gutenberg"
    document = fixture("gutenberg_etext.txt")
    assert (document.metadata.title, document.metadata.author) == (
        "The Winter Staves",
        "Mabel Corrie",
    )
    assert titles(document) == ["Stave One: The First Frost", "Stave Two: The Long Night"]
    joined = " ".join(texts(document))
    assert "lawyers" not in joined  # the small print is never a scene
    assert "prepared by" not in joined  # nor the footer
    # Hard-wrapped, indented lines are joined into paragraphs.
    assert texts(document)[0].startswith("The frost came early to the village that year, and it")
    assert "\n" not in texts(document)[0]


def test_parts_of_bare_roman_numerals_under_a_french_contents_list() -> None:
    document = fixture("gutenberg_partie.txt")
    assert titles(document) == [
        "Première Partie · I",
        "Première Partie · II",
        "Deuxième Partie · I",
    ]
    assert count_parts_and_chapters(document) == (2, 3)
    assert document.metadata.notes == "À mon père, meunier."
    assert document.metadata.language == "French"
    assert not any(text in {"I", "II", "Table des matières"} for text in texts(document))


def test_verse_in_cantos_keeps_its_lines() -> None:
    document = fixture("gutenberg_cantos.txt")
    assert titles(document) == ["Canto I", "Canto II"]  # LIST OF CANTOS names Canto 1, 2
    stanza = texts(document)[0]
    assert stanza.split("\n") == [
        "Upon the road where lanterns used to burn",
        "I walked at dusk, and would not soon return;",
        "The hedges leaned to listen as I went,",
        "And every stile was crooked with intent.",
    ]
    assert (
        texts(document)[-1]
        == "At length I reached the ford, and there I stood,\nHalf in the water, half in the wood."
    )


def test_an_illustrated_edition_with_a_long_preface() -> None:
    document = fixture("gutenberg_illustrated.txt")
    assert titles(document) == ["Preface", "Chapter I", "Chapter II"]
    preface_words = sum(len(p.text.split()) for s in document.chapters[0].scenes for p in s)
    assert preface_words > 400  # long: a chapter of its own, not a note
    chapter_one = [p.text for s in document.chapters[1].scenes for p in s]
    assert chapter_one == [
        "The school met in the hedge because the hedge was the only place in the parish that "
        "nobody owned, and so nobody could turn the children out of it.",
        "The master was a tall man with a cough and a Latin grammar.",
    ]
    joined = " ".join(texts(document))
    assert "Frontispiece" not in joined  # the list of illustrations is left out
    assert "Chapter I: ]" not in titles(document)


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("Erstes Kapitel", "Erstes Kapitel"),
        ("KAPITEL 2", "Kapitel 2"),
        ("CAPÍTULO PRIMERO", "Capítulo Primero"),
        ("Capitolo III. La fuga", "Capitolo III: La fuga"),
        ("Chapitre premier", "Chapitre Premier"),
        ("LETTRE IV", "Lettre IV"),
        ("STAVE ONE", "Stave One"),
        ("CANTO XII", "Canto XII"),
        ("Section 4", "Section 4"),
        ("THE PROLOGUE", "The Prologue"),
        ("INTRODUCTION", "Introduction"),
        ("Préface de 1832", "Préface de 1832"),
    ],
)
def test_division_words_of_five_languages(heading: str, title: str) -> None:
    prose = "Some words of the division, enough of them to make a sentence or two."
    text = (
        "*** START OF THE PROJECT GUTENBERG EBOOK X ***\n\n"
        f"{heading}\n\n{prose}\n\nCHAPTER XX\n\n{prose}\n\n"
        "*** END OF THE PROJECT GUTENBERG EBOOK X ***\n"
    )
    document = parse_gutenberg(text)
    assert titles(document) == [title, "Chapter XX"]
    assert texts(document) == [prose, prose]


@pytest.mark.parametrize(
    ("heading", "part"),
    [
        ("BOOK THE FIRST", "Book the First"),
        ("BOOKXXXV.", "Book XXXV"),
        ("Zweiter Teil", "Zweiter Teil"),
    ],
)
def test_a_book_or_part_holds_the_chapters_after_it(heading: str, part: str) -> None:
    prose = "Some words of the chapter, enough of them to make a sentence or two."
    text = (
        "*** START OF THE PROJECT GUTENBERG EBOOK X ***\n\n"
        f"{heading}\n\n\nCHAPTER I\n\n{prose}\n\nCHAPTER II\n\n{prose}\n\n"
        "*** END OF THE PROJECT GUTENBERG EBOOK X ***\n"
    )
    document = parse_gutenberg(text)
    assert titles(document) == [f"{part} · Chapter I", f"{part} · Chapter II"]
    assert count_parts_and_chapters(document) == (1, 2)


def test_a_contents_entry_never_becomes_a_heading_of_its_own() -> None:
    prose = "Words of the chapter, enough to be a sentence of it."
    text = (
        "*** START OF THE PROJECT GUTENBERG EBOOK X ***\n\n"
        "CONTENTS\n\n   CHAPTER 1.  The Lamp         3\n   CHAPTER 2.  The Long Road\n"
        "               Home                          9\n\n\n"
        f"CHAPTER 1.\n\nTHE LAMP\n\n{prose}\n\nCHAPTER 2.\n\nTHE LONG ROAD HOME\n\n{prose}\n\n"
        "*** END OF THE PROJECT GUTENBERG EBOOK X ***\n"
    )
    document = parse_gutenberg(text)
    assert titles(document) == ["Chapter 1: The Lamp", "Chapter 2: The Long Road Home"]
    assert texts(document) == [prose, prose]
    assert document.problems == ()


def test_a_contents_entry_missing_from_the_text_is_a_problem() -> None:
    prose = "Words of the chapter, enough to be a sentence of it."
    text = (
        "*** START OF THE PROJECT GUTENBERG EBOOK X ***\n\n"
        "CONTENTS\n\nCHAPTER I\nCHAPTER II\nCHAPTER III\n\n\n"
        f"CHAPTER I\n\n{prose}\n\nCHAPTER III\n\n{prose}\n\n"
        "*** END OF THE PROJECT GUTENBERG EBOOK X ***\n"
    )
    document = parse_gutenberg(text)
    assert titles(document) == ["Chapter I", "Chapter III"]
    assert document.problems == (
        "the contents list names headings not found in the text: chapter 2",
    )


def test_front_matter_is_never_filed_under_the_books_epilogue() -> None:
    prose = "Words of the chapter, enough to be a sentence of it."
    note = "A note on the text, which the editor thought the reader should have first."
    text = (
        "*** START OF THE PROJECT GUTENBERG EBOOK X ***\n\n"
        "CONTENTS\n\n    CHAPTER I\n    CHAPTER II\n    EPILOGUE\n\n\n"
        f"{note}\n\n\nCHAPTER I\n\n{prose}\n\nCHAPTER II\n\n{prose}\n\nEPILOGUE\n\n{prose}\n\n"
        "*** END OF THE PROJECT GUTENBERG EBOOK X ***\n"
    )
    document = parse_gutenberg(text)
    assert titles(document) == ["Chapter I", "Chapter II", "Epilogue"]
    assert document.metadata.notes == note
    assert texts(document) == [prose, prose, prose]


def test_a_story_without_chapters_keeps_its_first_line_whatever_it_mentions() -> None:
    first = "She proofread the etext twice and found the same mistake both times."
    text = (
        "*** START OF THE PROJECT GUTENBERG EBOOK X ***\n\n\nProduced by Someone\n\n\n"
        f"{first}\n\nThen she went home.\n\n*** END OF THE PROJECT GUTENBERG EBOOK X ***\n"
    )
    assert texts(parse_gutenberg(text)) == [first, "Then she went home."]
