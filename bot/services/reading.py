"""Reading: where a reader is in a story and how they move. Knows nothing of Discord.

Positions go through `Storage.update_position`, so moves of one reader are serialised and
each is committed before the caller shows it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.errors import UserError
from bot.library.library import Library
from bot.library.model import Chapter, Page, Story
from bot.library.stats import minutes_left, percent_at_end, percent_at_start, reading_minutes
from bot.storage.models import Bookmark, Place, Position, Storage

log = logging.getLogger(__name__)


class OutOfRange(UserError):
    """A scene or page number the story does not have."""


@dataclass(frozen=True, slots=True)
class PageView:
    """One page of a story as a reader sees it, with how far they are."""

    story: Story
    scene: int  # 0-based
    page: int  # 0-based, within the scene
    percent_start: float
    percent_end: float
    minutes_left: int
    is_first: bool
    is_last: bool
    notice: str | None = None

    @property
    def content(self) -> Page:
        return self.story.page(self.scene, self.page)

    @property
    def scene_count(self) -> int:
        return len(self.story.scenes)

    @property
    def pages_in_scene(self) -> int:
        return len(self.story.scenes[self.scene].pages)

    @property
    def chapter(self) -> Chapter:
        return self.story.chapter_of(self.scene)

    @property
    def scene_in_chapter(self) -> int:
        """0-based index of the scene within its chapter."""
        return self.scene - self.chapter.first_scene


@dataclass(frozen=True, slots=True)
class EndView:
    """Shown after the last page: the reader finished `story`."""

    story: Story


@dataclass(frozen=True, slots=True)
class StoryOverview:
    """A story of the library with the reader's place in it (None if never opened)."""

    story: Story
    reading_minutes: int
    place: PageView | None


def places(story: Story) -> tuple[Place, ...]:
    """Every (scene, page) of `story` in reading order."""
    return tuple((scene.index, page.number) for scene in story.scenes for page in scene.pages)


class ReadingService:
    """Reading positions over a `Library` and a `Storage`."""

    def __init__(self, store: Storage, library: Library) -> None:
        self._store = store
        self.library = library
        self._places: dict[str, tuple[Story, tuple[Place, ...], dict[Place, int]]] = {}

    # --- helpers ---------------------------------------------------------------------------

    def _index(self, story: Story) -> tuple[tuple[Place, ...], dict[Place, int]]:
        cached = self._places.get(story.id)
        if cached is None or cached[0] is not story:  # a reload brings new Story objects
            order = places(story)
            cached = (story, order, {place: i for i, place in enumerate(order)})
            self._places[story.id] = cached
        return cached[1], cached[2]

    def _clamp(self, story: Story, position: Position | None) -> int:
        """Flat index of a saved position, kept inside the story (0 when there is none)."""
        order, index = self._index(story)
        if position is None:
            return 0
        found = index.get((position.scene, position.page))
        if found is not None:
            return found
        # Out of range (the story changed): the nearest earlier place that exists.
        before = [i for i, place in enumerate(order) if place <= (position.scene, position.page)]
        return before[-1] if before else 0

    def view(self, story: Story, scene: int, page: int, notice: str | None = None) -> PageView:
        order, index = self._index(story)
        flat = index[(scene, page)]
        shown = story.page(scene, page)
        return PageView(
            story=story,
            scene=scene,
            page=page,
            percent_start=percent_at_start(story, shown),
            percent_end=percent_at_end(story, shown),
            minutes_left=minutes_left(story, shown),
            is_first=flat == 0,
            is_last=flat == len(order) - 1,
            notice=notice,
        )

    def known_story(self, story_id: str | None) -> Story | None:
        """The story meant when no lookup is needed: the one named, or the only one; else None."""
        if story_id:
            return self.library.get(story_id)
        if len(self.library) == 1:
            return next(iter(self.library))
        return None

    async def resolve(self, user_id: int, story_id: str | None) -> Story:
        """The story meant: named, else the only one, else the reader's most recent one."""
        known = self.known_story(story_id)
        if known is not None:
            return known
        recent = None
        for position in await self._store.positions_for_user(user_id):
            if position.story_id in self.library:
                recent = position.story_id
                break
        return self.library.resolve(None, fallback=recent)

    # --- reading ---------------------------------------------------------------------------

    async def open(self, user_id: int, story_id: str | None) -> PageView:
        """The page at the reader's saved place (saving the first page on a first read).

        A waiting notice is returned once and cleared.
        """
        return await self.open_story(user_id, await self.resolve(user_id, story_id))

    async def open_story(self, user_id: int, story: Story) -> PageView:
        """`open` for a story already resolved."""
        order, index = self._index(story)
        position = await self._store.open_position(user_id, story.id, *order[0])
        if (position.scene, position.page) not in index:
            # The story changed under the reader: bring them back inside it, atomically.
            position = await self._store.update_position(
                user_id, story.id, lambda current: order[self._clamp(story, current)]
            )
        if position.notice:
            await self._store.clear_notice(user_id, story.id)
        return self.view(story, position.scene, position.page, position.notice)

    async def move(
        self, user_id: int, story_id: str, delta: int, shown: Place | None = None
    ) -> PageView | EndView:
        """Move `delta` pages from the saved place; past the last page gives the ending.

        `shown` is the page the reader pressed the button on: the base when nothing is saved
        any more (say, they deleted their data), so Next still means the page after it.
        """
        story = self.library.get(story_id)
        order, index = self._index(story)
        if shown is not None and shown in index and 0 <= index[shown] + delta < len(order):
            # The usual page turn: from the page on screen, if that is still the saved place.
            moved = await self._store.move_position(
                user_id, story.id, shown, order[index[shown] + delta]
            )
            if moved is not None:
                return self.view(story, moved.scene, moved.page)
        finished = False

        def compute(current: Position | None) -> Place:
            nonlocal finished
            if current is None and shown is not None and shown in index:
                base = index[shown]
            else:
                base = self._clamp(story, current)
            target = base + delta
            if target >= len(order):
                finished = True
                target = len(order) - 1
            return order[max(target, 0)]

        position = await self._store.update_position(user_id, story.id, compute)
        if finished:
            return EndView(story)
        return self.view(story, position.scene, position.page)

    async def goto(
        self,
        user_id: int,
        story_id: str | None,
        scene: int,
        page: int = 1,
        chapter: int | None = None,
    ) -> PageView:
        """Jump to `scene`/`page` (of `chapter` when given), all 1-based as users count."""
        story = await self.resolve(user_id, story_id)
        place = check_place(story, scene, page, chapter)
        position = await self._store.set_position(user_id, story.id, *place)
        return self.view(story, position.scene, position.page)

    async def restart(self, user_id: int, story_id: str) -> PageView:
        story = self.library.get(story_id)
        await self._store.set_position(user_id, story.id, 0, 0)
        return self.view(story, 0, 0)

    async def bookmark(self, user_id: int, story_id: str, scene: int, page: int) -> Bookmark:
        """Bookmark a page (0-based place, as carried by a button)."""
        story = self.library.get(story_id)
        _, index = self._index(story)
        if (scene, page) not in index:
            raise OutOfRange("That page no longer exists in this story; open it again with /read.")
        return await self._store.add_bookmark(user_id, story.id, scene, page)

    # --- overviews -------------------------------------------------------------------------

    async def progress(self, user_id: int) -> list[PageView]:
        """Every story of the library the reader opened, most recent first."""
        views = []
        for position in await self._store.positions_for_user(user_id):
            if position.story_id not in self.library:
                continue
            story = self.library.get(position.story_id)
            order, _ = self._index(story)
            scene, page = order[self._clamp(story, position)]
            views.append(self.view(story, scene, page))
        return views

    async def overview(self, user_id: int) -> list[StoryOverview]:
        """Every story of the library, in title order, with the reader's place."""
        mine = {view.story.id: view for view in await self.progress(user_id)}
        return [
            StoryOverview(story, reading_minutes(story.words), mine.get(story.id))
            for story in self.library
        ]


