"""Bookmarks: places a reader keeps, with a short note. Knows nothing of Discord.

Every call takes the reader's id and passes it to the store, which only ever returns that
reader's bookmarks: another reader's bookmark id is simply "not found".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.errors import UserError
from bot.library.library import Library, fold
from bot.library.model import Story
from bot.services.reading import PageView, ReadingService, place_label, places
from bot.storage.models import (
    MAX_NOTE_LENGTH,
    Bookmark,
    BookmarkNotFound,
    Place,
    Position,
    Storage,
)

log = logging.getLogger(__name__)


class NoteTooLong(UserError):
    def __init__(self, length: int) -> None:
        super().__init__(
            f"A bookmark note can be at most {MAX_NOTE_LENGTH} characters; yours has {length}."
        )


class NotStarted(UserError):
    def __init__(self, story: Story) -> None:
        title = story.title if len(story.title) <= 100 else story.title[:99] + "…"
        super().__init__(
            f"You haven't opened “{title}” yet: use `/read` first, then bookmark your page."
        )


class BookmarkStoryGone(UserError):
    def __init__(self) -> None:
        super().__init__(
            "That bookmark's story is no longer in the library. You can remove the bookmark "
            "with `/bookmark remove`."
        )


class BadBookmarkChoice(BookmarkNotFound):
    """What was typed is not a bookmark id: the reader did not pick from the list."""

    user_message = "Pick one of your bookmarks from the list (start typing to filter it)."


@dataclass(frozen=True, slots=True)
class OpenedBookmark:
    bookmark: Bookmark
    view: PageView
    moved: bool  # False when the bookmark's page no longer existed and a nearby one was used


def nearest_place(story: Story, scene: int, page: int) -> tuple[Place, bool]:
    """`(scene, page)` if the story has it, else the nearest earlier page; and whether exact."""
    order = places(story)
    if (scene, page) in order:
        return (scene, page), True
    before = [place for place in order if place <= (scene, page)]
    return (before[-1] if before else order[0]), False


def parse_bookmark_id(value: str | int) -> int:
    """The id an autocomplete choice carries; `BadBookmarkChoice` for anything else."""
    text = str(value).strip()
    if not text.isdigit() or len(text) > 18:
        raise BadBookmarkChoice()
    return int(text)


def bookmark_label(bookmark: Bookmark, library: Library, limit: int = 100) -> str:
    """`Lay Your Heart Bare — Scene 3, page 2 — note`, at most `limit` characters (with the
    chapter too, for a story that has chapters, as its pages show it)."""
    story = library.get(bookmark.story_id) if bookmark.story_id in library else None
    title = story.title if story is not None else None
    place = place_label(story, bookmark.scene, bookmark.page)
    place = place[:1].upper() + place[1:]
    note = f" — {' '.join(bookmark.note.split())}" if bookmark.note else ""
    if title is None:
        title = f"{bookmark.story_id} (gone)"
    room = limit - len(place) - len(" — ") - min(len(note), 40)
    if len(title) > room:
        title = title[: max(room - 1, 1)].rstrip() + "…"
    label = f"{title} — {place}{note}"
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


class BookmarkService:
    """Add, list, open and remove a reader's bookmarks."""

    def __init__(self, store: Storage, reading: ReadingService) -> None:
        self._store = store
        self._reading = reading

    @property
    def library(self) -> Library:
        return self._reading.library

    async def add(self, user_id: int, story_id: str | None, note: str | None = None) -> Bookmark:
        """Bookmark the reader's current page of the story (named, else their last one)."""
        if note is not None:
            note = note.strip() or None
        if note is not None and len(note) > MAX_NOTE_LENGTH:
            raise NoteTooLong(len(note))
        story = await self._reading.resolve(user_id, story_id)
        position: Position | None = await self._store.get_position(user_id, story.id)
        if position is None:
            raise NotStarted(story)
        (scene, page), _ = nearest_place(story, position.scene, position.page)
        return await self._store.add_bookmark(user_id, story.id, scene, page, note)

    async def all(self, user_id: int, story_id: str | None = None) -> list[Bookmark]:
        """The reader's bookmarks (of one story when named), by story title then place."""
        if story_id:
            self.library.get(story_id)  # an unknown story is the reader's mistake: say so
        marks = await self._store.list_bookmarks(user_id, story_id or None)
        library = self.library

        def key(mark: Bookmark) -> tuple[str, str, int, int, int]:
            title = library.get(mark.story_id).title if mark.story_id in library else "\uffff"
            return (fold(title), mark.story_id, mark.scene, mark.page, mark.id)

        return sorted(marks, key=key)

    async def find(self, user_id: int, value: str | int) -> tuple[Bookmark, Story]:
        """The reader's bookmark and its story (`BookmarkStoryGone` when it left the library)."""
        bookmark = await self._store.get_bookmark(user_id, parse_bookmark_id(value))
        if bookmark.story_id not in self.library:
            raise BookmarkStoryGone()
        return bookmark, self.library.get(bookmark.story_id)

    async def open(self, user_id: int, value: str | int) -> OpenedBookmark:
        """Move the reader to the bookmark's page and return it (nearest page if it changed)."""
        bookmark, story = await self.find(user_id, value)
        (scene, page), exact = nearest_place(story, bookmark.scene, bookmark.page)
        await self._store.set_position(user_id, story.id, scene, page)
        return OpenedBookmark(bookmark, self._reading.view(story, scene, page), exact)

    async def remove(self, user_id: int, value: str | int) -> Bookmark:
        return await self._store.remove_bookmark(user_id, parse_bookmark_id(value))

    async def choices(self, user_id: int, typed: str, limit: int = 25) -> list[tuple[str, str]]:
        """(label, id) of the reader's bookmarks whose label holds what was typed."""
        needle = fold(typed.strip())
        library = self.library
        found = []
        for bookmark in await self.all(user_id):
            label = bookmark_label(bookmark, library)
            if needle in fold(label):
                found.append((label, str(bookmark.id)))
                if len(found) >= limit:
                    break
        return found
