"""What a hit is: the reference both engines are tested against, and where a hit's words are.

A paragraph matches a query when each required term occurs in its words (`words`) and no
excluded term does; a term occurs where its words follow each other in order, the last one
only starting with the term's last word when the term is a prefix. A query with nothing to
look for matches nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from bot.library.search.query import Query, Term
from bot.library.search.words import Word, index_words, words

MatchSpan = tuple[int, int]
"""`text[start:end]` of a paragraph: a place to show in bold."""


def _occurrences(term: Term, found: Sequence[str]) -> Iterator[int]:
    """The indexes in `found` where `term` starts."""
    *leading, last = term.words
    width = len(term.words)
    for start in range(len(found) - width + 1):
        end_word = found[start + width - 1]
        if (end_word.startswith(last) if term.prefix else end_word == last) and all(
            found[start + offset] == word for offset, word in enumerate(leading)
        ):
            yield start


def _occurs(term: Term, found: Sequence[str]) -> bool:
    if len(term.words) == 1 and not term.prefix:
        return term.words[0] in found
    return next(_occurrences(term, found), None) is not None


def _is_hit(query: Query, found: Sequence[str]) -> bool:
    return not query.is_empty and all(_occurs(term, found) != term.excluded for term in query.terms)


def matches(query: Query, text: str) -> bool:
    """True when paragraph `text` is a hit for `query`."""
    return _is_hit(query, index_words(text))


def match_spans(query: Query, text: str) -> list[MatchSpan]:
    """Where the required terms occur in `text` (each phrase one span), in order, overlapping
    spans merged; empty when `text` is not a hit."""
    placed = words(text)
    found = [word.folded for word in placed]
    if not _is_hit(query, found):
        return []
    spans = sorted(
        _span(placed, start, len(term.words))
        for term in query.required
        for start in _occurrences(term, found)
    )
    return _merged(spans)


def _span(placed: Sequence[Word], start: int, width: int) -> MatchSpan:
    return placed[start].start, placed[start + width - 1].end


def _merged(spans: Sequence[MatchSpan]) -> list[MatchSpan]:
    merged: list[MatchSpan] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
