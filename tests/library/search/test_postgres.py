"""The tsquery and tsvector renderings against a real PostgreSQL (a throwaway cluster, or
`$STORYBOT_TEST_POSTGRES_URL`, through the `postgres_admin_url` fixture): accepted, and
finding exactly the paragraphs the reference matcher finds. Skipped where PostgreSQL is not
to be had, as the storage tests are."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given, settings

from bot.library.search.engines import TSVECTOR_MAX_POSITION, to_tsquery, tsvector_text
from bot.library.search.matching import matches
from bot.library.search.query import Query, parse_query
from bot.library.search.words import index_text
from tests.library.search.strategies import query_texts, searches
from tests.library.search.tsquery_grammar import lexemes, parse_tsquery

asyncpg = pytest.importorskip("asyncpg")
pytest.importorskip("tests.pg_server", reason="no throwaway PostgreSQL server in this tree")

Fetch = Callable[..., Any]

_MATCHES = """
    SELECT coalesce(array_agg(body::tsvector @@ $2::tsquery ORDER BY row), '{}')
    FROM unnest($1::text[]) WITH ORDINALITY AS paragraphs(body, row)
"""


@pytest.fixture(scope="module")
def fetch(postgres_admin_url: str) -> Iterator[Fetch]:
    """`fetch(sql, *args)`: the first value of the first row, on one connection (its own
    event loop, so that hypothesis can drive it from plain test functions)."""
    loop = asyncio.new_event_loop()
    connection = loop.run_until_complete(asyncpg.connect(postgres_admin_url))

    def value(sql: str, *args: object) -> Any:
        return loop.run_until_complete(connection.fetchval(sql, *args))

    yield value
    loop.run_until_complete(connection.close())
    loop.close()


@settings(max_examples=200, deadline=None)
@given(search=searches())
def test_postgresql_finds_what_the_reference_finds(
    fetch: Fetch, search: tuple[list[str], Query]
) -> None:
    texts, query = search
    if query.is_empty:
        return
    found = fetch(_MATCHES, [tsvector_text(text) for text in texts], to_tsquery(query))
    assert list(found) == [matches(query, text) for text in texts]


@settings(max_examples=200, deadline=None)
@given(typed=query_texts)
def test_every_typed_query_is_a_tsquery_postgresql_accepts(fetch: Fetch, typed: str) -> None:
    query = parse_query(typed)
    if query.is_empty:
        return
    rendered = to_tsquery(query)
    as_read = fetch("SELECT $1::tsquery::text", rendered)  # as PostgreSQL writes it back
    assert [lexeme.text for lexeme in lexemes(parse_tsquery(as_read))] == [
        word for term in query.terms for word in term.words
    ]
    assert fetch("SELECT to_tsquery('simple', $1) IS NOT NULL", rendered)


@pytest.mark.parametrize(
    "text",
    [
        "“Well, Prince, so Genoa and Lucca are now just family estates of the Buonapartes.”",
        "Naïve café owners don’t read l’Œuvre — do they? 1812, 1,000 and 3.14.",
        "Война и мир: Ελλάδα, हिंदी, 中国人.",
    ],
)
def test_postgresql_s_own_parser_reads_ordinary_index_text_alike(fetch: Fetch, text: str) -> None:
    """`to_tsvector('simple', index_text(…))` gives the same tsvector for ordinary prose (see
    engines.py for the words where it does not)."""
    parsed = fetch("SELECT to_tsvector('simple', $1)::text", index_text(text))
    assert parsed == fetch("SELECT $1::tsvector::text", tsvector_text(text))


def test_a_very_long_paragraph_is_a_valid_tsvector(fetch: Fetch) -> None:
    text = " ".join(["word"] * (TSVECTOR_MAX_POSITION + 500)) + " last words"
    found = fetch(_MATCHES, [tsvector_text(text)], to_tsquery(parse_query('word "last"')))
    assert list(found) == [True]
