"""The library being served now: every service reads it here, and a reload swaps it."""

from __future__ import annotations

from bot.library.library import Library


class LibraryHolder:
    """Holds the current `Library` (immutable: a reload builds a new one and swaps it in)."""

    def __init__(self, library: Library) -> None:
        self.current = library

    def swap(self, library: Library) -> Library:
        """Serve `library` from now on; returns the one it replaces."""
        old, self.current = self.current, library
        return old
