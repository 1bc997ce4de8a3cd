"""Spoiler scope: how far a reader has read, and which hits lie within it.

A reader has read everything up to the end of the page they are on: the last piece of that
page, which may end inside a paragraph the next page goes on with. The store filters at
paragraph granularity (`ReadUpTo.covers`: at or before the last paragraph read); the one
paragraph the page ends in is then judged on its part read (`visible_text`), so a hit whose
words are all on the next page is counted ahead, not shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.library.model import Page
from bot.library.search.matching import matches
from bot.library.search.query import Query


@dataclass(frozen=True, slots=True, order=True)
class ReadUpTo:
    """The end of what a reader has read: `text[:end]` of paragraph `paragraph` (within its
    scene) of scene `scene`, and everything before it."""

    scene: int
    paragraph: int
    end: int

    def covers(self, scene: int, paragraph: int) -> bool:
        """True for a paragraph at or before the last one read (perhaps read in part)."""
        return (scene, paragraph) <= (self.scene, self.paragraph)


def read_up_to(page: Page) -> ReadUpTo:
    """How far a reader on `page` has read: to the end of that page."""
    last = page.pieces[-1]
    return ReadUpTo(page.scene, last.paragraph, last.end)


def visible_text(limit: ReadUpTo | None, scene: int, paragraph: int, text: str) -> str:
    """The part of paragraph `text` (paragraph `paragraph` of scene `scene`) read by a reader
    who has read up to `limit` (None: the whole story is in scope): all of it before the
    limit, its start in the paragraph of the limit, nothing after."""
    if limit is None or (scene, paragraph) < (limit.scene, limit.paragraph):
        return text
    if (scene, paragraph) == (limit.scene, limit.paragraph):
        return text[: limit.end]
    return ""


def is_read_hit(
    query: Query, limit: ReadUpTo | None, scene: int, paragraph: int, text: str
) -> bool:
    """True when the reader may be shown this paragraph as a hit: it matches in what they
    have read of it."""
    return matches(query, visible_text(limit, scene, paragraph, text))


def count_ahead(
    query: Query, limit: ReadUpTo | None, paragraphs: Iterable[tuple[int, int, str]]
) -> int:
    """How many of `paragraphs` (scene, paragraph, text) are hits the reader has not reached:
    a hit beyond the limit, or one that matches only with the part not yet read."""
    return sum(
        1
        for scene, paragraph, text in paragraphs
        if matches(query, text) and not is_read_hit(query, limit, scene, paragraph, text)
    )
