"""`Storage`: what the services need of a database, and nothing more. Two backends implement
it, SQLite (the embedded default) and PostgreSQL (for shards in several processes).

Correctness lives in the database, not in process memory: every method below is one atomic
statement or one transaction, so two processes acting for the same reader at the same instant
lose and double nothing.

Erasure: `delete_user(user_id, at=...)` erases every row about the user and remembers the
moment (for a short while only, `ERASURE_MEMORY`). Every write on a user's behalf says when it
was asked for (`asked_at`, the time of the interaction, on Discord's clock); a write asked for
before the erasure finds the erasure and writes nothing (it returns None, or raises nothing),
so a page turn in flight while the reader deletes their data leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from bot.library.anchors import Anchor
from bot.storage.records import Bookmark, BookmarkMove, Position, ReaderMove, UserData

ERASURE_MEMORY = timedelta(minutes=15)
"""How long an erasure is remembered: an interaction's token lives 15 minutes, so nothing
asked for before the erasure can still arrive after this."""


class Storage(Protocol):
    """The storage interface the bot codes against."""

    @property
    def backend(self) -> str:
        """`sqlite` or `postgresql`."""
        ...

    async def close(self) -> None:
        """Finish the writes already asked for, then close. Idempotent."""
        ...

    # --- positions -----------------------------------------------------------------------

    async def get_position(self, user_id: int, story_id: str) -> Position | None: ...

    async def positions_for_user(self, user_id: int) -> list[Position]:
        """The user's positions, most recently read first."""
        ...

    async def positions_for_story(self, story_id: str) -> list[Position]: ...

    async def open_position(
        self, user_id: int, story_id: str, first: Anchor, *, asked_at: datetime
    ) -> Position | None:
        """The saved place, marked as read now; a reader new to the story is saved at `first`.

        One statement. None when the user erased their data after `asked_at` (nothing saved).
        """
        ...

    async def save_position(
        self,
        user_id: int,
        story_id: str,
        place: Anchor,
        *,
        asked_at: datetime,
        notice: str | None = None,
    ) -> Position | None:
        """Put the reader at `place` (replacing any notice with `notice`), committed when this
        returns. None when the user erased their data after `asked_at` (nothing saved)."""
        ...

    async def move_readers(self, story_id: str, moves: Sequence[ReaderMove]) -> int:
        """For a changed text: move each reader still at `move.was` to `move.now` (with its
        notice), a compare-and-set per reader. Returns how many moved."""
        ...

    async def clear_notice(self, user_id: int, story_id: str) -> None: ...

    # --- bookmarks -----------------------------------------------------------------------

    async def add_bookmark(
        self,
        user_id: int,
        story_id: str,
        place: Anchor,
        note: str | None,
        *,
        asked_at: datetime,
    ) -> Bookmark | None:
        """Add a bookmark; `BookmarkLimitReached` past MAX_BOOKMARKS_PER_STORY for this user
        and story (checked atomically, also across processes). None when erased after
        `asked_at`. `note` is stored as given (the caller cleans it)."""
        ...

    async def list_bookmarks(self, user_id: int, story_id: str | None = None) -> list[Bookmark]:
        """The user's bookmarks (of one story when named), oldest first."""
        ...

    async def get_bookmark(self, user_id: int, bookmark_id: int) -> Bookmark:
        """`BookmarkNotFound` when there is none with that id, or it is someone else's."""
        ...

    async def remove_bookmark(self, user_id: int, bookmark_id: int) -> Bookmark:
        """Delete and return it; `BookmarkNotFound` when absent or someone else's."""
        ...

    async def bookmarks_for_story(self, story_id: str) -> list[Bookmark]: ...

    async def move_bookmarks(self, moves: Sequence[BookmarkMove]) -> int:
        """For a changed text: move each bookmark still at `move.was`; how many moved."""
        ...

    # --- quotes already shown ------------------------------------------------------------

    async def seen_quotes(self, user_id: int, story_id: str) -> set[str]: ...

    async def mark_quote_seen(
        self, user_id: int, story_id: str, quote_id: str, *, asked_at: datetime
    ) -> None: ...

    async def forget_seen_quotes(
        self, user_id: int, story_id: str, quote_ids: Iterable[str] | None = None
    ) -> None:
        """Forget the given quotes, or all of the story's when `quote_ids` is None."""
        ...

    # --- per-user flags and bot-wide values ----------------------------------------------

    async def get_flag(self, user_id: int, flag: str) -> str | None: ...

    async def set_flag(self, user_id: int, flag: str, value: str, *, asked_at: datetime) -> None:
        """Set a flag; nothing when the user erased their data after `asked_at`."""
        ...

    async def get_meta(self, key: str) -> str | None: ...

    async def set_meta(self, key: str, value: str) -> None: ...

    # --- texts served ------------------------------------------------------------------------

    async def text_versions(self) -> dict[str, str]:
        """Story id -> the digest of its text as last reconciled (see `set_text_version`)."""
        ...

    async def set_text_version(self, story_id: str, digest: str) -> None: ...

    # --- a user's data as a whole ----------------------------------------------------------

    async def export_user(self, user_id: int) -> UserData:
        """Everything stored about the user, read as one consistent snapshot."""
        ...

    async def delete_user(self, user_id: int, *, at: datetime) -> int:
        """Erase every row about the user in one transaction, and remember the erasure (see
        the module docstring); returns the rows deleted."""
        ...
