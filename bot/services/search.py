"""Spoiler-free search in a story: the index kept in step with the texts, and each reader's
search kept within what they have read. Knows nothing of Discord.

The index (`Storage.search`) is brought up to date (`sync`) for the texts whose digest
changed, and dropped for the stories no longer served: at start in the background
(`start_sync`: a start with nothing changed reads one table, and one with a new library is
not held up while it is indexed), and on `/admin reload`. A search asks it for one page of
ranked hits of the story as indexed from the text being served (by digest, so an index made
from another version of the text is never read against this one; a search meanwhile waits
for the sync under way), then checks each hit with `match_spans`, the reference matcher,
which also places its snippet.

Scope: a reader who has started a story searches what they have read, up to the end of the
page they are on (`read_up_to`); the hits past it are counted, not shown. The one paragraph
that page ends in is judged on its part read, and a snippet never shows more of it. A story
not started is searched whole, as is any story once the reader asks for all of it.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final

from bot.errors import UserError
from bot.library.anchors import locate, page_at, text_digest
from bot.library.model import Page, Story
from bot.library.search import (
    Query,
    ReadUpTo,
    is_read_hit,
    match_spans,
    matches,
    read_up_to,
    snippet,
    visible_text,
)
from bot.library.wording import truncate
from bot.services.holder import LibraryHolder
from bot.storage.interface import Found, Point, Storage

log = logging.getLogger(__name__)

INDEX_FORMAT: Final = "1"
"""Part of every story's index digest: raise it when what a text indexes as changes (the
words, their folding), and every story is indexed anew at the next start."""
HITS_PER_PAGE: Final = 5
SNIPPET_LIMIT: Final = 300
"""Characters of a hit's snippet, as Discord counts them (bold and escapes included)."""


class Scope(StrEnum):
    READ = "read"  # what the reader has read; all of a story they have not started
    ALL = "all"  # the whole story: asked for, past the warning


@dataclass(frozen=True, slots=True)
class Hit:
    """A paragraph found: its rank among the hits (from 1), the page its first match is on,
    and its snippet (markdown: the text escaped, the matches in bold)."""

    number: int
    page: Page
    snippet: str


@dataclass(frozen=True, slots=True)
class SearchResults:
    """One page of a search's hits in `story`.

    `read_to` is the reader's page when the search kept to what they have read (None: the
    whole story was searched), and `ahead` the hits past it.
    """

    story: Story
    query: Query
    hits: tuple[Hit, ...]
    page: int  # of the hits, from 0
    total: int
    ahead: int
    read_to: Page | None
    started: bool  # the reader has a place in the story

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / HITS_PER_PAGE))


@dataclass(frozen=True, slots=True)
class Synced:
    """What bringing the index up to date did."""

    indexed: tuple[str, ...]  # stories indexed anew (new, or their text changed)
    dropped: tuple[str, ...]  # no longer served


class IndexNotReady(UserError):
    """The story's index is not (yet) of the text being served: a reload is under way."""

    def __init__(self, story: Story) -> None:
        super().__init__(
            f"The search index of “{truncate(story.title, 100)}” is being brought up to date: "
            "try again in a moment."
        )


def index_digest(story: Story) -> str:
    """What the index of `story` is made from: its text (and cut into scenes and
    paragraphs, which the index addresses), and the indexing itself."""
    return f"{INDEX_FORMAT}:{text_digest(story)}"


def story_paragraphs(story: Story) -> list[tuple[int, int, str]]:
    """Every paragraph of `story` as the index takes it: (scene, paragraph, text)."""
    return [
        (scene.index, number, paragraph.text)
        for scene in story.scenes
        for number, paragraph in enumerate(scene.paragraphs)
    ]


