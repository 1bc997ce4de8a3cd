"""Errors of the story library. Each carries a reason an admin can act on."""

from __future__ import annotations


class UnusableText(Exception):
    """A text file that cannot be served; `reason` says why (for the log and the texts CLI)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class EmptyLibrary(Exception):
    """No usable story at all: the bot refuses to start rather than serve nothing."""
