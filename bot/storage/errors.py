"""The storage layer's errors: what a reader is told, and what stops the bot at start."""

from __future__ import annotations


class StorageError(Exception):
    """A storage failure a reader may meet; `user_message` is safe (and meant) to show them."""

    user_message = "Something went wrong with your saved data."

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail or self.user_message)


class StorageUnavailable(StorageError):
    """The database could not do what was asked just now (disk full, I/O error, server gone).

    Nothing was written; the reader may try again. The cause goes to the log (one ERROR line
    per episode of faults), never to the reader.
    """

    user_message = "Your place could not be saved just now; please try again in a moment."


class StorageReadUnavailable(StorageUnavailable):
    """Like `StorageUnavailable`, for a read."""

    user_message = "Your saved places could not be read just now; please try again in a moment."


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


class ReadAlongExists(StorageError):
    user_message = (
        "This channel already has a read-along: see it with `/readalong status`, or stop it "
        "with `/readalong stop` first. (One read-along per channel; a server may have several.)"
    )


class StoreClosed(RuntimeError):
    """The store was used after `close()`: a bug in the caller, not the user's doing."""


class StorageSetupError(RuntimeError):
    """The database cannot be used as configured: one line at start (exit status 2).

    The message names the database (never a password) and says what is wrong and what to do.
    """


class SchemaTooNew(StorageSetupError):
    """The database was written by a newer version of the bot than this one."""


class SQLiteTooOld(StorageSetupError):
    """Python's SQLite library lacks what the store's statements use."""
