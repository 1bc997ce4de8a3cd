from __future__ import annotations

import itertools
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.library.search.words import MAX_WORD_LENGTH, Word, index_text, index_words, words
from tests.library.search.strategies import paragraphs


@pytest.mark.parametrize(
    ("text", "indexed"),
    [
        ("Naïve CAFÉ", "naive cafe"),
        ("don’t don't DON‘T", "don t don t don t"),
        ("l’homme, Pierre’s", "l homme pierre s"),
        ("well-known—co–operate", "well known co operate"),
        ("“Quoted” «guillemets» „low“", "quoted guillemets low"),
        ("Łódź Ørsted Œuvre Æsop straße", "lodz orsted oeuvre aesop strasse"),
        ("e\u0301te\u0301", "ete"),  # decomposed accents fold as precomposed ones do
        ("ﬁne ½ Ⅻ ①", "fine 1 2 xii 1"),  # compatibility forms fold to their letters
        ("Война и мир", "воина и мир"),  # accents go in every script: й is и with a breve
        ("Ελλάδα", "ελλαδα"),
        ("हिंदी", "हिंदी"),  # vowel signs (marks) stay inside the word
        ("中国人", "中 国 人"),  # ideographs are words of one character
        ("Kodak™ 🎉 x_y a*b", "kodak x y a b"),  # symbols, emoji, underscores separate
        ("donʼt Hawaiʻi", "don t hawai i"),  # modifier letters used as apostrophes too
        ("tab\tnbsp\u00a0zwj\u200dnul\x00end", "tab nbsp zwj nul end"),
        ("", ""),
        ("— … !!! 🎉", ""),
        ("a" * MAX_WORD_LENGTH + " " + "b" * (MAX_WORD_LENGTH + 1) + " c", "a" * 64 + " c"),
    ],
)
def test_index_text_is_the_folded_words(text: str, indexed: str) -> None:
    assert index_text(text) == indexed


def test_words_are_placed_in_the_original_text() -> None:
    text = "“Don’t,” said Natasha’s café-owner."
    assert [(text[w.start : w.end], w.folded) for w in words(text)] == [
        ("Don", "don"),
        ("t", "t"),
        ("said", "said"),
        ("Natasha", "natasha"),
        ("s", "s"),
        ("café", "cafe"),
        ("owner", "owner"),
    ]


def test_a_character_that_folds_to_several_words_gives_each_its_place() -> None:
    assert words("x ½") == [Word(0, 1, "x"), Word(2, 3, "1"), Word(2, 3, "2")]


@settings(max_examples=300, deadline=None)
@given(st.one_of(paragraphs, st.text()))
def test_index_text_is_words_folded_forms(text: str) -> None:
    placed = words(text)
    assert index_text(text) == " ".join(word.folded for word in placed)
    assert index_words(text) == [word.folded for word in placed]


@settings(max_examples=300, deadline=None)
@given(st.one_of(paragraphs, st.text()))
def test_index_text_is_words_and_single_spaces(text: str) -> None:
    indexed = index_text(text)
    assert indexed == " ".join(indexed.split())  # single spaces, none at the ends
    assert all(0 < len(word) <= MAX_WORD_LENGTH for word in indexed.split())
    ascii_part = "".join(char for char in indexed if char.isascii())
    assert re.fullmatch(r"[a-z0-9 ]*", ascii_part)
    assert index_text(indexed) == indexed  # already folded: indexing it again changes nothing


@settings(max_examples=300, deadline=None)
@given(st.one_of(paragraphs, st.text()))
def test_each_word_is_its_written_text_folded(text: str) -> None:
    placed = words(text)
    for word in placed:
        assert word.folded in index_words(text[word.start : word.end])
    in_order = [(word.start, word.end) for word in placed]
    assert in_order == sorted(in_order)
    spans = sorted(set(in_order))  # several words share a place only when one character folds
    assert all(end <= next_start for (_, end), (next_start, _) in itertools.pairwise(spans))


def test_every_character_of_unicode_folds_to_stable_index_text() -> None:
    """Each assigned character alone: its index text is lowercase ASCII letters and digits or
    other letters, and already folded (indexing it again changes nothing)."""
    every = [
        chr(code)
        for code in range(0x110000)
        if unicodedata.category(chr(code)) not in ("Cn", "Co", "Cs")
    ]
    indexed = index_text(" ".join(every))
    assert index_text(indexed) == indexed
    assert re.fullmatch(r"[a-z0-9 ]*", "".join(char for char in indexed if char.isascii()))
    assert index_words(" ".join(every)) == [w for char in every for w in index_words(char)]
