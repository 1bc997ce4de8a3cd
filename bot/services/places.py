"""Readers' places after a changed text: found again, and told once when they are gone.

At start and on `/admin reload`, each story whose text changed since it was last served (its
`text_digest` differs from the one the database keeps) has its readers' places and bookmarks
looked for again (`bot.library.anchors.locate`): a place whose sentence moved (a scene
inserted earlier, pages re-cut) is saved where the sentence is now, silently; a place whose
text is gone moves to the nearest page before it, with a notice shown once on the reader's
next `/read`. A bookmark whose text is gone is left as it is: opening it says so.

Places saved before anchors existed (page numbers) are turned into anchors the same way. Each
move is a compare-and-set, so two processes reconciling at once, or a reader turning a page
meanwhile, lose nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.library.anchors import anchor_of, locate, text_digest
from bot.library.library import Library
from bot.library.model import Story
from bot.services.reading import gone_notice
from bot.storage.interface import Storage
from bot.storage.records import BookmarkMove, ReaderMove

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Reconciled:
    """What reconciling one story did."""

    story_id: str
    readers_moved: int  # places saved anew (the compare-and-sets that took)
    readers_gone: int  # of the places looked at, those whose text is gone (these readers are
    # moved before it and told on their next /read)
    bookmarks_moved: int


class PlacesService:
    """Keeps stored places pointing at the same sentences when texts change."""

    def __init__(self, store: Storage) -> None:
        self._store = store

    async def reconcile(self, library: Library) -> list[Reconciled]:
        """Reconcile every story of `library` whose text changed since it was last served."""
        versions = await self._store.text_versions()
        done = []
        for story in library:
            digest = text_digest(story)
            if versions.get(story.id) != digest:
                done.append(await self.reconcile_story(story))
                await self._store.set_text_version(story.id, digest)
        moved = sum(item.readers_moved for item in done)
        if done:
            log.info("places reconciled for %d changed stories: %d readers moved", len(done), moved)
        return done

    async def reconcile_story(self, story: Story) -> Reconciled:
        moves, gone = [], 0
        for position in await self._store.positions_for_story(story.id):
            page, exact = locate(story, position.place)
            anchor = anchor_of(story, page)
            if exact and position.place == anchor:
                continue
            notice = None if exact else gone_notice(story, position.place, page)
            gone += not exact
            moves.append(ReaderMove(position.user_id, position.place, anchor, notice))
        moved = await self._store.move_readers(story.id, moves) if moves else 0
        marks = []
        for bookmark in await self._store.bookmarks_for_story(story.id):
            page, exact = locate(story, bookmark.place)
            anchor = anchor_of(story, page)
            if exact and bookmark.place != anchor:
                marks.append(BookmarkMove(bookmark.id, bookmark.place, anchor))
        marked = await self._store.move_bookmarks(marks) if marks else 0
        return Reconciled(story.id, moved, gone, marked)
