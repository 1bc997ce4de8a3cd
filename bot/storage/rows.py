"""Between records and rows, the same for both backends (columns as in `schema.TABLE_COLUMNS`).

A place takes five columns: `scene` always, then `page` for a page place (saved before
anchors) or `paragraph`, `char_offset` and `snippet` for an anchor, the others NULL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from bot.library.anchors import Anchor, PagePlace, Place
from bot.storage.records import Bookmark, Position, ReadAlong

PlaceColumns = tuple[int, int | None, int | None, int | None, str | None]


def place_columns(place: Place) -> PlaceColumns:
    if isinstance(place, PagePlace):
        return (place.scene, place.page, None, None, None)
    return (place.scene, None, place.paragraph, place.offset, place.snippet)


def place_from_columns(columns: Sequence[Any]) -> Place:
    scene, page, paragraph, char_offset, snippet = columns
    if page is not None:
        return PagePlace(int(scene), int(page))
    return Anchor(int(scene), int(paragraph), int(char_offset), str(snippet))


def position_from_row(row: Sequence[Any], updated_at: datetime) -> Position:
    """A row of the positions columns (its time already converted to `updated_at`)."""
    return Position(int(row[0]), str(row[1]), place_from_columns(row[2:7]), updated_at, row[8])


def bookmark_from_row(row: Sequence[Any], created_at: datetime) -> Bookmark:
    """A row of the bookmarks columns (its time already converted to `created_at`)."""
    place = place_from_columns(row[3:8])
    return Bookmark(int(row[0]), int(row[1]), str(row[2]), place, row[8], created_at)


def check_aware(moment: datetime) -> datetime:
    """`moment`, refused when naive: an erasure check compares moments across processes."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"a stored moment needs a time zone, got {moment!r}")
    return moment


def readalong_from_row(row: Sequence[Any], moment: Callable[[Any], datetime | None]) -> ReadAlong:
    """A row of the readalongs columns; `moment` reads a backend's time column."""
    created_at = moment(row[10])
    assert created_at is not None
    return ReadAlong(
        id=int(row[0]),
        guild_id=int(row[1]),
        channel_id=int(row[2]),
        story_id=str(row[3]),
        part_rule=str(row[4]),
        local_time=str(row[5]),
        timezone=str(row[6]),
        weekdays=str(row[7]),
        role_id=None if row[8] is None else int(row[8]),
        created_by=None if row[9] is None else int(row[9]),
        created_at=created_at,
        next_part=int(row[11]),
        next_due_at=moment(row[12]),
        last_posted_at=moment(row[13]),
        paused_reason=row[14],
    )
