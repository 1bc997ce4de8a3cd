"""A reader's own data: export it as JSON, or erase it. Knows nothing of Discord."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime

from bot.library.wording import plural
from bot.storage.interface import Storage
from bot.storage.records import UserData

log = logging.getLogger(__name__)

WHAT_WE_STORE = (
    "StoryBot stores, under your Discord id: where you stopped in each story, your bookmarks "
    "(with their notes), which quotes you have been shown (so they don't repeat), your "
    "settings, and which channels' read-alongs you set up. Nothing else: no messages."
)


@dataclass(frozen=True, slots=True)
class DataSummary:
    """How much is stored about a reader, by kind."""

    positions: int
    bookmarks: int
    seen_quotes: int
    flags: int
    readalongs_started: int = 0

    @classmethod
    def of(cls, data: UserData) -> DataSummary:
        return cls(
            positions=len(data.positions),
            bookmarks=len(data.bookmarks),
            seen_quotes=sum(len(ids) for ids in data.seen_quotes.values()),
            flags=len(data.flags),
            readalongs_started=len(data.readalongs_started),
        )

    @property
    def total(self) -> int:
        kinds = (self.positions, self.bookmarks, self.seen_quotes, self.flags)
        return sum(kinds) + self.readalongs_started

    def describe(self) -> str:
        """`2 reading places, 3 bookmarks, 5 quotes seen and 0 settings` (and the read-alongs
        set up, when there are any)."""
        parts = [
            plural(self.positions, "reading place"),
            plural(self.bookmarks, "bookmark"),
            plural(self.seen_quotes, "quote") + " seen",
            plural(self.flags, "setting"),
        ]
        if self.readalongs_started:
            parts.append(plural(self.readalongs_started, "read-along") + " set up")
        return ", ".join(parts[:-1]) + " and " + parts[-1]


def export_filename(user_id: int) -> str:
    return f"storybot-data-{user_id}.json"


def export_json(data: UserData) -> bytes:
    """The export file: indented, stable JSON in UTF-8."""
    document = {"about": WHAT_WE_STORE, **data.to_json_dict()}
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


class UserDataService:
    def __init__(self, store: Storage) -> None:
        self._store = store

    async def export(self, user_id: int) -> tuple[DataSummary, bytes]:
        data = await self._store.export_user(user_id)
        return DataSummary.of(data), export_json(data)

    async def summary(self, user_id: int) -> DataSummary:
        return DataSummary.of(await self._store.export_user(user_id))

    async def delete(self, user_id: int, *, at: datetime) -> tuple[DataSummary, int]:
        """Erase everything about the reader (and whatever they asked for before `at`, still
        in flight); what there was, and the rows deleted."""
        before = DataSummary.of(await self._store.export_user(user_id))
        rows = await self._store.delete_user(user_id, at=at)
        log.info("user %d deleted their data (%d rows)", user_id, rows)
        return before, rows
