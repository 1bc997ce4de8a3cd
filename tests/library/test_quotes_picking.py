"""Serving quotes (bot.library.quotes.picking): the filters a reader types, and the picker."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.library.loader import load_story
from bot.library.quotes import (
    PICK_TEMPERATURE,
    Quote,
    QuotePick,
    find_quotes,
    matches,
    pick_quote,
    quote_id,
)
from tests.corpus import SEED


@pytest.fixture(scope="module")
def seed_quotes() -> tuple[Quote, ...]:
    return find_quotes(load_story(SEED))


# --- filters -----------------------------------------------------------------------------


def make_quote(text: str, score: float = 5.0, speaker: str | None = None) -> Quote:
    return Quote(quote_id(text), text, 0, 0, 0, score, speaker)


CAFE = make_quote('"Meet me at the Café (really.*) tonight, Derek," Stiles says.', speaker="Stiles")
PLAIN = make_quote("Zoé's heart was somewhere else, far from the warehouse.")


@pytest.mark.parametrize(
    ("quote", "contains", "expected"),
    [
        (CAFE, None, True),
        (CAFE, "", True),
        (CAFE, "   ", True),
        (CAFE, "cafe", True),
        (CAFE, "CAFÉ", True),
        (CAFE, "café (REALLY", True),
        (CAFE, "(really.*)", True),
        (CAFE, ".*", True),
        (CAFE, "r.*y", False),  # would match as a pattern
        (CAFE, "me  at\nthe", True),  # whitespace runs count as one space
        (CAFE, "Peter", False),
        (PLAIN, "zoe", True),
    ],
)
def test_contains_is_literal_and_folded(quote: Quote, contains: str | None, expected: bool) -> None:
    assert matches(quote, contains=contains) is expected


@pytest.mark.parametrize(
    ("quote", "character", "expected"),
    [
        (CAFE, "derek", True),  # named in the line
        (CAFE, "DEREK", True),
        (CAFE, "Der", False),  # whole words only
        (CAFE, "stiles", True),  # named in the attribution
        (make_quote('"I never knew anything." He breathes.', speaker="Derek"), "derek", True),
        (make_quote('"I never knew anything." He breathes.', speaker="Derek Hale"), "derek", True),
        (make_quote('"I never knew anything." He breathes.'), "derek", False),
        (PLAIN, "zoe", True),  # accents
        (PLAIN, "Zoé", True),
        (PLAIN, "Peter", False),
        (PLAIN, None, True),
    ],
)
def test_character_filter(quote: Quote, character: str | None, expected: bool) -> None:
    assert matches(quote, character=character) is expected


def test_filters_combine() -> None:
    assert matches(CAFE, contains="café", character="Stiles")
    assert not matches(CAFE, contains="café", character="Peter")
    assert not matches(CAFE, contains="warehouse", character="Stiles")


# --- the picker --------------------------------------------------------------------------


def pool(count: int) -> list[Quote]:
    return [
        make_quote(f"Line number {i} of the pool{' about Stiles' if i % 3 == 0 else ''}.", 4.0 + i)
        for i in range(count)
    ]


def run_reader(
    quotes: list[Quote], picks: int, rng: random.Random, **filters: str | None
) -> list[QuotePick]:
    """A reader as the bot keeps one: seen ids fed back, matching ids forgotten on restart."""
    seen: set[str] = {"not-a-quote"}
    result: list[QuotePick] = []
    for _ in range(picks):
        pick = pick_quote(quotes, seen, rng, **filters)
        assert pick is not None
        if pick.restarted:
            seen -= {q.id for q in quotes if matches(q, **filters)}
        seen.add(pick.quote.id)
        result.append(pick)
    return result


def test_the_picker_shows_every_quote_once_per_cycle() -> None:
    quotes = pool(10)
    picks = run_reader(quotes, 30, random.Random(7))
    for cycle in range(3):
        chunk = picks[cycle * 10 : cycle * 10 + 10]
        assert sorted(p.quote.id for p in chunk) == sorted(q.id for q in quotes)
        assert [p.restarted for p in chunk] == [cycle > 0] + [False] * 9
        assert [p.unseen_left for p in chunk] == list(range(9, -1, -1))
        assert all(p.matching == 10 for p in chunk)


def test_the_picker_cycles_over_the_matching_quotes_only() -> None:
    quotes = pool(12)
    matching = [q.id for q in quotes if "Stiles" in q.text]
    picks = run_reader(quotes, 3 * len(matching), random.Random(3), character="stiles")
    for cycle in range(3):
        chunk = picks[cycle * len(matching) : (cycle + 1) * len(matching)]
        assert sorted(p.quote.id for p in chunk) == sorted(matching)
        assert chunk[0].restarted is (cycle > 0)


def test_the_picker_ignores_seen_ids_of_other_quotes() -> None:
    quotes = pool(6)
    seen = {q.id for q in quotes if "Stiles" not in q.text}
    pick = pick_quote(quotes, seen, random.Random(1), character="Stiles")
    assert pick is not None
    assert not pick.restarted
    assert pick.matching == 2
    assert pick.unseen_left == 1


def test_the_picker_is_deterministic_for_a_seeded_rng() -> None:
    quotes = pool(15)
    first = [p.quote.id for p in run_reader(quotes, 40, random.Random(42))]
    second = [p.quote.id for p in run_reader(quotes, 40, random.Random(42))]
    other = [p.quote.id for p in run_reader(quotes, 40, random.Random(43))]
    assert first == second
    assert first != other


def test_the_picker_favours_higher_scores() -> None:
    quotes = [make_quote(f"Line {i} of a pool of quotable lines.", score) for i, score in
              enumerate([4.0, 6.0, 8.0])]  # fmt: skip
    rng = random.Random(2024)
    counts = Counter(
        pick.quote.score
        for pick in (pick_quote(quotes, set(), rng) for _ in range(6000))
        if pick is not None
    )
    assert counts[8.0] > counts[6.0] > counts[4.0]
    expected_ratio = math.exp(2.0 / PICK_TEMPERATURE)  # two points more
    assert counts[8.0] / counts[6.0] == pytest.approx(expected_ratio, rel=0.15)
    assert counts[6.0] / counts[4.0] == pytest.approx(expected_ratio, rel=0.15)


def test_the_best_quotes_tend_to_come_first_in_a_cycle() -> None:
    quotes = pool(10)
    best, worst = quotes[-1].id, quotes[0].id
    positions: dict[str, list[int]] = {best: [], worst: []}
    for seed in range(300):
        order = [p.quote.id for p in run_reader(quotes, 10, random.Random(seed))]
        positions[best].append(order.index(best))
        positions[worst].append(order.index(worst))
    assert sum(positions[best]) < sum(positions[worst])


def test_the_picker_returns_none_without_a_match() -> None:
    quotes = pool(5)
    assert pick_quote([], set(), random.Random(0)) is None
    assert pick_quote(quotes, set(), random.Random(0), contains="nowhere in any line") is None
    assert pick_quote(quotes, set(), random.Random(0), character="Peter") is None


def test_the_picker_on_the_seed(seed_quotes: tuple[Quote, ...]) -> None:
    rng = random.Random(5)
    pick = pick_quote(seed_quotes, set(), rng, character="Stiles")
    assert pick is not None
    assert matches(pick.quote, character="Stiles")
    pick = pick_quote(seed_quotes, set(), rng, contains="TRUTH")
    assert pick is not None
    assert "truth" in pick.quote.text


LINE_TEXT = st.text(alphabet=st.sampled_from(list("aZé ’.*(\n\t”ßﬁ")), min_size=1, max_size=80)


@settings(max_examples=300, deadline=None)
@given(LINE_TEXT, st.data())
def test_any_piece_of_a_line_finds_it(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    quote = make_quote(text)
    assert matches(quote, contains=text[start:end])
    assert matches(quote, contains=text[start:end].upper())
