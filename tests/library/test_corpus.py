"""Every real text of the shared corpus keeps the nothing-lost invariant (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.library.errors import UnusableText
from bot.library.loader import load_story
from tests.corpus import corpus_files
from tests.library.invariants import assert_story_invariants

pytestmark = pytest.mark.corpus

FILES = corpus_files()


@pytest.mark.skipif(not FILES, reason="the shared corpus is not present")
@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_every_corpus_text_pages_without_loss(path: Path) -> None:
    try:
        story = load_story(path)
    except UnusableText as error:
        pytest.fail(f"{path.name} was refused: {error.reason}")
    assert story.scenes
    assert_story_invariants(story)
