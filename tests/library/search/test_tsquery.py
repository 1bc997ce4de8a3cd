"""The tsquery rendering, read back by a small tsquery reader of our own (the tests against a
real PostgreSQL are in test_postgres.py): well formed, and finding what the reference finds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from bot.library.search.engines import TSVECTOR_MAX_POSITION, to_tsquery, tsvector_text
from bot.library.search.matching import matches
from bot.library.search.query import Query, Term, parse_query
from bot.library.search.words import index_words
from tests.library.search.strategies import query_texts, searches
from tests.library.search.tsquery_grammar import evaluate, lexemes, parse_tsquery


@pytest.mark.parametrize(
    ("query", "tsquery"),
    [
        ("war", "'war'"),
        ("War PEACE", "'war' & 'peace'"),
        ('"war and peace"', "( 'war' <-> 'and' <-> 'peace' )"),
        ("pea*", "'pea':*"),
        ('"war and pea"*', "( 'war' <-> 'and' <-> 'pea':* )"),
        ("war -peace", "'war' & !'peace'"),
        ('-"and peace" war', "!( 'and' <-> 'peace' ) & 'war'"),
        ("don’t", "( 'don' <-> 't' )"),
        ("NEAR( col:x ^ & | ! <->", "'near' & ( 'col' <-> 'x' )"),
    ],
)
def test_tsquery_expression(query: str, tsquery: str) -> None:
    assert to_tsquery(parse_query(query)) == tsquery


def test_a_query_with_nothing_to_look_for_has_no_tsquery() -> None:
    with pytest.raises(ValueError, match="nothing to look for"):
        to_tsquery(parse_query("-only"))


def test_a_hand_made_term_with_quotes_and_backslashes_stays_one_lexeme() -> None:
    query = Query((Term(("it's", "a\\b"), prefix=True),))
    rendered = to_tsquery(query)
    assert rendered == "( 'it''s' <-> 'a\\\\b':* )"
    tree = parse_tsquery(rendered)
    assert evaluate(tree, ["it's", "a\\bc"])


@settings(max_examples=300, deadline=None)
@given(searches())
def test_tsquery_finds_what_the_reference_finds(search: tuple[list[str], Query]) -> None:
    texts, query = search
    if query.is_empty:
        return
    tree = parse_tsquery(to_tsquery(query))
    assert [lexeme.text for lexeme in lexemes(tree)] == [w for t in query.terms for w in t.words]
    for text in texts:
        assert evaluate(tree, index_words(text)) == matches(query, text)


@settings(max_examples=300, deadline=None)
@given(query_texts)
def test_every_typed_query_renders_to_a_well_formed_tsquery(typed: str) -> None:
    query = parse_query(typed)
    if not query.is_empty:
        parse_tsquery(to_tsquery(query))  # raises on anything malformed


@pytest.mark.parametrize(
    ("text", "tsvector"),
    [
        ("", ""),
        ("War and peace, and war.", "'war':1,5 'and':2,4 'peace':3"),
        ("Don’t", "'don':1 't':2"),
        ("Naïve café", "'naive':1 'cafe':2"),
    ],
)
def test_tsvector_text_lists_each_word_with_its_positions(text: str, tsvector: str) -> None:
    assert tsvector_text(text) == tsvector


def test_tsvector_positions_stop_at_postgresql_s_last() -> None:
    text = " ".join(["word"] * (TSVECTOR_MAX_POSITION + 2)) + " last"
    assert tsvector_text(text).endswith(f",{TSVECTOR_MAX_POSITION} 'last':{TSVECTOR_MAX_POSITION}")
