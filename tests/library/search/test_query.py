from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.library.search.query import (
    EXAMPLE_LENGTH,
    MAX_PHRASE_WORDS,
    MAX_TERMS,
    Dropped,
    DropReason,
    Query,
    Term,
    format_query,
    parse_query,
)
from bot.library.search.words import MAX_WORD_LENGTH
from tests.library.search.strategies import query_texts


def word(text: str, excluded: bool = False, *, prefix: bool = False) -> Term:
    return Term(tuple(text.split()), prefix=prefix, excluded=excluded)


@pytest.mark.parametrize(
    ("typed", "terms"),
    [
        ("natasha ball", [word("natasha"), word("ball")]),
        ("  Natasha\tBALL  ", [word("natasha"), word("ball")]),
        ('"the little princess"', [word("the little princess")]),
        ("“the little princess”", [word("the little princess")]),
        ("«la petite» „klein“", [word("la petite"), word("klein")]),
        ("prince*", [word("prince", prefix=True)]),
        ('"war and pea"*', [word("war and pea", prefix=True)]),
        ('"war and pea*"', [word("war and pea", prefix=True)]),
        ("-pierre war", [word("pierre", excluded=True), word("war")]),
        ("war −pierre –bald", [word("war"), word("pierre", excluded=True), word("bald", True)]),
        ('-"old prince" war', [word("old prince", excluded=True), word("war")]),
        ("-prince*", [word("prince", prefix=True, excluded=True)]),
        ("naïve CAFÉ", [word("naive"), word("cafe")]),
        ("don’t don't", [word("don t")]),  # one term: the same phrase twice
        ("well-known", [word("well known")]),
        ("war - peace", [word("war"), word("peace")]),  # a lone dash excludes nothing
        ("war-", [word("war")]),
        ('"unclosed phrase', [word("unclosed phrase")]),
        ('a"b c"d', [word("a"), word("b c"), word("d")]),
        ("pea*ce", [word("pea ce")]),  # a star inside a word separates
        ("中国", [word("中 国")]),
    ],
)
def test_parse_query(typed: str, terms: list[Term]) -> None:
    query = parse_query(typed)
    assert query.terms == tuple(terms)
    assert query.dropped == ()


HOSTILE = [
    "NEAR(",
    "NEAR(war peace, 5)",
    "col:x",
    "body:war",
    "^war",
    '"',
    '"""',
    "“",
    "AND OR NOT",
    "war AND peace OR NOT",
    "'; DROP TABLE paragraphs; --",
    "'war' & !'peace' <-> x:*",
    "(((((",
    ")))",
    "*",
    "***",
    "-",
    "--",
    "- -",
    '-"',
    "!@#$%^&*()_+{}|:<>?~`-=[]\\;',./" * 10,  # 300+ characters of punctuation
    "🎉" * 50,
    "👩‍👩‍👧🇫🇷🏳️‍🌈",
    "\x00\x01\x02\x1b[31m\x7f",
    "\ud800\udfff lone \udc00 surrogates",
    "war\u200bpeace\u2028\u2029",
    "w" * 10_000,
    "war " * 2_500,
    "a " * 5_000,
    '"' * 10_000,
    "-" * 10_000,
    "*" * 10_000,
    "-a* " * 2_500,
    '"a b' * 2_500,
    '"a"' + "*" * 10_000,
    "-" + '"' * 9_999,
]


@pytest.mark.parametrize("typed", HOSTILE, ids=lambda typed: repr(typed[:24]))
def test_hostile_queries_parse_within_bounds(typed: str) -> None:
    query = parse_query(typed)
    assert len(query.terms) <= MAX_TERMS
    assert all(0 < len(w) <= MAX_WORD_LENGTH for term in query.terms for w in term.words)
    assert parse_query(format_query(query)).terms == query.terms


@pytest.mark.parametrize(
    ("typed", "has_something"),
    [
        ("NEAR(", True),
        ("col:x", True),
        ("AND OR NOT", True),
        ("!@#$%^&*()" * 30, False),
        ("🎉" * 50, False),
        ("", False),
        ("   ", False),
        ("-only -exclusions", False),
        ('-"only this"', False),
        ("a*", False),  # a one-letter prefix is dropped
    ],
)
def test_whether_a_query_has_something_to_look_for(typed: str, has_something: bool) -> None:
    assert parse_query(typed).is_empty is not has_something


def test_terms_beyond_the_limit_are_dropped_and_counted() -> None:
    query = parse_query(" ".join(f"w{n}" for n in range(MAX_TERMS + 5)))
    assert [term.words[0] for term in query.terms] == [f"w{n}" for n in range(MAX_TERMS)]
    assert query.dropped == (Dropped(DropReason.TOO_MANY_TERMS, 5, f"w{MAX_TERMS}"),)


def test_a_word_too_long_is_dropped_with_an_example() -> None:
    long_word = "x" * (MAX_WORD_LENGTH + 1)
    query = parse_query(f"war {long_word} peace {long_word}y")
    assert query.terms == (word("war"), word("peace"))
    assert query.dropped == (Dropped(DropReason.WORD_TOO_LONG, 2, long_word[:EXAMPLE_LENGTH]),)


def test_a_phrase_too_long_is_cut_to_its_first_words() -> None:
    words = [f"w{n}" for n in range(MAX_PHRASE_WORDS + 3)]
    query = parse_query('"' + " ".join(words) + '"*')
    assert query.terms == (Term(tuple(words[:MAX_PHRASE_WORDS])),)  # no longer a prefix
    assert [dropped.reason for dropped in query.dropped] == [DropReason.PHRASE_CUT]


def test_a_one_letter_prefix_is_dropped_but_not_in_a_phrase() -> None:
    query = parse_query('a* "war a"*')
    assert query.terms == (word("war a", prefix=True),)
    assert query.dropped == (Dropped(DropReason.PREFIX_TOO_SHORT, 1, "a*"),)


@settings(max_examples=500, deadline=None)
@given(query_texts)
def test_any_input_parses_within_bounds(typed: str) -> None:
    query = parse_query(typed)
    assert len(query.terms) <= MAX_TERMS
    assert len(set(query.terms)) == len(query.terms)
    for term in query.terms:
        assert 0 < len(term.words) <= MAX_PHRASE_WORDS
        assert all(0 < len(w) <= MAX_WORD_LENGTH and " " not in w for w in term.words)
    assert all(dropped.count > 0 for dropped in query.dropped)
    assert query.is_empty is (not query.required)


@settings(max_examples=500, deadline=None)
@given(query_texts)
def test_a_formatted_query_reads_back_the_same(typed: str) -> None:
    query = parse_query(typed)
    assert parse_query(format_query(query)) == Query(query.terms)


@given(st.lists(st.sampled_from(["war", "peace", '"war peace"', "-x", "pea*"]), max_size=8))
def test_the_order_of_terms_is_kept(parts: list[str]) -> None:
    query = parse_query(" ".join(parts))
    seen: list[str] = []
    for part in parts:
        if part not in seen:
            seen.append(part)
    assert format_query(query) == " ".join(seen)