def _count(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def chapter_name(chapter: Chapter) -> str:
    """The chapter's heading as the text gives it (`Chapter 2: Riversong`), else `Chapter N`."""
    return chapter.title or f"Chapter {chapter.index + 1}"


def place_label(story: Story | None, scene: int, page: int) -> str:
    """`chapter 2, scene 1, page 2` (no chapter for a story without chapters), 0-based input.

    Scenes are counted within their chapter, as on the pages; a place the story no longer has
    (it changed since), or of a story no longer served (None), is counted through the story.
    """
    if story is None or not story.has_chapters or not 0 <= scene < len(story.scenes):
        return f"scene {scene + 1}, page {page + 1}"
    chapter = story.chapter_of(scene)
    return f"chapter {chapter.index + 1}, scene {scene - chapter.first_scene + 1}, page {page + 1}"


def check_place(story: Story, scene: int, page: int, chapter: int | None = None) -> Place:
    """Validate a 1-based scene/page (within `chapter` when given, else in the whole story).

    Returns the 0-based place, or raises `OutOfRange` with a clear message.
    """
    title = story.title[:100]
    first, scenes, where = 0, len(story.scenes), f"“{title}”"
    if chapter is not None:
        chapters = len(story.chapters)
        if not story.has_chapters:
            if chapter != 1:
                raise OutOfRange(
                    f"{where} has no chapters: leave `chapter` out and pick a scene "
                    f"from 1 to {scenes}."
                )
        elif not 1 <= chapter <= chapters:
            raise OutOfRange(
                f"{where} has {_count(chapters, 'chapter')}: pick a chapter from 1 to {chapters}."
            )
        else:
            chosen = story.chapters[chapter - 1]
            first, scenes = chosen.first_scene, chosen.scene_count
            where = chapter_name(chosen)[:100]
    if not 1 <= scene <= scenes:
        raise OutOfRange(f"{where} has {_count(scenes, 'scene')}: pick a scene from 1 to {scenes}.")
    index = first + scene - 1
    pages = len(story.scenes[index].pages)
    if not 1 <= page <= pages:
        raise OutOfRange(
            f"Scene {scene} has {_count(pages, 'page')}: pick a page from 1 to {pages}."
        )
    return index, page - 1
