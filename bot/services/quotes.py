"""Quotes: a reader's random line of a story, without repeats. Knows nothing of Discord.

Which story `/quote` means when none is named (the rule, in order):
1. the story named;
2. else the story the reader read last (still in the library, and allowed here);
3. else a random story among those with a line matching the filters (all stories with
   quotes when there are no filters), so a new reader discovers something.

`allowed` says which stories may be quoted where the reader asked (the caller builds it from
`bot.services.access.may_serve`): a story not allowed is never picked, and naming one raises
`NotHere`.

Autocomplete suggestions (the `character` option) come from one stable story instead: the one
named, else the one read last, else the first of the library.

The quotes of a story are found once per loaded `Story` object, in a thread, and kept by story
id; a reload brings new `Story` objects, so they are found again. `start_indexing` finds every
story's in the background at start, so that the first `/quote` need not wait. The only state
kept is derivable from the texts; which lines a reader saw is in the store.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.errors import UserError
from bot.library.library import Library, fold
from bot.library.model import Story
from bot.library.quotes import Quote, QuotePick, find_quotes, matches, pick_quote
from bot.library.wording import plural, truncate
from bot.services.access import NotHere
from bot.services.holder import LibraryHolder
from bot.storage.interface import Storage

log = logging.getLogger(__name__)

MAX_FILTER_LENGTH = 100

Allowed = Callable[[Story], bool]


def _everywhere(story: Story) -> bool:
    return True


class NoQuote(UserError):
    """No quotable line of a story matches what the reader asked for."""

    def __init__(self, story: Story, *, character: str | None, contains: str | None) -> None:
        title = _short(story.title, 100)
        if character and contains:
            text = f"No line of {title} by or about “{_short(character, 60)}” mentions "
            text += f"“{_short(contains, 60)}”."
        elif contains:
            text = f"No line of {title} mentions “{_short(contains, 100)}”."
        elif character:
            text = f"No line of {title} is spoken by or mentions “{_short(character, 100)}”."
        else:
            text = f"{title} has no lines to quote yet."
        super().__init__(text)
        self.story = story


class NoQuoteAnywhere(UserError):
    def __init__(self) -> None:
        super().__init__("No story has a line matching that. Try other words, or no filter.")


@dataclass(frozen=True, slots=True)
class QuoteResult:
    """The line chosen for a reader, and how much of the rotation is left."""

    story: Story
    quote: Quote
    matching: int
    unseen_left: int
    restarted: bool


def _short(text: str, limit: int) -> str:
    return truncate(" ".join(text.split()), limit)


def _clean(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if len(value) > MAX_FILTER_LENGTH:
        raise UserError(f"Keep filters under {MAX_FILTER_LENGTH} characters.")
    return value.strip()


class QuoteService:
    """Quotable lines of the library, served to each reader without repeats."""

    def __init__(self, store: Storage, library: LibraryHolder, rng: random.Random) -> None:
        self._store = store
        self._library = library
        self._rng = rng
        # story id -> (the Story they were found in, the finding: running or done)
        self._found: dict[str, tuple[Story, asyncio.Task[tuple[Quote, ...]]]] = {}
        self._indexing: asyncio.Task[None] | None = None

    @property
    def library(self) -> Library:
        return self._library.current

    # --- finding quotes --------------------------------------------------------------------

    def _finding(self, story: Story) -> asyncio.Task[tuple[Quote, ...]]:
        """The (shared) task finding `story`'s quotes in a thread: started once per story."""
        entry = self._found.get(story.id)
        if entry is None or entry[0] is not story:
            task = asyncio.create_task(
                asyncio.to_thread(find_quotes, story), name=f"quotes:{story.id}"
            )
            self._found[story.id] = entry = (story, task)
        return entry[1]

    async def quotes_of(self, story: Story) -> tuple[Quote, ...]:
        """The story's quotes, best first: found once per loaded story, in a thread (a long
        novel takes a while), so the bot keeps answering meanwhile."""
        return await asyncio.shield(self._finding(story))

    def ready(self, story: Story) -> tuple[Quote, ...] | None:
        """The story's quotes if they are found already, else None (never waits)."""
        entry = self._found.get(story.id)
        if entry is None or entry[0] is not story or not entry[1].done():
            return None
        task = entry[1]
        return None if task.cancelled() or task.exception() else task.result()

    def start_indexing(self) -> asyncio.Task[None]:
        """Find every story's quotes in the background, one story at a time (the task)."""
        if self._indexing is None or self._indexing.done():
            self._indexing = asyncio.create_task(self._index_all(), name="quotes:index")
        return self._indexing

    async def _index_all(self) -> None:
        library = self.library
        while True:
            for story in library:
                if self.library is not library:  # a reload meanwhile: index the new one
                    break
                try:
                    await self.quotes_of(story)
                except Exception:
                    log.exception("finding the quotes of %s failed", story.id)
            if self.library is library:
                break
            library = self.library
        log.info("quotes found for %s", plural(len(library), "story"))

    async def close(self) -> None:
        """Stop finding quotes in the background (at shutdown)."""
        tasks: list[asyncio.Task[object]] = [task for _, task in self._found.values()]
        if self._indexing is not None:
            tasks.append(self._indexing)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def speakers(self, story: Story, *, wait: float | None = None) -> list[str] | None:
        """The known speakers of the story's quotes, most quoted first; None when they are not
        found within `wait` seconds (None: wait as long as it takes)."""
        if wait is None:
            quotes = await self.quotes_of(story)
        else:
            try:
                quotes = await asyncio.wait_for(self.quotes_of(story), wait)
            except TimeoutError:  # still being found (shielded): ready for the next keystroke
                return None
        counts: dict[str, int] = {}
        for quote in quotes:
            if quote.speaker:
                counts[quote.speaker] = counts.get(quote.speaker, 0) + 1
        return sorted(counts, key=lambda name: (-counts[name], fold(name)))

    # --- choosing --------------------------------------------------------------------------

    async def suggestion_story(
        self, user_id: int, story_id: str | None, *, allowed: Allowed = _everywhere
    ) -> Story | None:
        """The story whose speakers to suggest: named, else read last, else the first of the
        library (among those allowed here); None when none is allowed."""
        library = self.library
        if story_id:
            named = library.get(story_id)
            return named if allowed(named) else None
        recent = await self._last_read(user_id)
        if recent is not None and allowed(recent):
            return recent
        return next((story for story in library if allowed(story)), None)

    async def _last_read(self, user_id: int) -> Story | None:
        """The story of the library the reader read last, if any."""
        library = self.library
        for position in await self._store.positions_for_user(user_id):
            if position.story_id in library:
                return library.get(position.story_id)
        return None

    async def story_for(
        self,
        user_id: int,
        story_id: str | None,
        *,
        character: str | None = None,
        contains: str | None = None,
        allowed: Allowed = _everywhere,
    ) -> Story:
        """The story meant (see the module docstring for the rule)."""
        library = self.library
        if story_id:
            named = library.get(story_id)
            if not allowed(named):
                raise NotHere(named)
            return named
        recent = await self._last_read(user_id)
        if recent is not None and allowed(recent):
            return recent  # (one not for here: pick among the others)
        if len(library) == 1:
            only = next(iter(library))
            if not allowed(only):
                raise NotHere(only)
            return only
        candidates = [
            story
            for story in library
            if allowed(story)
            and any(
                matches(quote, character=character, contains=contains)
                for quote in await self.quotes_of(story)
            )
        ]
        if not candidates:
            raise NoQuoteAnywhere()
        return self._rng.choice(candidates)

    async def quote(
        self,
        user_id: int,
        story_id: str | None = None,
        *,
        character: str | None = None,
        contains: str | None = None,
        allowed: Allowed = _everywhere,
        at: datetime,
    ) -> QuoteResult:
        """A line for the reader, one they have not seen while unseen ones match the filters."""
        character, contains = _clean(character), _clean(contains)
        story = await self.story_for(
            user_id, story_id, character=character, contains=contains, allowed=allowed
        )
        quotes = await self.quotes_of(story)
        seen = await self._store.seen_quotes(user_id, story.id)
        pick: QuotePick | None = pick_quote(
            quotes, seen, self._rng, contains=contains, character=character
        )
        if pick is None:
            raise NoQuote(story, character=character, contains=contains)
        if pick.restarted:
            matching = [
                quote.id
                for quote in quotes
                if matches(quote, contains=contains, character=character)
            ]
            await self._store.forget_seen_quotes(user_id, story.id, matching)
        await self._store.mark_quote_seen(user_id, story.id, pick.quote.id, asked_at=at)
        return QuoteResult(story, pick.quote, pick.matching, pick.unseen_left, pick.restarted)
