"""The first story, as readers will get it."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.library.breaks import is_scene_break
from bot.library.loader import load_story
from bot.library.model import Story
from bot.library.render import discord_length
from bot.library.stats import (
    count_words,
    minutes_left,
    percent_at_end,
    percent_at_start,
    reading_minutes,
)
from bot.library.text import normalise
from tests.corpus import SEED
from tests.library.invariants import assert_story_invariants


@pytest.fixture(scope="module")
def seed() -> Story:
    return load_story(SEED)


def test_seed_loads_with_its_id_title_and_five_scenes(seed: Story) -> None:
    assert seed.id == "lay-your-heart-bare"
    assert seed.title == "Lay Your Heart Bare"
    assert len(seed.scenes) == 5
    assert [len(scene.pages) for scene in seed.scenes] == [1, 1, 2, 1, 1]


def test_seed_preface_is_not_story_text(seed: Story) -> None:
    first = seed.scenes[0].paragraphs[0].text
    assert first == "This kid is following him."
    all_text = "\n".join(p.text for scene in seed.scenes for p in scene.paragraphs)
    assert "Work Header" not in all_text
    assert "Work Text:" not in all_text


def test_seed_third_scene_is_6756_characters_on_two_similar_pages(seed: Story) -> None:
    scene = seed.scenes[2]
    assert len("\n\n".join(p.text for p in scene.paragraphs)) == 6756
    lengths = [discord_length(page.markdown) for page in scene.pages]
    assert len(lengths) == 2
    assert max(lengths) <= 4096
    assert min(lengths) / max(lengths) > 0.8  # similar lengths, no tiny last page


def test_seed_nothing_lost(seed: Story) -> None:
    assert_story_invariants(seed)
    # The scenes, joined, give back the whole story text after the preface.
    body = normalise(SEED.read_text(encoding="utf-8")).split("Work Text:", 1)[1]
    kept = "\n".join(line for line in body.split("\n") if not is_scene_break(line) or not line)
    expected = re.sub(r"\n(?:[ \t\u00a0]*\n)+", "\n\n", kept).strip()
    joined = "\n\n".join(p.text for scene in seed.scenes for p in scene.paragraphs)
    assert joined == expected


def test_seed_keeps_the_writing_exactly(seed: Story) -> None:
    text = "\n".join(p.text for scene in seed.scenes for p in scene.paragraphs)
    assert "against\u00a0the boy's\u00a0windpipe" in text  # non-breaking spaces kept
    assert "Do you not want—”, he coughs" in text  # the author's mixed quotes kept
    assert '"So will his record be cleared, then?”' in text


def test_reader_numbers(seed: Story) -> None:
    assert seed.words == sum(page.words for scene in seed.scenes for page in scene.pages)
    assert 2700 < seed.words < 2900
    assert reading_minutes(seed.words) == 12
    first, last = seed.page(0, 0), seed.page(4, 0)
    assert percent_at_start(seed, first) == 0
    assert percent_at_end(seed, last) == 100
    assert minutes_left(seed, last) == 0
    middle = seed.page(2, 1)
    assert percent_at_start(seed, middle) < percent_at_end(seed, middle)
    assert percent_at_end(seed, seed.page(2, 0)) == percent_at_start(seed, middle)


@given(st.text())
def test_word_count_counts_tokens_holding_a_letter_or_digit(text: str) -> None:
    expected = sum(1 for token in text.split() if any(char.isalnum() for char in token))
    assert count_words(text) == expected
