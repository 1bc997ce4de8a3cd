"""What the storage layer hands out: frozen records. Callers never see database rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.library.anchors import Anchor, PagePlace, Place

MAX_BOOKMARKS_PER_STORY = 25
MAX_NOTE_LENGTH = 100


def place_json(place: Place) -> dict[str, Any]:
    """A place as plain JSON types (for a data export)."""
    if isinstance(place, PagePlace):
        return {"scene": place.scene, "page": place.page}
    return {
        "scene": place.scene,
        "paragraph": place.paragraph,
        "offset": place.offset,
        "text": place.snippet,
    }


@dataclass(frozen=True, slots=True)
class Position:
    """Where a reader stopped in a story.

    `notice` is a message waiting for the reader (say, "This story changed; the page you were
    on is gone"): shown once, then cleared with `clear_notice`.
    """

    user_id: int
    story_id: str
    place: Place
    updated_at: datetime
    notice: str | None = None

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "story_id": self.story_id,
            "place": place_json(self.place),
            "updated_at": self.updated_at.isoformat(),
            "notice": self.notice,
        }


@dataclass(frozen=True, slots=True)
class Bookmark:
    """A place a reader chose to keep, with an optional short note."""

    id: int
    user_id: int
    story_id: str
    place: Place
    note: str | None
    created_at: datetime

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "story_id": self.story_id,
            "place": place_json(self.place),
            "note": self.note,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class ReaderMove:
    """Move reader `user_id` of a story from `was` to `now` (a changed text), if still at `was`."""

    user_id: int
    was: Place
    now: Anchor
    notice: str | None = None


@dataclass(frozen=True, slots=True)
class BookmarkMove:
    """Move bookmark `bookmark_id` from `was` to `now` (a changed text), if still at `was`."""

    bookmark_id: int
    was: Place
    now: Anchor


@dataclass(frozen=True, slots=True)
class UserData:
    """Everything stored about one user, for a data export."""

    user_id: int
    positions: tuple[Position, ...] = ()
    bookmarks: tuple[Bookmark, ...] = ()
    seen_quotes: Mapping[str, frozenset[str]] = field(default_factory=dict)  # by story id
    flags: Mapping[str, str] = field(default_factory=dict)
    readalongs_started: tuple[int, ...] = ()  # channel ids of the read-alongs they set up

    @property
    def is_empty(self) -> bool:
        return not (
            self.positions
            or self.bookmarks
            or self.seen_quotes
            or self.flags
            or self.readalongs_started
        )

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
            "readalongs_started_in_channels": sorted(self.readalongs_started),
        }


@dataclass(frozen=True, slots=True)
class ReadAlongPlan:
    """A read-along as `/readalong start` asks for it: everything but what the bot keeps."""

    guild_id: int
    channel_id: int
    story_id: str
    part_rule: str  # `bot.library.parts.PartRule.code`
    local_time: str  # "HH:MM"
    timezone: str  # an IANA name
    weekdays: str  # digits, Monday 0 to Sunday 6
    role_id: int | None
    created_by: int
    first_due_at: datetime


@dataclass(frozen=True, slots=True)
class ReadAlong:
    """A channel reading a story together: what is asked, and how far it has got."""

    id: int
    guild_id: int
    channel_id: int
    story_id: str
    part_rule: str
    local_time: str
    timezone: str
    weekdays: str
    role_id: int | None
    created_by: int | None  # None once that user erased their data
    created_at: datetime
    next_part: int  # the number of the part to post next, from 1
    next_due_at: datetime | None  # None once every part is posted
    last_posted_at: datetime | None
    paused_reason: str | None  # None while it runs

    @property
    def running(self) -> bool:
        return self.paused_reason is None and self.next_due_at is not None


@dataclass(frozen=True, slots=True)
class PartPost:
    """A part a read-along claimed: when it was due, and its post and thread once made."""

    readalong_id: int
    part: int
    due_at: datetime
    claimed_at: datetime
    message_id: int | None
    thread_id: int | None
