"""The FTS5 rendering against a real SQLite FTS5 table (the stdlib's): accepted, and finding
exactly the paragraphs the reference matcher finds."""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.library.search.engines import FTS5_TOKENIZE, to_fts5
from bot.library.search.matching import matches
from bot.library.search.query import Query, Term, parse_query
from bot.library.search.words import index_text
from tests.library.search.strategies import paragraphs, query_texts, searches


def _fts5_table() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute(
            f'CREATE VIRTUAL TABLE hits USING fts5(body, tokenize="{FTS5_TOKENIZE}")'
        )
    except sqlite3.OperationalError as error:  # built without FTS5, or older than 3.25
        connection.close()
        pytest.skip(f"this SQLite has no FTS5 with the categories option: {error}")
    return connection


@pytest.fixture
def fts5() -> Iterator[sqlite3.Connection]:
    connection = _fts5_table()
    yield connection
    connection.close()


def _fts5_hits(connection: sqlite3.Connection, texts: list[str], query: Query) -> set[int]:
    connection.execute("DELETE FROM hits")
    connection.executemany(
        "INSERT INTO hits(rowid, body) VALUES (?, ?)",
        [(row, index_text(text)) for row, text in enumerate(texts)],
    )
    found = connection.execute("SELECT rowid FROM hits WHERE hits MATCH ?", (to_fts5(query),))
    return {row for (row,) in found}


@pytest.mark.parametrize(
    ("query", "expression"),
    [
        ("war", '"war"'),
        ("War PEACE", '"war" AND "peace"'),
        ('"war and peace"', '"war and peace"'),
        ("pea*", '"pea" *'),
        ('"war and pea"*', '"war and pea" *'),
        ("war -peace", '("war") NOT ("peace")'),
        ('war -"and peace" -x', '("war") NOT ("and peace" OR "x")'),
        ("don’t", '"don t"'),
        ("NEAR( col:x ^ AND OR NOT", '"near" AND "col x" AND "and" AND "or" AND "not"'),
    ],
)
def test_fts5_expression(query: str, expression: str) -> None:
    assert to_fts5(parse_query(query)) == expression


def test_a_query_with_nothing_to_look_for_has_no_expression() -> None:
    with pytest.raises(ValueError, match="nothing to look for"):
        to_fts5(parse_query("-only -exclusions"))


def test_a_hand_made_term_with_a_quote_stays_a_string(fts5: sqlite3.Connection) -> None:
    query = Query((Term(('x" OR "y',)),))
    assert _fts5_hits(fts5, ["x", "y", 'x" OR "y'], query) == {2}


@settings(max_examples=250, deadline=None)
@given(searches())
def test_fts5_finds_what_the_reference_finds(search: tuple[list[str], Query]) -> None:
    texts, query = search
    connection = _fts5_table()
    try:
        if query.is_empty:
            return
        expected = {row for row, text in enumerate(texts) if matches(query, text)}
        assert _fts5_hits(connection, texts, query) == expected
    finally:
        connection.close()


@settings(max_examples=250, deadline=None)
@given(st.lists(paragraphs, min_size=1, max_size=4), query_texts)
def test_every_typed_query_is_an_expression_fts5_accepts(texts: list[str], typed: str) -> None:
    query = parse_query(typed)
    if query.is_empty:
        return
    connection = _fts5_table()
    try:
        expected = {row for row, text in enumerate(texts) if matches(query, text)}
        assert _fts5_hits(connection, texts, query) == expected
    finally:
        connection.close()


def test_fts5_reads_index_text_into_the_same_words(fts5: sqlite3.Connection) -> None:
    """Every assigned character of Unicode, indexed: FTS5's tokenizer (Unicode 6.1 tables)
    neither splits, joins nor changes any word of ours (Unicode of this Python)."""
    every = " ".join(
        chr(code)
        for code in range(0x110000)
        if unicodedata.category(chr(code)) not in ("Cn", "Co", "Cs")
    )
    indexed = index_text(every)
    fts5.execute("CREATE VIRTUAL TABLE terms USING fts5vocab(hits, instance)")
    fts5.execute("INSERT INTO hits(rowid, body) VALUES (1, ?)", (indexed,))
    tokens = [term for (term,) in fts5.execute("SELECT term FROM terms ORDER BY offset")]
    assert tokens == indexed.split()
    assert len(tokens) > 100_000  # the scripts of the world are there
