"""What the storage layer hands out: frozen records, its errors and the `Storage` interface.

Callers never see database rows. `Storage` lists the public methods so that another backend
(PostgreSQL, say) can sit behind the same interface as `ReadingStore`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

MAX_BOOKMARKS_PER_STORY = 25
MAX_NOTE_LENGTH = 100


@dataclass(frozen=True, slots=True)
class Position:
    """Where a reader stopped in a story. Scene and page are 0-based, as in `Story`.

    `notice` is a message waiting for the reader (say, "This story was shortened; you were
    moved to the last page"): shown once, then cleared with `clear_notice`.
    """

    user_id: int
    story_id: str
    scene: int
    page: int
    updated_at: datetime
    notice: str | None = None

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "story_id": self.story_id,
            "scene": self.scene,
            "page": self.page,
            "updated_at": self.updated_at.isoformat(),
            "notice": self.notice,
        }


@dataclass(frozen=True, slots=True)
class Bookmark:
    """A place a reader chose to keep, with an optional short note."""

    id: int
    user_id: int
    story_id: str
    scene: int
    page: int
    note: str | None
    created_at: datetime

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "story_id": self.story_id,
            "scene": self.scene,
            "page": self.page,
            "note": self.note,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class UserData:
    """Everything stored about one user, for a data export."""

    user_id: int
    positions: tuple[Position, ...] = ()
    bookmarks: tuple[Bookmark, ...] = ()
    seen_quotes: Mapping[str, frozenset[str]] = field(default_factory=dict)  # by story id
    flags: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.positions or self.bookmarks or self.seen_quotes or self.flags)

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON types only, in a stable order, so `json.dumps` works as is."""
        return {
            "user_id": self.user_id,
            "positions": [position.to_json_dict() for position in self.positions],
            "bookmarks": [bookmark.to_json_dict() for bookmark in self.bookmarks],
            "seen_quotes": {
                story_id: sorted(quotes) for story_id, quotes in sorted(self.seen_quotes.items())
            },
            "flags": dict(sorted(self.flags.items())),
        }


class StorageError(Exception):
    """A storage failure the user caused or can fix; `user_message` is safe to show them."""

    user_message = "Something went wrong with your saved data."

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail or self.user_message)


class BookmarkLimitReached(StorageError):
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.user_message = (
            f"You already have {limit} bookmarks in this story. Remove one to add another."
        )
        super().__init__(f"bookmark limit of {limit} per story reached")


class BookmarkNotFound(StorageError):
    user_message = "That bookmark doesn't exist any more."

    def __init__(self, bookmark_id: int | None = None) -> None:
        self.bookmark_id = bookmark_id
        super().__init__(f"no bookmark {bookmark_id} for this user")


class StoreClosed(RuntimeError):
    """The store was used after `close()`: a bug in the caller, not the user's doing."""


class StorageSetupError(RuntimeError):
    """The database cannot be used as it is: a setup problem, said in one line at start."""


class SchemaTooNew(StorageSetupError):
    """The database was written by a newer version of the bot than this one."""


class SQLiteTooOld(StorageSetupError):
    """Python's SQLite library lacks what the store's statements use (RETURNING, 3.35)."""


Place = tuple[int, int]
"""(scene, page), 0-based: a page of a story."""

# How update_position learns the new place: from the current position (None if the reader
# never opened the story) to a (scene, page) pair.
ComputePosition = Callable[[Position | None], Place]


class Storage(Protocol):
    """The storage interface the bot uses; `ReadingStore` is the SQLite implementation."""

    async def close(self) -> None: ...

    # positions
    async def get_position(self, user_id: int, story_id: str) -> Position | None: ...
    async def positions_for_user(self, user_id: int) -> list[Position]: ...
    async def positions_for_story(self, story_id: str) -> list[Position]: ...
    async def set_position(
        self, user_id: int, story_id: str, scene: int, page: int, notice: str | None = None
    ) -> Position: ...
    async def open_position(
        self, user_id: int, story_id: str, scene: int, page: int
    ) -> Position: ...
    async def move_position(
        self, user_id: int, story_id: str, expected: Place, target: Place
    ) -> Position | None: ...
    async def update_position(
        self, user_id: int, story_id: str, compute: ComputePosition
    ) -> Position: ...
    async def clear_notice(self, user_id: int, story_id: str) -> None: ...
    async def delete_position(self, user_id: int, story_id: str) -> bool: ...

    # bookmarks
    async def add_bookmark(
        self, user_id: int, story_id: str, scene: int, page: int, note: str | None = None
    ) -> Bookmark: ...
    async def list_bookmarks(self, user_id: int, story_id: str | None = None) -> list[Bookmark]: ...
    async def get_bookmark(self, user_id: int, bookmark_id: int) -> Bookmark: ...
    async def remove_bookmark(self, user_id: int, bookmark_id: int) -> Bookmark: ...

    # quotes already shown to a reader
    async def seen_quotes(self, user_id: int, story_id: str) -> set[str]: ...
    async def mark_quote_seen(self, user_id: int, story_id: str, quote_id: str) -> None: ...
    async def forget_seen_quotes(
        self, user_id: int, story_id: str, quote_ids: Iterable[str] | None = None
    ) -> None: ...

    # bot-wide values and per-user flags
    async def get_meta(self, key: str) -> str | None: ...
    async def set_meta(self, key: str, value: str) -> None: ...
    async def get_flag(self, user_id: int, flag: str) -> str | None: ...
    async def set_flag(self, user_id: int, flag: str, value: str) -> None: ...

    # a user's data as a whole
    async def export_user(self, user_id: int) -> UserData: ...
    async def delete_user(self, user_id: int) -> int: ...
