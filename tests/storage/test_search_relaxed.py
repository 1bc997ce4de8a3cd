"""PostgreSQL's relaxed query for clipped paragraphs: it finds every paragraph the query
finds (the caller's check then drops the others)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from bot.library.search import Query, matches, parse_query
from bot.storage.postgres_search import paragraph_vector, relaxed
from tests.library.search.strategies import searches


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("war peace", "war peace"),
        ('"the old prince"', "the old prince"),
        ('"war and pea"*', "war and pea*"),
        ('natasha -"the ball" -pierre', "natasha -pierre"),
        ("don't -won't", "don t"),
        ('"the end" the', "the end"),
    ],
)
def test_phrases_become_their_words(typed: str, expected: str) -> None:
    assert relaxed(parse_query(typed)) == parse_query(expected)


@settings(max_examples=300, deadline=None)
@given(searches())
def test_the_relaxed_query_finds_at_least_what_the_query_finds(
    search: tuple[list[str], Query],
) -> None:
    texts, query = search
    if query.is_empty:
        return
    for text in texts:
        if matches(query, text):
            assert matches(relaxed(query), text)


@pytest.mark.parametrize(
    ("text", "clipped"),
    [
        ("A short paragraph, the end.", False),
        (" ".join(["the"] * 256), False),
        (" ".join(["the"] * 257), True),
        (" ".join(f"w{n}" for n in range(16_382)), False),
        (" ".join(f"w{n}" for n in range(16_383)), True),  # at the last position: it may be
        (" ".join(f"w{n}" for n in range(20_000)), True),
        ("", False),
    ],
)
def test_a_paragraph_is_clipped_where_postgresql_loses_positions(text: str, clipped: bool) -> None:
    assert paragraph_vector(text)[1] is clipped
