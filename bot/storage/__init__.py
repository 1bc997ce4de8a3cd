"""Storage of what readers do: positions, bookmarks, seen quotes, flags, bot-wide values.

`Storage` is the interface the bot codes against; `ReadingStore` is its SQLite implementation
and the only place in the project with SQL.
"""

from bot.storage.models import (
    MAX_BOOKMARKS_PER_STORY,
    MAX_NOTE_LENGTH,
    Bookmark,
    BookmarkLimitReached,
    BookmarkNotFound,
    ComputePosition,
    Position,
    SchemaTooNew,
    SQLiteTooOld,
    Storage,
    StorageError,
    StorageSetupError,
    StoreClosed,
    UserData,
)
from bot.storage.store import ReadingStore

__all__ = [
    "MAX_BOOKMARKS_PER_STORY",
    "MAX_NOTE_LENGTH",
    "Bookmark",
    "BookmarkLimitReached",
    "BookmarkNotFound",
    "ComputePosition",
    "Position",
    "ReadingStore",
    "SQLiteTooOld",
    "SchemaTooNew",
    "Storage",
    "StorageError",
    "StorageSetupError",
    "StoreClosed",
    "UserData",
]
