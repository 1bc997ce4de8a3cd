"""Owner tasks: reload the texts without a restart. Knows nothing of Discord.

A reload reads the texts folder again into a new `Library`; if that fails (`EmptyLibrary`) the
old one stays. Otherwise the new library replaces the old one (through `swap`, the bot's
`set_library`; by default just in `ReadingService`, where every other service reads it from),
and each reader whose saved page no longer exists is moved to the
nearest earlier page (the last page when the story got shorter) with a notice, shown once on
their next `/read`.
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
from bot.services.bookmarks import nearest_place
from bot.services.reading import ReadingService
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
    scenes, pages = len(story.scenes), story.page_count
    return f"{scenes} scene{'s' if scenes != 1 else ''}, {pages} page{'s' if pages != 1 else ''}"


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


def moved_notice(story: Story, was: tuple[int, int], now: tuple[int, int]) -> str:
    title = story.title if len(story.title) <= 100 else story.title[:99] + "…"
    last = now == (len(story.scenes) - 1, len(story.scenes[-1].pages) - 1)
    where = "the last page" if last else "the nearest page before it"
    return (
        f"“{title}” was changed since you last read it: scene {was[0] + 1}, page {was[1] + 1} "
        f"is gone, so you are now on {where} (scene {now[0] + 1}, page {now[1] + 1})."
    )


class AdminService:
    """Reloads the library in place."""

    def __init__(
        self,
        store: Storage,
        reading: ReadingService,
        loader: Loader = load_library,
        *,
        swap: Callable[[Library], None] | None = None,
    ) -> None:
        self._store = store
        self._reading = reading
        self._loader = loader
        self._swap = swap or self._set_reading_library
        self._lock = asyncio.Lock()

    async def reload(self, texts_dir: Path) -> ReloadReport:
        """Load `texts_dir` and swap it in; `EmptyLibrary` (old library kept) when it fails."""
        async with self._lock:  # two reloads at once would race on the swap
            new, skipped = await asyncio.to_thread(self._loader, texts_dir)
            old = self._reading.library
            added, removed, changed = compare(old, new)
            self._swap(new)
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

    def _set_reading_library(self, library: Library) -> None:
        self._reading.library = library

    async def _clamp_readers(self, story: Story) -> int:
        """Move every reader whose page is gone to the nearest earlier one, with a notice."""
        moved = 0
        for position in await self._store.positions_for_story(story.id):
            was = (position.scene, position.page)
            now, exact = nearest_place(story, *was)
            if exact:
                continue
            notice = moved_notice(story, was, now)
            await self._store.set_position(position.user_id, story.id, *now, notice=notice)
            moved += 1
        return moved


__all__ = ["AdminService", "EmptyLibrary", "ReloadReport", "StoryChange", "compare"]
