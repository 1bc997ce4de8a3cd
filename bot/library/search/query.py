"""The query language a reader can guess, parsed into terms that no engine sees raw.

    natasha ball        both words, anywhere in the paragraph, in any order
    "the little princess"   a phrase: these words, next to each other, in this order
    prince*             a prefix: prince, princess, princely…
    -pierre  -"old prince"  without that word or phrase
    "war and pea"*      a phrase whose last word is a prefix

Case and accents never matter; straight and curly quotes (and « », „ “) open and close a
phrase alike; a word written with an apostrophe or a hyphen (`don’t`, `well-known`) is the
phrase of its parts, as the text is split (see `words`). Everything else is text to look for:
`AND`, `OR`, `NEAR(`, `col:x` and `^` are words or separators like any other, so no input
can reach an engine's own syntax, and none is an error. An unclosed quote runs to the end.

Parsing is one pass over the input. What the bounds leave out is kept in `Query.dropped`, so
that the reply can say so.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from bot.library.search.words import MAX_WORD_LENGTH, folded_words

MAX_TERMS: Final = 20
"""Words and phrases (excluded ones too) of one query; later ones are dropped."""
MAX_PHRASE_WORDS: Final = 12
"""Words of one phrase; a longer phrase is cut to its first ones."""
MIN_PREFIX_LENGTH: Final = 2
"""Letters before a `*` (a one-letter prefix would match most of the text)."""
EXAMPLE_LENGTH: Final = 40
"""Characters of a dropped term kept to show the reader."""

QUOTES: Final = frozenset('"“”„‟«»＂″')
EXCLUDE: Final = frozenset("-‐‑–—−")  # hyphen-minus, hyphens, dashes, minus: what phones type
PREFIX: Final = "*"


class DropReason(StrEnum):
    TOO_MANY_TERMS = "too many terms"
    WORD_TOO_LONG = "word too long"
    PREFIX_TOO_SHORT = "prefix too short"
    PHRASE_CUT = "phrase too long"


@dataclass(frozen=True, slots=True)
class Dropped:
    """What a bound left out: `count` terms for `reason`, the first of them as typed."""

    reason: DropReason
    count: int
    example: str


@dataclass(frozen=True, slots=True)
class Term:
    """Folded words to find next to each other, in order (one word, or a phrase).

    `prefix`: the last word may be the start of a longer one. `excluded`: the paragraph must
    not hold it.
    """

    words: tuple[str, ...]
    prefix: bool = False
    excluded: bool = False

    def __post_init__(self) -> None:
        if not self.words:
            raise ValueError("a term has at least one word")


@dataclass(frozen=True, slots=True)
class Query:
    """The terms of a query, in the order typed, and what its bounds left out."""

    terms: tuple[Term, ...]
    dropped: tuple[Dropped, ...] = ()

    @property
    def required(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if not term.excluded)

    @property
    def excluded(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if term.excluded)

    @property
    def is_empty(self) -> bool:
        """True when there is nothing to look for (no terms, or only exclusions): the reply is
        "type a word to search for", and no engine is asked."""
        return not any(not term.excluded for term in self.terms)


@dataclass(frozen=True, slots=True)
class _Typed:
    """One term as typed: its text (quotes, `-` and `*` removed) and what they said."""

    text: str
    prefix: bool
    excluded: bool
    shown: str  # as typed, for the reply


def _typed_terms(text: str) -> Iterator[_Typed]:
    """Cut the input into terms: bare words (up to a space or a quote) and quoted phrases,
    each with its leading `-` and trailing `*`. One pass; every input gives some split."""
    length = len(text)
    i = 0
    while i < length:
        char = text[i]
        if char.isspace():
            i += 1
            continue
        start = i
        excluded = char in EXCLUDE and i + 1 < length and not text[i + 1].isspace()
        if excluded:
            i += 1
        if text[i] in QUOTES:
            close = next((j for j in range(i + 1, length) if text[j] in QUOTES), length)
            body, i, quoted = text[i + 1 : close], close + 1, True
        else:
            end = i
            while end < length and not text[end].isspace() and text[end] not in QUOTES:
                end += 1
            body, i, quoted = text[i:end], end, False
        if quoted:  # `"war and pea"*`, or the star typed inside: `"war and pea*"`
            closed = i
            while i < length and text[i] == PREFIX:
                i += 1
            prefix = i > closed or body.rstrip().endswith(PREFIX)
        else:
            prefix = body.endswith(PREFIX)
        yield _Typed(body.rstrip().rstrip(PREFIX), prefix, excluded, text[start:i])


def parse_query(text: str) -> Query:
    """The query a reader typed, as terms to look for. Never raises; linear in `len(text)`.

    A term that holds no word (punctuation, emoji) is ignored; a repeated term counts once.
    """
    terms: list[Term] = []
    seen: set[Term] = set()
    dropped: dict[DropReason, Dropped] = {}

    def drop(reason: DropReason, shown: str) -> None:
        before = dropped.get(reason)
        example = before.example if before else shown[:EXAMPLE_LENGTH]
        dropped[reason] = Dropped(reason, (before.count if before else 0) + 1, example)

    for typed in _typed_terms(text):
        found = tuple(folded_words(typed.text))
        if not found:
            continue
        if any(len(word) > MAX_WORD_LENGTH for word in found):
            drop(DropReason.WORD_TOO_LONG, typed.shown)
            continue
        prefix = typed.prefix
        if len(found) > MAX_PHRASE_WORDS:
            drop(DropReason.PHRASE_CUT, typed.shown)
            found, prefix = found[:MAX_PHRASE_WORDS], False
        if prefix and len(found) == 1 and len(found[0]) < MIN_PREFIX_LENGTH:
            drop(DropReason.PREFIX_TOO_SHORT, typed.shown)
            continue
        term = Term(found, prefix, typed.excluded)
        if term in seen:
            continue
        if len(terms) == MAX_TERMS:
            drop(DropReason.TOO_MANY_TERMS, typed.shown)
            continue
        seen.add(term)
        terms.append(term)
    return Query(tuple(terms), tuple(dropped.values()))


def format_query(query: Query) -> str:
    """The query written in its own language, folded: `parse_query` reads it back to the same
    terms (for a button that carries the query)."""
    written = []
    for term in query.terms:
        body = " ".join(term.words)
        if len(term.words) > 1:
            body = f'"{body}"'
        written.append(("-" if term.excluded else "") + body + (PREFIX if term.prefix else ""))
    return " ".join(written)
