"""PostgreSQL's rows for paragraphs past its limits: such a paragraph keeps its index text,
where looking for each term as a string finds exactly what the reference matcher finds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from bot.library.search import Query, index_text, matches, parse_query
from bot.storage.postgres_search import paragraph_row, term_strings
from tests.library.search.strategies import searches


def found_as_strings(query: Query, text: str) -> bool:
    """What the search statement asks of a kept index text, in Python."""
    padded = f" {index_text(text)} "
    return all(term in padded for term in term_strings(query.required)) and not any(
        term in padded for term in term_strings(query.excluded)
    )


@pytest.mark.parametrize(
    ("typed", "strings"),
    [
        ("war peace", [" war ", " peace "]),
        ('"the old prince"', [" the old prince "]),
        ('"war and pea"*', [" war and pea"]),
        ("prince*", [" prince"]),
        ("Don’t", [" don t "]),
    ],
)
def test_terms_as_strings(typed: str, strings: list[str]) -> None:
    assert term_strings(parse_query(typed).terms) == strings


@settings(max_examples=400, deadline=None)
@given(searches())
def test_terms_as_strings_find_what_the_reference_finds(search: tuple[list[str], Query]) -> None:
    texts, query = search
    if query.is_empty:
        return
    assert [found_as_strings(query, text) for text in texts] == [
        matches(query, text) for text in texts
    ]


@pytest.mark.parametrize(
    ("text", "kept"),
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
def test_the_index_text_is_kept_where_postgresql_loses_positions(text: str, kept: bool) -> None:
    vector, padded = paragraph_row(text)
    assert (padded is not None) is kept
    if padded is not None:
        assert padded == f" {index_text(text)} "
        assert vector  # the words are there for ts_rank, positions or not
