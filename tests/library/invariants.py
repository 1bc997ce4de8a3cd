"""The nothing-lost invariant, checked the same way for generated and real texts."""

from __future__ import annotations

from bot.library.model import Story
from bot.library.paging import EMBED_DESCRIPTION_LIMIT
from bot.library.render import discord_length, strip_emphasis


def assert_story_invariants(story: Story, limit: int = EMBED_DESCRIPTION_LIMIT) -> None:
    """Every page fits; a scene's pages, unescaped, give back its paragraphs exactly, in order."""
    words = 0
    for scene in story.scenes:
        assert scene.pages, f"scene {scene.index} has no page"
        pieces_by_paragraph: dict[int, list[tuple[int, int, str]]] = {}
        for number, page in enumerate(scene.pages):
            assert (page.scene, page.number) == (scene.index, number)
            length = discord_length(page.markdown)
            assert length <= limit, f"scene {scene.index} page {number}: {length} > {limit}"
            assert strip_emphasis(page.markdown) == page.text
            assert page.words_before == words
            words += page.words
            for piece in page.pieces:
                pieces_by_paragraph.setdefault(piece.paragraph, []).append(
                    (piece.start, piece.end, piece.text)
                )
        assert list(pieces_by_paragraph) == list(range(len(scene.paragraphs))), "order"
        for index, paragraph in enumerate(scene.paragraphs):
            text = paragraph.text
            cursor = 0
            for start, end, piece_text in pieces_by_paragraph[index]:
                assert piece_text == text[start:end]
                assert text[cursor:start].strip() == "", "a split dropped more than whitespace"
                assert start >= cursor
                cursor = end
            assert cursor == len(text), f"scene {scene.index} paragraph {index} is cut short"
        assert scene.words == sum(page.words for page in scene.pages)
    assert words == story.words
