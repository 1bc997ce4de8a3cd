"""Words as search sees them: folded, split, and placed in the original text.

A word is a run of letters, digits and combining marks (Unicode categories L, N and M); all
else separates words: spaces, punctuation, dashes, quotes and apostrophes of every kind,
symbols and emoji. Each word is folded with the library's `fold` (case and accents), so
`Naïve` is `naive` and `CAFÉ` is `cafe`. An apostrophe separates too: `don’t` and `don't` are
both the two words `don t`, and a query word holding one is searched as that phrase. Joining
them (`dont`) was the other choice; splitting wins because a name then finds its possessive
(`Pierre` finds `Pierre’s`) and an elided article does not hide its word (`homme` finds
`l’homme`), at the price of `dont` not finding `don’t`.

Han, Hiragana and Katakana are written without spaces between words, so each of their
characters is a word of its own: `中国` is searched as the phrase `中 国` and found inside a
longer run. Words longer than MAX_WORD_LENGTH (after folding) are not indexed or searched.

`index_text` is what the engines index: only these words, joined by single spaces, so their
own tokenizers never split or join differently from `words`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from bot.library.library import fold

MAX_WORD_LENGTH: Final = 64
"""Folded characters of the longest word that is indexed and searched."""

# Modifier letters (category Lm) that texts use as apostrophes: separators like `'` and `’`.
_APOSTROPHE_LETTERS: Final = frozenset("\u02b9\u02bb\u02bc\u02bd")
# Scripts written without spaces, as blocks: Hiragana and Katakana, CJK ideographs (the
# unified blocks and extensions A to H, compatibility ideographs), halfwidth Katakana.
_ONE_CHARACTER_WORDS: Final = (
    (0x3040, 0x30FF),
    (0x31F0, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFF66, 0xFF9F),
    (0x20000, 0x323AF),
)
# How each ASCII character reads: letters lowercased, digits kept, the rest a space.
_ASCII_FOLDED: Final = {c: chr(c).lower() if chr(c).isalnum() else " " for c in range(128)}
_ASCII_KIND: Final = {c: "w" if chr(c).isalnum() else " " for c in range(128)}
_NON_ASCII: Final = re.compile(r"[^\x00-\x7f]")
_RUN: Final = re.compile(r"c|w+")


@dataclass(frozen=True, slots=True)
class Word:
    """A word of a text: `text[start:end]` as written, and `folded`, the form searched.

    A character that folds to several words (`ﷺ`, `½` as `1⁄2`) gives a Word for each, all
    with that character's place.
    """

    start: int
    end: int
    folded: str


def _is_word_character(char: str) -> bool:
    return unicodedata.category(char)[0] in "LNM" and char not in _APOSTROPHE_LETTERS


def _stands_alone(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _ONE_CHARACTER_WORDS)


@functools.lru_cache(maxsize=8192)
def _folded(char: str) -> str:
    """What one non-ASCII character becomes in index text: its folded letters, spaces for
    anything else (folding can give separators: `½` folds to `1⁄2`) and around the letters
    that are words on their own."""
    if not _is_word_character(char):
        return " "
    return "".join(
        (f" {c} " if _stands_alone(c) else c) if _is_word_character(c) else " " for c in fold(char)
    )


@functools.lru_cache(maxsize=8192)
def _kind(char: str) -> str:
    """`w` for a word character, `c` for one that is a word on its own, else a space."""
    if not _is_word_character(char):
        return " "
    return "c" if _stands_alone(char) else "w"


def _table(text: str, ascii_table: dict[int, str], other: Callable[[str], str]) -> dict[int, str]:
    """A `str.translate` table for `text`: the ASCII one plus `text`'s other characters."""
    others = set(_NON_ASCII.findall(text))
    if not others:
        return ascii_table
    return ascii_table | {ord(char): other(char) for char in others}


def folded_words(text: str) -> list[str]:
    """The folded words of `text`, in order, those too long to search included."""
    return text.translate(_table(text, _ASCII_FOLDED, _folded)).split()


def index_words(text: str) -> list[str]:
    """The folded words of `text` that are searched, in order: `words`, folded forms only."""
    return [word for word in folded_words(text) if len(word) <= MAX_WORD_LENGTH]


def index_text(text: str) -> str:
    """The folded words of `text` joined by single spaces: what both engines index."""
    return " ".join(index_words(text))


def words(text: str) -> list[Word]:
    """Each word of `text`, in order, with its place in `text` and its folded form."""
    kinds = text.translate(_table(text, _ASCII_KIND, _kind))  # one character for each
    found: list[Word] = []
    for run in _RUN.finditer(kinds):
        start, end = run.span()
        for folded in folded_words(text[start:end]):
            if len(folded) <= MAX_WORD_LENGTH:
                found.append(Word(start, end, folded))
    return found