def query_id(text: str) -> str:
    """The id a query is kept under (the same for the same query): 64 bits of its digest."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


class SearchService:
    """Searches stories through the store's index, within what each reader has read."""

    def __init__(self, store: Storage, library: LibraryHolder) -> None:
        self._store = store
        self._library = library
        # Each story's index digest, for the Story object it was computed from: hashing a
        # long text takes milliseconds, and a reload brings new objects.
        self._digests: dict[str, tuple[Story, str]] = {}
        self._syncing = asyncio.Lock()  # one sync at a time, each of the library then served
        self._started: asyncio.Task[None] | None = None

    def _digest(self, story: Story) -> str:
        cached = self._digests.get(story.id)
        if cached is not None and cached[0] is story:
            return cached[1]
        digest = index_digest(story)
        self._digests[story.id] = (story, digest)
        return digest

    async def sync(self) -> Synced:
        """Index every story of the library being served whose text changed since it was
        indexed, and drop the index of the stories it no longer has."""
        async with self._syncing:
            library = self._library.current
            indexed = await self._store.search.indexed()
            gone = tuple(story_id for story_id in indexed if story_id not in library)
            await self._store.search.drop(gone)
            self._digests = {key: value for key, value in self._digests.items() if key in library}
            fresh = []
            for story in library:
                digest = self._digest(story)
                if indexed.get(story.id) != digest:
                    await self._store.search.index(story.id, digest, story_paragraphs(story))
                    fresh.append(story.id)
        if fresh or gone:
            log.info("search index: %d stories indexed, %d dropped", len(fresh), len(gone))
        return Synced(tuple(fresh), gone)

    def start_sync(self) -> asyncio.Task[None]:
        """`sync` in the background (at start: the bot need not wait for it)."""
        if self._started is None or self._started.done():
            self._started = asyncio.create_task(self._sync_logged(), name="search:sync")
        return self._started

    async def _sync_logged(self) -> None:
        try:
            await self.sync()
        except Exception:  # a search meanwhile says the index is not ready
            log.exception("the search index could not be brought up to date")

    async def _settled(self) -> None:
        """Wait out the syncs under way: the start's, a reload's."""
        if self._started is not None and not self._started.done():
            await asyncio.wait([self._started])
        async with self._syncing:
            pass

    async def close(self) -> None:
        """Stop the start's sync, if it still runs (at shutdown)."""
        if self._started is not None:
            self._started.cancel()
            await asyncio.gather(self._started, return_exceptions=True)

    async def search(
        self, user_id: int, story: Story, query: Query, *, scope: Scope, page: int = 0
    ) -> SearchResults:
        """Page `page` of the hits of `query` (not empty) in `story` for this reader: within
        what they have read, unless `scope` is ALL or they have not started it. A page past
        the last shows the last."""
        if query.is_empty:
            raise ValueError("the query has nothing to look for")
        position = await self._store.get_position(user_id, story.id)
        read_to = None
        if position is not None and scope is Scope.READ:
            read_to = locate(story, position.place)[0]
        limit = read_up_to(read_to) if read_to is not None else None
        page = max(page, 0)
        ranked, total, ahead = await self._ranked(story, query, limit, page)
        if not ranked and total and page * HITS_PER_PAGE >= total:
            page = (total - 1) // HITS_PER_PAGE
            ranked, total, ahead = await self._ranked(story, query, limit, page)
        first = page * HITS_PER_PAGE + 1
        hits = tuple(
            hit
            for number, point in enumerate(ranked, start=first)
            if (hit := _hit(story, query, limit, point, number)) is not None
        )
        return SearchResults(
            story, query, hits, page, total, ahead, read_to, started=position is not None
        )

    async def _ranked(
        self, story: Story, query: Query, limit: ReadUpTo | None, page: int
    ) -> tuple[list[Point], int, int]:
        """The points of page `page` of the hits within `limit`, how many hits lie within it
        and how many past it."""
        offset = page * HITS_PER_PAGE
        if limit is None:
            found = await self._find(story, query, None, offset)
            return list(found.hits), found.before, 0
        last = (limit.scene, limit.paragraph)
        text = story.scenes[limit.scene].paragraphs[limit.paragraph].text
        in_whole, in_part_read = matches(query, text), is_read_hit(query, limit, *last, text)
        # The engine knows the paragraph the page ends in whole: it is one of its hits
        # within only when it is one in both, and else, when a hit in its part read (an
        # excluded word in the rest, say), comes last.
        split = (limit.scene, limit.paragraph + 1) if in_whole and in_part_read else last
        found = await self._find(story, query, split, offset)
        ranked, total = list(found.hits), found.before
        if in_part_read and not in_whole:
            if offset <= total < offset + HITS_PER_PAGE:
                ranked.append(last)
            total += 1
        return ranked, total, found.after

    async def _find(self, story: Story, query: Query, before: Point | None, offset: int) -> Found:
        for last_try in (False, True):
            found = await self._store.search.find(
                story.id, self._digest(story), query, before=before, offset=offset,
                limit=HITS_PER_PAGE,
            )  # fmt: skip
            if found is not None:
                return found
            if not last_try:
                await self._settled()
        raise IndexNotReady(story)

    async def keep_query(self, text: str, *, at: datetime) -> str:
        """Keep a query too long for a button; the id a button carries instead."""
        kept = query_id(text)
        await self._store.search.remember_query(kept, text, at=at)
        return kept

    async def kept_query(self, kept: str, *, at: datetime) -> str | None:
        """The query kept under `kept`, if it still is."""
        return await self._store.search.recall_query(kept, at=at)


def _hit(
    story: Story, query: Query, limit: ReadUpTo | None, point: Point, number: int
) -> Hit | None:
    """The hit at `point`, as the reader may see it; None when the engine's candidate is not
    a hit in what they have read of it."""
    scene, paragraph = point
    text = visible_text(limit, scene, paragraph, story.scenes[scene].paragraphs[paragraph].text)
    spans = match_spans(query, text)
    if not spans:  # the engines are exact: a bug, to be told of, not shown
        log.warning(
            "search: paragraph %d of scene %d of %s is the engine's hit but not a match for %r",
            paragraph, scene, story.id, query,
        )  # fmt: skip
        return None
    page = page_at(story, scene, paragraph, spans[0][0])
    return Hit(number, page, snippet(text, spans, SNIPPET_LIMIT))
