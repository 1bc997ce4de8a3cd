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
from bot.library.model import Page, Story
from bot.library.places import page_label, place_label
from bot.library.wording import plural, truncate
from bot.services.holder import LibraryHolder
from bot.services.quotes import QuoteService
from bot.storage.models import Storage

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
    readers_moved: int


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


def moved_notice(story: Story, was: tuple[int, int], now: Page) -> str:
    where = "the last page" if now is story.last_page else "the nearest page before it"
    return (
        f"“{truncate(story.title, 100)}” was changed since you last read it: "
        f"{page_label(*was)} is gone, so you are now on {where} ({place_label(story, now)})."
    )


class AdminService:
    """Reloads the library in place."""

    def __init__(
        self,
        store: Storage,
        library: LibraryHolder,
        quotes: QuoteService,
        loader: Loader = load_library,
    ) -> None:
        self._store = store
        self._library = library
        self._quotes = quotes
        self._loader = loader
        self._lock = asyncio.Lock()

    async def reload(self, texts_dir: Path) -> ReloadReport:
        """Load `texts_dir` and swap it in; `EmptyLibrary` (old library kept) when it fails."""
        async with self._lock:  # two reloads at once would race on the swap
            new, skipped = await asyncio.to_thread(self._loader, texts_dir)
            added, removed, changed = compare(self._library.current, new)
            self._library.swap(new)
            self._quotes.start_indexing()
            moved = 0
            for change in (*added, *changed):  # an added story may be one that came back
                moved += await self._clamp_readers(new.get(change.story_id))
            unchanged = len(new) - len(added) - len(changed)
            log.info(
                "reloaded %d stories from %s: %d added, %d removed, %d changed, %d skipped, "
                "%d readers moved",
                len(new), texts_dir, len(added), len(removed), len(changed), len(skipped), moved,
            )  # fmt: skip
            return ReloadReport(
                len(new), tuple(added), tuple(removed), tuple(changed), unchanged, skipped, moved
            )

    async def _clamp_readers(self, story: Story) -> int:
        """Move every reader whose page is gone to the nearest earlier one, with a notice."""
        moved = 0
        for position in await self._store.positions_for_story(story.id):
            now, exact = story.nearest_page(position.scene, position.page)
            if exact:
                continue
            notice = moved_notice(story, (position.scene, position.page), now)
            await self._store.set_position(
                position.user_id, story.id, now.scene, now.number, notice=notice
            )
            moved += 1
        return moved


__all__ = ["AdminService", "EmptyLibrary", "ReloadReport", "StoryChange", "compare"]
