"""Division headings and numbers: what a line is, read alone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.library.formats.gutenberg.headings import DIVISIONS, NUMBERED, number_value, parse_heading

ROMANS = [(1, "I"), (4, "IV"), (9, "IX"), (14, "XIV"), (40, "XL"), (49, "XLIX"), (90, "XC")]


def roman(number: int) -> str:
    out = ""
    for value, numeral in [
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ]:  # fmt: skip
        while number >= value:
            out, number = out + numeral, number - value
    return out


@pytest.mark.parametrize(("value", "numeral"), ROMANS)
def test_roman_numerals(value: int, numeral: str) -> None:
    assert number_value(numeral) == value
    assert number_value(numeral.lower()) == value


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("twenty-one", 21), ("ONE", 1), ("first", 1), ("Première", 1), ("deuxième", 2),
        ("Erstes", 1), ("zweiter", 2), ("primero", 1), ("tercera", 3), ("terzo", 3),
        ("dodici", 12), ("zwölf", 12), ("12", 12), ("nothing", None),
    ],
)  # fmt: skip
def test_written_numbers_and_ordinals(word: str, value: int | None) -> None:
    assert number_value(word) == value


@pytest.mark.parametrize(
    ("line", "kind", "number", "label", "title"),
    [
        ("CHAPTER IV. The Long Road", "chapter", 4, "Chapter IV", "The Long Road"),
        ("Letter 1", "letter", 1, "Letter 1", None),
        ("STAVE I:  MARLEY'S GHOST", "stave", 1, "Stave I", "MARLEY'S GHOST"),
        ("FIRST ACT", "act", 1, "First Act", None),
        ("SCENE II. A Street.", "scene", 2, "Scene II", "A Street"),
        ("ADVENTURE I. THE RED LAMP", "adventure", 1, "Adventure I", "THE RED LAMP"),
        ("PREMIÈRE PARTIE", "part", 1, "Première Partie", None),
        ("Drittes Kapitel", "chapter", 3, "Drittes Kapitel", None),
        ("Acto segundo", "act", 2, "Acto Segundo", None),
        ("Scena terza", "scene", 3, "Scena Terza", None),
        ("TOME II", "volume", 2, "Tome II", None),
        ("BOOKXXXV.", "book", 35, "Book XXXV", None),
        ("Chap. 7", "chapter", 7, "Chap. 7", None),
        ("SECOND EPILOGUE", "epilogue", 2, "Second Epilogue", None),
        ("Préface de 1832", "preface", None, "Préface de 1832", None),
        ("PREFACE TO THE SECOND EDITION.", "preface", None, "Preface to the Second Edition", None),
        ("VII.", NUMBERED, 7, "VII", None),
        ("XII. THE ADVENTURE OF THE COPPER BEECHES", NUMBERED, 12, "XII",
         "THE ADVENTURE OF THE COPPER BEECHES"),
        ("   I.     A Scandal in Bohemia", NUMBERED, 1, "I", "A Scandal in Bohemia"),
    ],
)  # fmt: skip
def test_heading_lines(
    line: str, kind: str, number: int | None, label: str, title: str | None
) -> None:
    heading = parse_heading(line)
    assert heading is not None
    assert (heading.kind, heading.number, heading.label, heading.title) == (
        kind,
        number,
        label,
        title,
    )


@pytest.mark.parametrize(
    "line",
    [
        "I had seen little of Holmes lately.",
        "It was the best of times.",
        "Chapter one was the hardest to write, she said.",
        "The chapter ended there.",
        "First, she tried to look down.",
        "Part of the problem was the rain.",
        "Act natural, he said.",
        "FIRST CITIZEN.",
        "SCENE",
        "1805",
        "1. and then the rest",
        "Introduction of the new members was quick, she said.",
        "x" * 9000,
    ],
)
def test_text_lines_are_no_headings(line: str) -> None:
    assert parse_heading(line) is None


@given(
    st.sampled_from(
        sorted(word for words in DIVISIONS.values() for word in words if "." not in word)
    ),
    st.integers(min_value=1, max_value=199),
    st.sampled_from(["upper", "lower", "title"]),
    st.booleans(),
)
def test_a_division_word_and_any_number_is_a_heading(
    word: str, number: int, case: str, arabic: bool
) -> None:
    numeral = str(number) if arabic else roman(number)
    heading = parse_heading(f"{getattr(word, case)()} {numeral}")
    assert heading is not None
    assert heading.number == number
    assert heading.kind in DIVISIONS


@given(st.integers(min_value=1, max_value=300))
def test_roman_numerals_read_back(number: int) -> None:
    assert number_value(roman(number)) == number


PROSE_WORDS = "the a she it was went home and then of in to rain door lamp night said".split()


@given(st.lists(st.sampled_from(PROSE_WORDS), min_size=1, max_size=14), st.booleans())
def test_prose_is_never_a_heading(words: list[str], capitalised: bool) -> None:
    line = " ".join(words) + "."
    assert parse_heading(line.capitalize() if capitalised else line) is None
