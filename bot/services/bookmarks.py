"""Bookmarks: places a reader keeps, with a short note. Knows nothing of Discord.

Every call takes the reader's id and passes it to the store, which only ever returns that
reader's bookmarks: another reader's bookmark id is simply "not found".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.errors import UserError
from bot.library.anchors import PagePlace, anchor_of, locate
from bot.library.library import Library, fold
from bot.library.model import Page, Story
from bot.library.places import page_label, place_label
from bot.library.wording import truncate
from bot.services.reading import ReadingService
from bot.storage.errors import BookmarkNotFound
from bot.storage.interface import Storage
from bot.storage.records import MAX_NOTE_LENGTH, Bookmark

log = logging.getLogger(__name__)


class NoteTooLong(UserError):
    def __init__(self, length: int) -> None:
        super().__init__(
            f"A bookmark note can be at most {MAX_NOTE_LENGTH} characters; yours has {length}."
        )


class NoteNotText(UserError):
    def __init__(self) -> None:
        super().__init__(
            "That note holds characters that are not text (a broken emoji, perhaps); "
            "please type it again."
        )


class NotStarted(UserError):
    def __init__(self, story: Story) -> None:
        super().__init__(
            f"You haven't opened “{truncate(story.title, 100)}” yet: use `/read` first, "
            "then bookmark your page."
        )


class BookmarkStoryGone(UserError):
    def __init__(self) -> None:
        super().__init__(
            "That bookmark's story is no longer in the library. You can remove the bookmark "
            "with `/bookmark remove`."
        )


class ErasedMeanwhile(UserError):
    def __init__(self) -> None:
        super().__init__("Nothing was saved: you deleted your data while this was on its way.")


class BadBookmarkChoice(BookmarkNotFound):
    """What was typed is not a bookmark id: the reader did not pick from the list."""

    user_message = "Pick one of your bookmarks from the list (start typing to filter it)."


@dataclass(frozen=True, slots=True)
class FoundBookmark:
    """A reader's bookmark, its story and its page (the nearest one if the text changed:
    then `exact` is False)."""

    bookmark: Bookmark
    story: Story
    page: Page
    exact: bool


def clean_note(note: str | None) -> str | None:
    """The note as it will be kept: trimmed, None when blank; `NoteTooLong` past the limit,
    `NoteNotText` when it cannot be stored as text (a lone surrogate, say)."""
    if note is None or not note.strip():
        return None
    note = note.strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise NoteTooLong(len(note))
    try:
        note.encode("utf-8")
    except UnicodeEncodeError:
        raise NoteNotText() from None
    return note


def parse_bookmark_id(value: str | int) -> int:
    """The id an autocomplete choice carries; `BadBookmarkChoice` for anything else."""
    text = str(value).strip()
    if not text.isdigit() or len(text) > 18:
        raise BadBookmarkChoice()
    return int(text)


def bookmark_place(bookmark: Bookmark, library: Library) -> str:
    """`chapter 2, scene 1, page 2` (as its story's pages count now), or `scene 3, page 2`
    for a story no longer served."""
    if bookmark.story_id in library:
        story = library.get(bookmark.story_id)
        return place_label(story, locate(story, bookmark.place)[0])
    place = bookmark.place
    if isinstance(place, PagePlace):
        return page_label(place.scene, place.page)
    return f"scene {place.scene + 1}"  # its pages are not known without its text


def bookmark_label(bookmark: Bookmark, library: Library, limit: int = 100) -> str:
    """`Lay Your Heart Bare — Scene 3, page 2 — note`, at most `limit` characters."""
    story = library.get(bookmark.story_id) if bookmark.story_id in library else None
    title = story.title if story is not None else f"{bookmark.story_id} (gone)"
    place = bookmark_place(bookmark, library)
    place = place[:1].upper() + place[1:]
    note = f" — {' '.join(bookmark.note.split())}" if bookmark.note else ""
    room = limit - len(place) - len(" — ") - min(len(note), 40)
    return truncate(f"{truncate(title, max(room, 2))} — {place}{note}", limit)


class BookmarkService:
    """Add, list, open and remove a reader's bookmarks."""

    def __init__(self, store: Storage, reading: ReadingService) -> None:
        self._store = store
        self._reading = reading

    async def add(
        self, user_id: int, story_id: str | None, note: str | None = None, *, at: datetime
    ) -> Bookmark:
        """Bookmark the reader's current page of the story (named, else their last one)."""
        note = clean_note(note)
        story = await self._reading.resolve(user_id, story_id)
        position = await self._store.get_position(user_id, story.id)
        if position is None:
            raise NotStarted(story)
        return await self.add_page(user_id, story, locate(story, position.place)[0], note, at=at)

    async def add_page(
        self, user_id: int, story: Story, page: Page, note: str | None = None, *, at: datetime
    ) -> Bookmark:
        """Bookmark `page` (the page a Bookmark button was pressed on); `ErasedMeanwhile`
        when the reader erased their data after asking."""
        anchor = anchor_of(story, page)
        mark = await self._store.add_bookmark(user_id, story.id, anchor, note, asked_at=at)
        if mark is None:
            raise ErasedMeanwhile()
        return mark

    async def all(self, user_id: int, story_id: str | None = None) -> list[Bookmark]:
        """The reader's bookmarks (of one story when named), by story title then place."""
        library = self._reading.library
        if story_id:
            library.get(story_id)  # an unknown story is the reader's mistake: say so
        marks = await self._store.list_bookmarks(user_id, story_id or None)

        def key(mark: Bookmark) -> tuple[str, str, int, int]:
            if mark.story_id not in library:
                return ("\uffff", mark.story_id, mark.place.scene, mark.id)
            story = library.get(mark.story_id)
            return (fold(story.title), mark.story_id, locate(story, mark.place)[0].index, mark.id)

        return sorted(marks, key=key)

    async def find(self, user_id: int, value: str | int) -> FoundBookmark:
        """The reader's bookmark (`value` is its id, as autocomplete gives it) with its story
        and page; `BookmarkStoryGone` when the story left the library."""
        bookmark = await self._store.get_bookmark(user_id, parse_bookmark_id(value))
        library = self._reading.library
        if bookmark.story_id not in library:
            raise BookmarkStoryGone()
        story = library.get(bookmark.story_id)
        page, exact = locate(story, bookmark.place)
        return FoundBookmark(bookmark, story, page, exact)

    async def remove(self, user_id: int, value: str | int) -> Bookmark:
        return await self._store.remove_bookmark(user_id, parse_bookmark_id(value))

    async def choices(self, user_id: int, typed: str, limit: int = 25) -> list[tuple[str, str]]:
        """(label, id) of the reader's bookmarks whose label holds what was typed."""
        needle = fold(typed.strip())
        library = self._reading.library
        found = []
        for bookmark in await self.all(user_id):
            label = bookmark_label(bookmark, library)
            if needle in fold(label):
                found.append((label, str(bookmark.id)))
                if len(found) >= limit:
                    break
        return found
