"""Search over the real texts of the shared corpus (skipped when it is absent)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.library.loader import load_story
from bot.library.model import Story
from bot.library.render import discord_length
from bot.library.search.matching import match_spans, matches
from bot.library.search.query import parse_query
from bot.library.search.snippet import snippet
from bot.library.search.words import index_text, words
from tests.corpus import corpus_dir

pytestmark = pytest.mark.corpus

WAR_AND_PEACE = corpus_dir() / "gutenberg" / "pg2600-war-and-peace.txt"
GUTENBERG = sorted((corpus_dir() / "gutenberg").glob("*.txt"))


def paragraphs(story: Story) -> list[str]:
    return [paragraph.text for scene in story.scenes for paragraph in scene.paragraphs]


@pytest.fixture(scope="module")
def war_and_peace() -> list[str]:
    if not WAR_AND_PEACE.is_file():
        pytest.skip("the shared corpus is not present")
    return paragraphs(load_story(WAR_AND_PEACE))


@pytest.mark.parametrize(
    ("query", "pattern"),
    [
        ("Natasha", r"\bnat[aá]sha\b"),  # the text writes Natásha
        ("Bolkónski", r"\bbolk[oó]nski\b"),  # typed with its accent, or without
        ("bolkonski", r"\bbolk[oó]nski\b"),
        ("don't", r"\bdon[’']t\b"),
        ('"Anna Pávlovna"', r"\banna\s+p[aá]vlovna\b"),
        ("Rostóv*", r"\brost[oó]v"),
    ],
)
def test_war_and_peace_finds_what_a_pattern_finds(
    war_and_peace: list[str], query: str, pattern: str
) -> None:
    expected = re.compile(pattern, re.IGNORECASE)
    parsed = parse_query(query)
    found = [text for text in war_and_peace if matches(parsed, text)]
    assert found == [text for text in war_and_peace if expected.search(text)]
    assert len(found) > 10


@pytest.mark.parametrize("path", GUTENBERG, ids=lambda path: path.name)
def test_each_word_as_typed_finds_its_paragraph(path: Path) -> None:
    texts = paragraphs(load_story(path))
    for text in texts[::29]:
        indexed = index_text(text)
        assert indexed == " ".join(indexed.split())
        for word in words(text)[::13]:
            query = parse_query(text[word.start : word.end])
            assert matches(query, text)
            spans = match_spans(query, text)
            assert discord_length(snippet(text, spans, 300)) <= 300
