from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings

from bot.library.search.matching import match_spans, matches
from bot.library.search.query import Query, parse_query
from bot.library.search.words import index_text, words
from tests.library.search.strategies import searches

TEXT = "“Don’t,” said Pierre’s friend, the well-known naïve CAFÉ owner. War—and peace."


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("naive", ["naïve"]),  # accents ignored, as the issue asks
        ("cafe", ["CAFÉ"]),
        ("Café", ["CAFÉ"]),
        ("don't", ["Don’t"]),  # straight finds curly
        ("don’t", ["Don’t"]),
        ("pierre", ["Pierre"]),  # a name finds its possessive
        ("pierre's", ["Pierre’s"]),
        ("well-known", ["well-known"]),
        ('"well known"', ["well-known"]),
        ("well known", ["well", "known"]),
        ("owner friend", ["friend", "owner"]),  # any order; shown in reading order
        ('"war and peace"', ["War—and peace"]),
        ("frie*", ["friend"]),
        ('"naive caf"*', ["naïve CAFÉ"]),
        ("said -napoleon", ["said"]),
    ],
)
def test_a_hit_and_where_it_is(query: str, shown: list[str]) -> None:
    parsed = parse_query(query)
    assert matches(parsed, TEXT)
    assert [TEXT[start:end] for start, end in match_spans(parsed, TEXT)] == shown


@pytest.mark.parametrize(
    "query",
    [
        "dont",  # the apostrophe separates: `don t`, not `dont`
        "napoleon",
        "said -pierre",
        'said -"well known"',
        '"known well"',  # a phrase keeps its order
        '"war peace"',  # and its neighbours
        "friends",
        "fri",
        "-said",  # nothing to look for
        "",
        "🎉",
    ],
)
def test_not_a_hit(query: str) -> None:
    parsed = parse_query(query)
    assert not matches(parsed, TEXT)
    assert match_spans(parsed, TEXT) == []


def test_overlapping_matches_are_one_span() -> None:
    text = "the old prince and the old prince"
    query = parse_query('"old prince" "the old" prince')
    assert [text[s:e] for s, e in match_spans(query, text)] == ["the old prince"] * 2


@settings(max_examples=400, deadline=None)
@given(searches())
def test_spans_are_given_exactly_for_hits(search: tuple[list[str], Query]) -> None:
    texts, query = search
    for text in texts:
        spans = match_spans(query, text)
        assert bool(spans) == matches(query, text)
        assert spans == sorted(spans)
        assert all(0 <= s < e <= len(text) for s, e in spans)
        assert all(e1 < s2 for (_, e1), (s2, _) in itertools.pairwise(spans))


@settings(max_examples=400, deadline=None)
@given(searches())
def test_every_span_starts_and_ends_on_a_word(search: tuple[list[str], Query]) -> None:
    texts, query = search
    for text in texts:
        starts = {word.start for word in words(text)}
        ends = {word.end for word in words(text)}
        for start, end in match_spans(query, text):
            assert start in starts
            assert end in ends
            assert index_text(text[start:end])  # words, not only separators


@settings(max_examples=400, deadline=None)
@given(searches())
def test_a_hit_is_a_hit_of_its_index_text(search: tuple[list[str], Query]) -> None:
    """What the engines index is enough to decide: matching the folded text agrees."""
    texts, query = search
    for text in texts:
        assert matches(query, index_text(text)) == matches(query, text)
