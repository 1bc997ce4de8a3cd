"""Reading: where a reader is in a story and how they move. Knows nothing of Discord.

Each page shown becomes the reader's saved place, committed before the page is shown. A place
is stored as an anchor in the text (`bot.library.anchors`), so a changed text keeps the reader
at the same sentence. A page turn acts on the page it was pressed on: Next means "the page
after this one", whatever else happened meanwhile, so a double press shows (and saves) the
same page twice, never two pages.

Writes on a reader's behalf say when the reader asked (`at`, the interaction's time), so that
one asked for before the reader erased their data saves nothing (see `Storage`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.errors import UserError
from bot.library.anchors import Place, anchor_of, locate
from bot.library.library import Library
from bot.library.model import Chapter, Page, Story
from bot.library.places import place_label
from bot.library.render import escape
from bot.library.stats import minutes_left, percent_at_end, percent_at_start, reading_minutes
from bot.library.wording import plural, truncate
from bot.services.holder import LibraryHolder
from bot.storage.interface import Storage
from bot.storage.records import ReaderMove

log = logging.getLogger(__name__)


class OutOfRange(UserError):
    """A scene or page number the story does not have."""


@dataclass(frozen=True, slots=True)
class PageView:
    """One page of a story as a reader sees it, with how far they are."""

    story: Story
    page: Page
    notice: str | None = None

    @property
    def chapter(self) -> Chapter:
        return self.story.chapter_of(self.page.scene)

    @property
    def percent_start(self) -> float:
        return percent_at_start(self.story, self.page)

    @property
    def percent_end(self) -> float:
        return percent_at_end(self.story, self.page)

    @property
    def minutes_left(self) -> int:
        return minutes_left(self.story, self.page)

    @property
    def is_first(self) -> bool:
        return self.page.index == 0

    @property
    def is_last(self) -> bool:
        return self.page.index == self.story.page_count - 1


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


class ReadingService:
    """Reading places over the current library and a `Storage`."""

    def __init__(self, store: Storage, library: LibraryHolder) -> None:
        self._store = store
        self._library = library

    @property
    def library(self) -> Library:
        return self._library.current

    def story(self, story_id: str) -> Story:
        """The story of that id (`UnknownStory` when the library has none)."""
        return self._library.current.get(story_id)

    def known_story(self, story_id: str | None) -> Story | None:
        """The story meant when no lookup is needed: the one named, or the only one; else None."""
        library = self._library.current
        if story_id:
            return library.get(story_id)
        if len(library) == 1:
            return next(iter(library))
        return None

    async def last_read(self, user_id: int) -> Story | None:
        """The story of the library the reader read last, if any."""
        library = self._library.current
        for position in await self._store.positions_for_user(user_id):
            if position.story_id in library:
                return library.get(position.story_id)
        return None

    async def resolve(self, user_id: int, story_id: str | None) -> Story:
        """The story meant: named, else the only one, else the reader's most recent one."""
        known = self.known_story(story_id)
        if known is not None:
            return known
        recent = await self.last_read(user_id)
        return self._library.current.resolve(None, fallback=recent.id if recent else None)

    # --- reading ---------------------------------------------------------------------------

    async def open(self, user_id: int, story: Story, *, at: datetime) -> PageView:
        """The page at the reader's saved place (the first page, saved, on a first read).

        A place whose text moved is saved where the text is now; one whose text is gone
        lands on the nearest page before it, and the reader is told once, as they are of a
        notice waiting for them.
        """
        first = story.first_page
        position = await self._store.open_position(
            user_id, story.id, anchor_of(story, first), asked_at=at
        )
        if position is None:  # erased after this was asked for: show, save nothing
            return PageView(story, first)
        page, exact = locate(story, position.place)
        notice = position.notice if exact else gone_notice(story, position.place, page)
        anchor = anchor_of(story, page)
        if position.place != anchor:  # only if still there: a page turned meanwhile wins
            move = ReaderMove(user_id, position.place, anchor)
            await self._store.move_readers(story.id, [move])
        elif position.notice:
            await self._store.clear_notice(user_id, story.id)
        return PageView(story, page, notice)

    async def turn(
        self, user_id: int, story: Story, shown: Page, delta: int, *, at: datetime
    ) -> PageView | EndView:
        """Move `delta` pages from `shown`, the page the button was pressed on; past the last
        page gives the ending (the last page stays the saved place)."""
        target = story.step(shown, delta)
        if target is None and delta > 0:
            await self._save(user_id, story, shown, at)
            return EndView(story)
        return await self.go(user_id, story, target or story.first_page, at=at)

    async def go(self, user_id: int, story: Story, page: Page, *, at: datetime) -> PageView:
        """Make `page` the reader's place, and show it."""
        await self._save(user_id, story, page, at)
        return PageView(story, page)

    async def restart(self, user_id: int, story: Story, *, at: datetime) -> PageView:
        return await self.go(user_id, story, story.first_page, at=at)

    async def _save(self, user_id: int, story: Story, page: Page, at: datetime) -> None:
        await self._store.save_position(user_id, story.id, anchor_of(story, page), asked_at=at)

    @staticmethod
    def peek(story: Story, page: Page) -> PageView:
        """`page` shown without moving the reader's place (a quote's scene, say)."""
        return PageView(story, page)

    # --- overviews -------------------------------------------------------------------------

    async def progress(self, user_id: int) -> list[PageView]:
        """Every story of the library the reader opened, most recent first."""
        library = self._library.current
        views = []
        for position in await self._store.positions_for_user(user_id):
            if position.story_id in library:
                story = library.get(position.story_id)
                views.append(PageView(story, locate(story, position.place)[0]))
        return views

    async def overview(self, user_id: int) -> list[StoryOverview]:
        """Every story of the library, in title order, with the reader's place."""
        mine = {view.story.id: view for view in await self.progress(user_id)}
        return [
            StoryOverview(story, reading_minutes(story.words), mine.get(story.id))
            for story in self._library.current
        ]


def gone_notice(story: Story, was: Place, page: Page) -> str:
    """What a reader is told when the text they were on (at `was`) is gone from a changed
    story and they are now on `page`."""
    where = "the last page" if page is story.last_page else "the nearest page before it"
    return (
        f"“{escape(truncate(story.title, 100))}” was changed since you last read it: the "
        f"page you were on (scene {was.scene + 1}) is gone, so you are now on {where} "
        f"({place_label(story, page)})."
    )


def check_place(story: Story, scene: int, page: int, chapter: int | None = None) -> Page:
    """The page at a 1-based scene/page (the scene counted within `chapter` when given, else
    in the whole story), or `OutOfRange` with a message that says what the story has."""
    first, scenes, where = 0, len(story.scenes), f"“{truncate(story.title, 100)}”"
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
                f"{where} has {plural(chapters, 'chapter')}: pick a chapter from 1 to {chapters}."
            )
        else:
            chosen = story.chapters[chapter - 1]
            first, scenes = chosen.first_scene, chosen.scene_count
            where = truncate(chosen.name, 100)
    if not 1 <= scene <= scenes:
        raise OutOfRange(f"{where} has {plural(scenes, 'scene')}: pick a scene from 1 to {scenes}.")
    pages = story.scenes[first + scene - 1].pages
    if not 1 <= page <= len(pages):
        raise OutOfRange(
            f"Scene {scene} has {plural(len(pages), 'page')}: pick a page from 1 to {len(pages)}."
        )
    return pages[page - 1]
