"""How a page's place in its story is named, for readers and for the texts CLI alike."""

from __future__ import annotations

from bot.library.model import Page, Story
from bot.library.wording import truncate

CHAPTER_NAME_LIMIT = 120


def place_line(story: Story, page: Page) -> str:
    """`Chapter 2: Riversong · Scene 1/3 · Page 2/4`, scenes counted within the chapter; a
    story without chapters shows `Scene 3/5 · Page 1/2`."""
    scene = story.scenes[page.scene]
    where = f"Page {page.number + 1}/{len(scene.pages)}"
    if not story.has_chapters:
        return f"Scene {page.scene + 1}/{len(story.scenes)} · {where}"
    chapter = story.chapters[scene.chapter]
    in_chapter = f"Scene {page.scene - chapter.first_scene + 1}/{chapter.scene_count}"
    return f"{truncate(chapter.name, CHAPTER_NAME_LIMIT)} · {in_chapter} · {where}"


def place_label(story: Story, page: Page) -> str:
    """`chapter 2, scene 1, page 2` (no chapter for a story without chapters), as a sentence
    names a place; scenes are counted within their chapter, as on the pages."""
    where = f"page {page.number + 1}"
    if not story.has_chapters:
        return f"scene {page.scene + 1}, {where}"
    chapter = story.chapter_of(page.scene)
    return f"chapter {chapter.index + 1}, scene {page.scene - chapter.first_scene + 1}, {where}"


def page_label(scene: int, page: int) -> str:
    """`scene 3, page 2` for a 0-based page number of a story no longer served."""
    return f"scene {scene + 1}, page {page + 1}"
