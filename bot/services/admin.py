"""Owner tasks: reload the texts without a restart. Knows nothing of Discord.

A reload reads the texts folder again into a new `Library`; if that fails (`EmptyLibrary`) the
old one stays. Otherwise the new library replaces the old one in the `LibraryHolder` every
service reads it from, its quotes are found anew in the background, and each reader whose
saved page no longer exists is moved to the nearest earlier page (the last page when the
story got shorter) with a notice, shown once on their next `/read`.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.library.errors import EmptyLibrary
from bot.library.library import Library
from bot.library.loader import SkippedText, load_library
from bot.library.model import Story
from bot.library.wording import plural
from bot.services.holder import LibraryHolder
from bot.services.places import PlacesService
from bot.services.quotes import QuoteService
from bot.services.search import SearchService

log = logging.getLogger(__name__)

Loader = Callable[[Path], tuple[Library, tuple[SkippedText, ...]]]


def fingerprint(story: Story) -> str:
    """A digest of what a reader sees: title and the text of every page, in order."""
    digest = hashlib.sha256(story.title.encode())
    for scene in story.scenes:
        for page in scene.pages:
            digest.update(b"\x00")
            digest.update(page.text.encode())
        digest.update(b"\x01")
    return digest.hexdigest()


def shape(story: Story) -> str:
    """`5 scenes, 6 pages`."""
    return f"{plural(len(story.scenes), 'scene')}, {plural(story.page_count, 'page')}"


@dataclass(frozen=True, slots=True)
class StoryChange:
    story_id: str
    title: str
    before: str | None  # shape() of the old story, None when added
    after: str | None  # shape() of the new story, None when removed

    def describe(self) -> str:
        if self.before is None:
            return f"{self.title} ({self.after})"
        if self.after is None:
            return f"{self.title} (was {self.before})"
        if self.before == self.after:
            return f"{self.title} ({self.after}, text changed)"
        return f"{self.title} ({self.before} → {self.after})"


@dataclass(frozen=True, slots=True)
class ReloadReport:
    stories: int
    added: tuple[StoryChange, ...]
    removed: tuple[StoryChange, ...]
    changed: tuple[StoryChange, ...]
    unchanged: int
    skipped: tuple[SkippedText, ...]
    readers_moved: int  # whose text is gone: moved before it, told on their next /read


def compare(old: Library, new: Library) -> tuple[list[StoryChange], ...]:
    """(added, removed, changed) between two libraries, each in title order."""
    added = [StoryChange(s.id, s.title, None, shape(s)) for s in new if s.id not in old]
    removed = [StoryChange(s.id, s.title, shape(s), None) for s in old if s.id not in new]
    changed = []
    for story in new:
        if story.id in old:
            before = old.get(story.id)
            if before is not story and fingerprint(before) != fingerprint(story):
                changed.append(StoryChange(story.id, story.title, shape(before), shape(story)))
    return added, removed, changed


class AdminService:
    """Reloads the library in place."""

    def __init__(
        self,
        library: LibraryHolder,
        quotes: QuoteService,
        places: PlacesService,
        loader: Loader = load_library,
        *,
        search: SearchService,
    ) -> None:
        self._library = library
        self._quotes = quotes
        self._places = places
        self._loader = loader
        self._search = search
        self._lock = asyncio.Lock()

    async def reload(self, texts_dir: Path) -> ReloadReport:
        """Load `texts_dir` and swap it in; `EmptyLibrary` (old library kept) when it fails."""
        async with self._lock:  # two reloads at once would race on the swap
            new, skipped = await asyncio.to_thread(self._loader, texts_dir)
            added, removed, changed = compare(self._library.current, new)
            self._library.swap(new)
            self._quotes.start_indexing()
            reconciled = await self._places.reconcile(new)
            await self._search.sync()  # the changed texts indexed anew
            told = sum(item.readers_gone for item in reconciled)
            unchanged = len(new) - len(added) - len(changed)
            log.info(
                "reloaded %d stories from %s: %d added, %d removed, %d changed, %d skipped, "
                "%d readers whose text is gone",
                len(new), texts_dir, len(added), len(removed), len(changed), len(skipped), told,
            )  # fmt: skip
            return ReloadReport(
                len(new), tuple(added), tuple(removed), tuple(changed), unchanged, skipped, told
            )


__all__ = ["AdminService", "EmptyLibrary", "ReloadReport", "StoryChange", "compare"]
