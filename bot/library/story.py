"""Build a paged `Story` from a parsed `Document`."""

from __future__ import annotations

from bot.library.model import Chapter, Document, Page, Piece, Story, StoryScene
from bot.library.paging import EMBED_DESCRIPTION_LIMIT, paginate
from bot.library.stats import count_words


def build_story(
    story_id: str, document: Document, *, source: str = "", limit: int = EMBED_DESCRIPTION_LIMIT
) -> Story:
    """Page every scene of `document` and count its words, page by page."""
    chapters: list[Chapter] = []
    scenes: list[StoryScene] = []
    all_pages: list[Page] = []
    words_before = 0
    for chapter_index, chapter in enumerate(document.chapters):
        first_scene = len(scenes)
        for paragraphs in chapter.scenes:
            scene_index = len(scenes)
            pages: list[Page] = []
            for number, slots in enumerate(paginate(paragraphs, limit)):
                pieces = tuple(
                    Piece(index, start, end, paragraphs[index]) for index, start, end in slots
                )
                words = sum(count_words(piece.text) for piece in pieces)
                index = len(all_pages) + len(pages)
                pages.append(Page(scene_index, number, pieces, words, words_before, index))
                words_before += words
            scene_words = sum(page.words for page in pages)
            scenes.append(
                StoryScene(scene_index, chapter_index, paragraphs, tuple(pages), scene_words)
            )
            all_pages.extend(pages)
        if len(scenes) > first_scene:
            chapters.append(
                Chapter(
                    index=len(chapters),
                    title=chapter.title,
                    first_scene=first_scene,
                    scene_count=len(scenes) - first_scene,
                    notes=chapter.notes,
                    end_notes=chapter.end_notes,
                )
            )
    return Story(
        id=story_id,
        metadata=document.metadata,
        chapters=tuple(chapters),
        scenes=tuple(scenes),
        words=words_before,
        format=document.format,
        encoding=document.encoding,
        source=source,
        problems=document.problems,
        pages=tuple(all_pages),
    )
