"""The search index over War and Peace on both backends: every query finds exactly the
paragraphs the reference matcher finds, split where a reader has read (skipped when the
shared corpus is absent)."""

from __future__ import annotations

import functools

import pytest

from bot.library.loader import load_story
from bot.library.model import Story
from bot.library.search import matches, parse_query
from bot.services.search import index_digest, story_paragraphs
from bot.storage.interface import Storage
from tests.corpus import corpus_dir

pytestmark = pytest.mark.corpus

WAR_AND_PEACE = corpus_dir() / "gutenberg" / "pg2600-war-and-peace.txt"
QUERIES = (
    "Natasha",
    "prince andrew",
    '"the old prince"',
    '"anna pávlovna"',
    "rostóv*",
    "don't",
    "war -peace",
    '"the the"',  # nowhere
    '"of the"',
    "moscow -napoleon -french",
)


@functools.cache
def war_and_peace() -> Story:
    return load_story(WAR_AND_PEACE)


@pytest.fixture
def story() -> Story:
    if not WAR_AND_PEACE.is_file():
        pytest.skip("the shared corpus is not present")
    return war_and_peace()


async def test_war_and_peace_finds_what_the_reference_finds(storage: Storage, story: Story) -> None:
    paragraphs = story_paragraphs(story)
    digest = index_digest(story)
    await storage.search.index(story.id, digest, paragraphs)
    split = (len(story.scenes) // 2, 0)
    for typed in QUERIES:
        query = parse_query(typed)
        hits = [(scene, number) for scene, number, text in paragraphs if matches(query, text)]
        found = await storage.search.find(
            story.id, digest, query, before=split, offset=0, limit=len(paragraphs)
        )
        assert found is not None
        within = [hit for hit in hits if hit < split]
        assert sorted(found.hits) == within, typed
        assert (found.before, found.after) == (len(within), len(hits) - len(within)), typed
