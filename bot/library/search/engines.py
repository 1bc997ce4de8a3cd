"""A parsed query in each engine's syntax, built from folded words only (never from input).

SQLite: index `index_text(paragraph)` in an FTS5 table made with `FTS5_TOKENIZE`, and search
with `… MATCH ?` bound to `to_fts5(query)`. The tokenizer only lowercases and splits at
spaces what `index_text` already folded: diacritics are removed here, in Python, and marks
count as letters (`categories`), so that Hindi or Thai words are not cut at their vowel signs.

PostgreSQL: store `tsvector_text(paragraph)` cast with `::tsvector`, and search with
`@@ $1::tsquery` bound to `to_tsquery(query)`. Those casts read lexemes as written, so the
server's parser, dictionary and locale play no part. `to_tsvector('simple', index_text(…))`
with `to_tsquery('simple', to_tsquery(query))` is nearly the same, but the parser reads some
words differently from us whatever we fold: it cuts `1e5x` into `1e5` and `x` (scientific
notation), and outside the C locale it asks the C library which characters are letters.
"""

from __future__ import annotations

from typing import Final

from bot.library.search.query import Query, Term
from bot.library.search.words import index_words

FTS5_TOKENIZE: Final = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"
"""The `tokenize` option of the FTS5 table that `to_fts5` queries."""

TSVECTOR_MAX_POSITION: Final = 16383
"""PostgreSQL keeps word positions up to this; later words all sit at it."""


def _fts5_string(term: Term) -> str:
    # Words never hold a quote; doubling any would keep a hand-made Term a string all the same.
    quoted = '"' + " ".join(term.words).replace('"', '""') + '"'
    return quoted + " *" if term.prefix else quoted


def to_fts5(query: Query) -> str:
    """An FTS5 MATCH expression for `query`: every term one quoted string (a phrase, to FTS5),
    `"word" *` for a prefix, exclusions after the one binary NOT FTS5 has.

    Raises ValueError for a query with nothing to look for (FTS5 cannot search for absence).
    """
    if query.is_empty:
        raise ValueError("the query has nothing to look for")
    required = " AND ".join(_fts5_string(term) for term in query.required)
    if not query.excluded:
        return required
    excluded = " OR ".join(_fts5_string(term) for term in query.excluded)
    return f"({required}) NOT ({excluded})"


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsquery_term(term: Term) -> str:
    lexemes = [_lexeme(word) for word in term.words]
    if term.prefix:
        lexemes[-1] += ":*"
    body = " <-> ".join(lexemes)
    if term.excluded:
        return f"!( {body} )" if len(lexemes) > 1 else f"!{body}"
    return f"( {body} )" if len(lexemes) > 1 else body


def to_tsquery(query: Query) -> str:
    """A PostgreSQL tsquery for `query`: `&` between terms, `<->` within a phrase, `:*` for a
    prefix, `!` for an exclusion, every lexeme quoted. Valid as `$1::tsquery` and as
    `to_tsquery('simple', $1)`.

    Raises ValueError for a query with nothing to look for.
    """
    if query.is_empty:
        raise ValueError("the query has nothing to look for")
    return " & ".join(_tsquery_term(term) for term in query.terms)


def tsvector_text(text: str) -> str:
    """The tsvector of paragraph `text` as PostgreSQL writes one (`'word':1,3 'other':2`): the
    words of `index_text`, each with its positions (1-based, at most TSVECTOR_MAX_POSITION)."""
    found = index_words(text)
    positions: dict[str, list[int]] = {}
    for position, word in enumerate(found[:TSVECTOR_MAX_POSITION], start=1):
        positions.setdefault(word, []).append(position)
    for word in dict.fromkeys(found[TSVECTOR_MAX_POSITION:]):  # words past it: there, once
        at = positions.setdefault(word, [])
        if not at or at[-1] != TSVECTOR_MAX_POSITION:
            at.append(TSVECTOR_MAX_POSITION)
    # Words are letters, digits and marks: no quote or backslash to escape.
    return " ".join(f"'{word}':{','.join(map(str, at))}" for word, at in positions.items())
