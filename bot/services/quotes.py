"""Quotes: a reader's random line of a story, without repeats. Knows nothing of Discord.

Which story `/quote` means when none is named (the rule, in order):
1. the story named;
2. else the story the reader read last (still in the library, and allowed here);
3. else a random story among those with a line matching the filters (all stories with
   quotes when there are no filters), so a new reader discovers something.

`allowed` says which stories may be quoted where the reader asked (the caller builds it from
`bot.services.access.may_serve`): a story not allowed is never picked, and naming one raises
`NotHere`.

The quotes of a story are found once per loaded `Story` object and cached by story id; a
reload brings new `Story` objects, so the cache rebuilds itself (and `clear()` empties it).
The only state kept is derivable from the texts; which lines a reader saw is in the store.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass

from bot.errors import UserError
from bot.library.library import Library, fold
from bot.library.model import Story
from bot.library.quotes import Quote, QuotePick, find_quotes, matches, pick_quote
from bot.services.access import NotHere
from bot.storage.models import Storage

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
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _clean(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if len(value) > MAX_FILTER_LENGTH:
        raise UserError(f"Keep filters under {MAX_FILTER_LENGTH} characters.")
    return value.strip()


class QuoteService:
    """Quotable lines of the library, served to each reader without repeats."""

    def __init__(
        self,
        store: Storage,
        library: Callable[[], Library],
        rng: random.Random | None = None,
    ) -> None:
        self._store = store
        self._library = library
        self.rng = rng or random.Random()
        self._cache: dict[str, tuple[Story, tuple[Quote, ...]]] = {}
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}  # lock, holders and waiters

    @property
    def library(self) -> Library:
        return self._library()

    # --- the cache -------------------------------------------------------------------------

    async def quotes_of(self, story: Story) -> tuple[Quote, ...]:
        """The story's quotes, best first, computed once per loaded story.

        Finding them is CPU work (a long novel takes a while): it runs in a thread, so the
        bot keeps answering meanwhile.
        """
        cached = self._cache.get(story.id)
        if cached is None or cached[0] is not story:
            found = await asyncio.to_thread(find_quotes, story)
            cached = (story, found)
            self._cache[story.id] = cached
            log.debug("found %d quotes in %s", len(found), story.id)
        return cached[1]

    def clear(self) -> None:
        """Forget every cached story (after a reload)."""
        self._cache.clear()

    @property
    def cached(self) -> int:
        return len(self._cache)

    async def speakers(self, story: Story) -> list[str]:
        """The known speakers of a story's quotes, most quoted first."""
        counts: dict[str, int] = {}
        for quote in await self.quotes_of(story):
            if quote.speaker:
                counts[quote.speaker] = counts.get(quote.speaker, 0) + 1
        return sorted(counts, key=lambda name: (-counts[name], fold(name)))

    # --- choosing --------------------------------------------------------------------------

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
        for position in await self._store.positions_for_user(user_id):
            if position.story_id in library:
                recent = library.get(position.story_id)
                if allowed(recent):
                    return recent
                break  # the last story read is not for here: pick among the others
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
        return self.rng.choice(candidates)

    async def quote(
        self,
        user_id: int,
        story_id: str | None = None,
        *,
        character: str | None = None,
        contains: str | None = None,
        allowed: Allowed = _everywhere,
    ) -> QuoteResult:
        """A line for the reader, one they have not seen while unseen ones match the filters."""
        character, contains = _clean(character), _clean(contains)
        story = await self.story_for(
            user_id, story_id, character=character, contains=contains, allowed=allowed
        )
        quotes = await self.quotes_of(story)
        lock, users = self._locks.get(user_id, (asyncio.Lock(), 0))
        self._locks[user_id] = (lock, users + 1)
        try:
            async with lock:  # two quick /quote of one reader must not pick the same line
                seen = await self._store.seen_quotes(user_id, story.id)
                pick: QuotePick | None = pick_quote(
                    quotes, seen, self.rng, contains=contains, character=character
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
                await self._store.mark_quote_seen(user_id, story.id, pick.quote.id)
        finally:
            lock, users = self._locks[user_id]
            if users == 1:
                del self._locks[user_id]
            else:
                self._locks[user_id] = (lock, users - 1)
        return QuoteResult(story, pick.quote, pick.matching, pick.unseen_left, pick.restarted)
