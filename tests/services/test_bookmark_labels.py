"""Bookmarks name their place as the pages do: with the chapter when the story has chapters."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.library.anchors import PagePlace, Place, anchor_of
from bot.library.library import Library
from bot.library.model import ChapterSource, Document, Paragraph, StoryMetadata
from bot.library.story import build_story
from bot.services.bookmarks import bookmark_label
from bot.storage.records import Bookmark
from cogs.bookmarks import bookmark_line


def chaptered_library() -> Library:
    def scene(text: str) -> tuple[Paragraph, ...]:
        return (Paragraph(text),)

    chapters = (
        ChapterSource("Chapter 1: Festival", (scene("One."), scene("Two."))),
        ChapterSource("Chapter 2: Riversong", (scene("Three."), scene("Four."), scene("Five."))),
    )
    document = Document(StoryMetadata("Fire"), chapters, format="ao3-html")
    return Library([build_story("fire", document)])


def mark(scene: int, story_id: str = "fire") -> Bookmark:
    """A bookmark at the first page of `scene`, as kept before anchors (a page place) or now."""
    library = chaptered_library()
    place: Place = (
        anchor_of(library.get("fire"), library.get("fire").scenes[scene].pages[0])
        if story_id in library
        else PagePlace(scene, 0)
    )
    return Bookmark(1, 7, story_id, place, "the river", datetime(2026, 1, 1, tzinfo=UTC))


def test_labels_count_scenes_within_the_chapter() -> None:
    library = chaptered_library()
    assert bookmark_label(mark(3), library) == "Fire — Chapter 2, scene 2, page 1 — the river"
    line = bookmark_line(mark(3), 100, library)
    assert line.startswith("• Chapter 2 · Scene 2 · Page 1 — “the river”")


def test_a_removed_story_still_gets_a_label() -> None:
    label = bookmark_label(mark(3, "gone"), chaptered_library())
    assert label == "gone (gone) — Scene 4, page 1 — the river"
    assert bookmark_line(mark(3, "gone"), 100, chaptered_library()).startswith("• Scene 4 · Page 1")
