"""What looks wrong in a story's structure: the hints `python -m bot texts` prints."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.library.structure_checks import ChapterShape, check_structure

EVEN = [ChapterShape(f"Chapter {number}", 1000) for number in range(1, 9)]


def test_an_even_book_raises_nothing() -> None:
    assert check_structure(EVEN) == []


@pytest.mark.parametrize(
    ("words", "finding"),
    [
        (40, "chapter 3 'Chapter 3' is far shorter than the rest (40 words; the median"),
        (25_000, "chapter 3 'Chapter 3' is far longer than the rest (25,000 words; the median"),
    ],
)
def test_a_chapter_far_shorter_or_longer_than_the_rest(words: int, finding: str) -> None:
    chapters = list(EVEN)
    chapters[2] = ChapterShape("Chapter 3", words)
    (found,) = check_structure(chapters)
    assert found.startswith(finding)


def test_lengths_need_enough_chapters_to_compare() -> None:
    assert check_structure([ChapterShape("Chapter 1", 10), ChapterShape("Chapter 2", 9000)]) == []


def test_headings_out_of_sequence() -> None:
    chapters = [ChapterShape(f"Canto {numeral}", 1000) for numeral in ["I", "II", "XVII", "IV"]]
    assert check_structure(chapters) == [
        "'Canto XVII' follows 'Canto II': headings out of sequence",
        "'Canto IV' follows 'Canto XVII': headings out of sequence",
    ]


def test_each_part_counts_its_chapters_from_its_own_start() -> None:
    chapters = [
        ChapterShape(title, 1000)
        for title in [
            "Book One: 1805 · Chapter I", "Book One: 1805 · Chapter II",
            "Book Two: 1805 · Chapter I", "Book Two: 1805 · Chapter II",
            "Première Partie · I", "Première Partie · II", "Deuxième Partie · I",
        ]
    ]  # fmt: skip
    assert check_structure(chapters) == []


def test_letters_then_chapters_are_two_sequences() -> None:
    titles = ["Letter 1", "Letter 2", "Chapter 1: The Start", "Chapter 2", "Preface", None]
    assert check_structure([ChapterShape(title, 1000) for title in titles]) == []


def test_many_findings_are_capped() -> None:
    chapters = [ChapterShape(f"Chapter {number}", 1000) for number in range(1, 40, 2)]
    found = check_structure(chapters)
    assert len(found) == 6
    assert found[-1] == "and 14 more headings out of sequence"


@given(st.lists(st.integers(min_value=500, max_value=2000), min_size=1, max_size=60))
def test_chapters_in_order_of_similar_length_raise_nothing(words: list[int]) -> None:
    chapters = [ChapterShape(f"Chapter {n}", count) for n, count in enumerate(words, 1)]
    assert check_structure(chapters) == []
