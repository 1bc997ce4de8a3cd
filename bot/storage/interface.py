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

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.library.anchors import Anchor
from bot.library.search import Query
from bot.storage.records import (
    Bookmark,
    BookmarkMove,
    PartPost,
    Position,
    ReadAlong,
    ReadAlongPlan,
    ReaderMove,
    UserData,
)

ERASURE_MEMORY = timedelta(minutes=15)
"""How long an erasure is remembered: an interaction's token lives 15 minutes, so nothing
asked for before the erasure can still arrive after this."""

QUERY_MEMORY = timedelta(days=30)
"""How long a query too long for a button is kept after the last search that used it."""


class ReadAlongStore(Protocol):
    """Read-alongs (`Storage.readalongs`): a part is posted once, whatever the processes.

    Posting part N is claimed first (`claim`: a compare-and-set on the read-along's next part
    and due time, and a row for the post, in one transaction); only the process whose claim
    took posts it, and says so (`record_post`), or gives the part back (`release`).
    """

    async def create(self, plan: ReadAlongPlan) -> ReadAlong:
        """`ReadAlongExists` when the channel has one already."""
        ...

    async def get(self, channel_id: int) -> ReadAlong | None: ...

    async def by_id(self, readalong_id: int) -> ReadAlong | None: ...

    async def in_guild(self, guild_id: int) -> list[ReadAlong]:
        """A server's read-alongs, oldest first."""
        ...

    async def due(self, before: datetime) -> list[ReadAlong]:
        """The running read-alongs whose next part is due at or before `before`, soonest first."""
        ...

    async def soonest(self) -> datetime | None:
        """When the next part of any running read-along is due; None when none is."""
        ...

    async def claim(
        self, readalong: ReadAlong, *, due_at: datetime, next_due_at: datetime | None, now: datetime
    ) -> bool:
        """Claim `readalong.next_part` for posting if the read-along is still as read (same next
        part and due time, running): it then moves on to the next part, due at `next_due_at`
        (None: that was the last), and the claim is kept with `due_at`. False: someone else
        claimed it, or it changed meanwhile."""
        ...

    async def record_post(
        self, readalong_id: int, part: int, message_id: int, thread_id: int | None
    ) -> None: ...

    async def release(self, readalong_id: int, part: int, reason: str) -> None:
        """A claimed part that could not be posted: it is the next part again, and the
        read-along is paused with `reason` (said by `/readalong status`)."""
        ...

    async def pause(self, readalong_id: int, reason: str) -> bool:
        """Pause a running read-along; False when it was not running (paused or finished)."""
        ...

    async def resume(self, readalong_id: int, next_due_at: datetime) -> bool:
        """Run a paused read-along again, its next part due at `next_due_at`; claims no post
        was recorded for are forgotten (whoever resumes has looked at the channel)."""
        ...

    async def skip(self, readalong: ReadAlong, next_due_at: datetime | None) -> bool:
        """Leave out `readalong.next_part` (if it is still the next part): the one after it is
        next, due at `next_due_at`."""
        ...

    async def stop(self, readalong_id: int) -> bool:
        """Delete the read-along and its posts' records (the posts stay on Discord)."""
        ...

    async def posts(self, readalong_id: int) -> list[PartPost]:
        """The parts claimed, in order."""
        ...

    async def unconfirmed(self, claimed_before: datetime) -> list[PartPost]:
        """Claims made before `claimed_before` that no post was recorded for: a process that
        stopped between claiming and posting."""
        ...


Point = tuple[int, int]
"""(scene, paragraph within it) of a story, 0-based: reading order is their order."""


@dataclass(frozen=True, slots=True)
class Found:
    """One page of a story's hits, best first (ties in reading order), and how many hits lie
    before and from the point a search was split at (all of them before, when unsplit)."""

    hits: tuple[Point, ...]
    before: int
    after: int


class SearchStore(Protocol):
    """The search index (`Storage.search`): each story's paragraphs in the backend's own full
    text engine, kept for the version of the text named by a digest; and the queries too
    long for a button, kept for a while.

    The index is derived data: built from the texts, rebuilt when they change. Hits are
    what the reference matcher (`matches`) finds, on either backend.
    """

    async def indexed(self) -> dict[str, str]:
        """Story id -> the digest of the text indexed for it."""
        ...

    async def index(
        self, story_id: str, digest: str, paragraphs: Sequence[tuple[int, int, str]]
    ) -> None:
        """Make the story's index `paragraphs` (scene, paragraph, text), as of `digest`, in
        one transaction (nothing is done when it already is, as another process may have
        made it meanwhile)."""
        ...

    async def drop(self, story_ids: Collection[str]) -> None:
        """Forget the index of these stories."""
        ...

    async def find(
        self,
        story_id: str,
        digest: str,
        query: Query,
        *,
        before: Point | None,
        offset: int,
        limit: int,
    ) -> Found | None:
        """The story's paragraphs matching `query` (not empty): `limit` hits from `offset` of
        those before `before` (of all, when None), ranked, and how many hits lie before and
        from `before`. None when the index does not hold the text of `digest` (not yet
        indexed, or indexed anew for another version of the text)."""
        ...

    async def remember_query(self, query_id: str, query: str, *, at: datetime) -> None:
        """Keep `query` under `query_id` for `QUERY_MEMORY` from `at` (kept again: for longer),
        and forget the queries not kept since `at - QUERY_MEMORY`."""
        ...

    async def recall_query(self, query_id: str, *, at: datetime) -> str | None:
        """The query kept under `query_id`; None when unknown, or not kept since `at -
        QUERY_MEMORY`."""
        ...


class Storage(Protocol):
    """The storage interface the bot codes against."""

    @property
    def backend(self) -> str:
        """`sqlite` or `postgresql`."""
        ...

    @property
    def readalongs(self) -> ReadAlongStore: ...

    @property
    def search(self) -> SearchStore: ...

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
        """Erase every row about the user in one transaction (and forget them as the one who
        set up their read-alongs), and remember the erasure (see the module docstring);
        returns the rows deleted or forgotten."""
        ...
