"""Spoiler-free search, the parts that need no database and no Discord.

`words` folds and splits text (`index_text` is what the engines index); `query` parses what
a reader types (`parse_query`); `engines` renders a query for SQLite FTS5 and PostgreSQL;
`matching` says what a hit is and where its words are; `snippet` shows a hit; `scope` keeps
hits within what the reader has read.
"""

from bot.library.search.engines import FTS5_TOKENIZE, to_fts5, to_tsquery, tsvector_text
from bot.library.search.matching import MatchSpan, match_spans, matches
from bot.library.search.query import (
    MAX_TERMS,
    Dropped,
    DropReason,
    Query,
    Term,
    format_query,
    parse_query,
)
from bot.library.search.scope import ReadUpTo, count_ahead, is_read_hit, read_up_to, visible_text
from bot.library.search.snippet import SNIPPET_WIDTH, snippet
from bot.library.search.words import MAX_WORD_LENGTH, Word, index_text, index_words, words

__all__ = [
    "FTS5_TOKENIZE",
    "MAX_TERMS",
    "MAX_WORD_LENGTH",
    "SNIPPET_WIDTH",
    "DropReason",
    "Dropped",
    "MatchSpan",
    "Query",
    "ReadUpTo",
    "Term",
    "Word",
    "count_ahead",
    "format_query",
    "index_text",
    "index_words",
    "is_read_hit",
    "match_spans",
    "matches",
    "parse_query",
    "read_up_to",
    "snippet",
    "to_fts5",
    "to_tsquery",
    "tsvector_text",
    "visible_text",
    "words",
]
