"""Words as the scorer counts them, and counts of each kind of word over any range of words.

A story's quote candidates overlap (every run of up to 280 characters of sentences), so their
words are read once per paragraph and each candidate's counts come from running sums: each
word's kinds are packed into one integer, one `FIELD_BITS`-bit field per `Kind`, and the
difference of two running sums is the packed counts of the words between them. A field never
overflows into the next, since a range holds fewer than 2**FIELD_BITS words.
"""

from __future__ import annotations

import itertools
import re
import struct
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Final, NamedTuple

from bot.library.library import fold
from bot.library.quotes.vocabulary import (
    EMOTIVE,
    FILLER_OPENERS,
    FUNCTION_WORDS,
    GESTURES,
    MID_THOUGHT_OPENERS,
    SECOND_PERSON,
)

WORD: Final = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
FIELD_BITS: Final = 32


class Kind:
    """What a word counts as: each kind is the bit offset of its field in a packed count."""

    EMOTIVE: Final = 0 * FIELD_BITS
    SECOND_PERSON: Final = 1 * FIELD_BITS
    CONTENT: Final = 2 * FIELD_BITS  # carries meaning: 3+ letters, not a function word or name
    NAME: Final = 3 * FIELD_BITS
    GESTURE: Final = 4 * FIELD_BITS
    FILLER_OPENER: Final = 5 * FIELD_BITS
    MID_THOUGHT_OPENER: Final = 6 * FIELD_BITS


class WordCounts(NamedTuple):
    """How many words of each `Kind` a range of words holds (fields in `Kind` order)."""

    emotive: int
    second_person: int
    content: int
    names: int
    gestures: int
    filler_openers: int
    mid_thought_openers: int


# A packed count read as little-endian unsigned 32-bit fields (FIELD_BITS): one call for all.
_FIELDS: Final = struct.Struct(f"<{len(WordCounts._fields)}I")


def fold_word(word: str) -> str:
    """A word folded for the vocabulary tables (curly apostrophes, as most stories write)."""
    return fold(word).replace("'", "’")


def _kinds(folded: str, folded_names: Collection[str]) -> Iterable[int]:
    if folded in EMOTIVE:
        yield Kind.EMOTIVE
    if folded in SECOND_PERSON:
        yield Kind.SECOND_PERSON
    if folded in folded_names:
        yield Kind.NAME
    elif len(folded) >= 3 and folded not in FUNCTION_WORDS:
        yield Kind.CONTENT
    if folded in GESTURES:
        yield Kind.GESTURE
    if folded in FILLER_OPENERS:
        yield Kind.FILLER_OPENER
    if folded in MID_THOUGHT_OPENERS:
        yield Kind.MID_THOUGHT_OPENER


def word_kinds(words: Iterable[str], folded_names: Collection[str]) -> dict[str, int]:
    """Each distinct word (as written) with its kinds packed, one count of 1 per kind."""
    return {
        word: sum(1 << kind for kind in _kinds(fold_word(word), folded_names))
        for word in set(words)
    }


def running_counts(words: Sequence[str], kinds: Mapping[str, int]) -> list[int]:
    """`result[i]` is the packed counts of `words[:i]`; `kinds` must hold every word."""
    return list(itertools.accumulate(map(kinds.__getitem__, words), initial=0))


def counts_of(packed: int) -> WordCounts:
    """The counts a packed count holds."""
    return WordCounts._make(_FIELDS.unpack(packed.to_bytes(_FIELDS.size, "little")))
