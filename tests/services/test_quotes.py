"""QuoteService: the story rule, no repeats, the cache."""

from __future__ import annotations

import asyncio
import dataclasses
import random
from pathlib import Path

import pytest

from bot.errors import UserError
from bot.library.library import Library
from bot.library.loader import load_library
from bot.library.quotes import find_quotes
from bot.services.holder import LibraryHolder
from bot.services.quotes import NoQuote, NoQuoteAnywhere, QuoteService
from bot.storage.interface import Storage
from tests.bot.harness import SEED_ID, now, put_place, seed_library

USER = 1


def service(store: Storage, library: Library, seed: int = 7) -> QuoteService:
    return QuoteService(store, LibraryHolder(library), random.Random(seed))


async def test_every_line_once_then_a_new_cycle(store: Storage) -> None:
    quotes = service(store, seed_library())
    total = len(find_quotes(seed_library().get(SEED_ID)))
    shown = [(await quotes.quote(USER, at=now())).quote.id for _ in range(total)]
    assert len(set(shown)) == total
    again = await quotes.quote(USER, at=now())
    assert again.restarted
    assert await store.seen_quotes(USER, SEED_ID) == {again.quote.id}


async def test_filtered_rotation_forgets_only_the_matching_lines(store: Storage) -> None:
    quotes = service(store, seed_library())
    first = await quotes.quote(USER, at=now())  # any line
    derek = [(await quotes.quote(USER, character="Derek", at=now())) for _ in range(40)]
    cycle = derek[0].matching
    assert len({result.quote.id for result in derek[:cycle]}) == cycle
    restarted = derek[cycle]
    assert restarted.restarted
    seen = await store.seen_quotes(USER, SEED_ID)
    if first.quote.id not in {result.quote.id for result in derek}:
        assert first.quote.id in seen  # a line outside the filter stays seen


async def test_no_match_messages(store: Storage) -> None:
    quotes = service(store, seed_library())
    with pytest.raises(NoQuote) as contains:
        await quotes.quote(USER, contains="zebra", at=now())
    assert contains.value.user_message == "No line of Lay Your Heart Bare mentions “zebra”."
    with pytest.raises(NoQuote) as both:
        await quotes.quote(USER, character="Derek", contains="zebra", at=now())
    assert "by or about “Derek” mentions “zebra”" in both.value.user_message
    with pytest.raises(UserError):
        await quotes.quote(USER, contains="x" * 101, at=now())
    assert await store.seen_quotes(USER, SEED_ID) == set()


async def test_which_story_when_none_is_named(store: Storage, two_stories: Library) -> None:
    quotes = service(store, two_stories)
    picked = {(await quotes.story_for(USER, None)).id for _ in range(30)}
    assert picked == {SEED_ID, "the-lighthouse"}  # random among stories with quotes
    marta = await quotes.quote(USER, character="Marta", at=now())
    assert marta.story.id == "the-lighthouse"  # only that story has a matching line
    with pytest.raises(NoQuoteAnywhere):
        await quotes.quote(USER, contains="zebra", at=now())
    await put_place(store, USER, two_stories.get("the-lighthouse"), 0, 0)
    assert (await quotes.story_for(USER, None)).id == "the-lighthouse"  # the last one read
    assert (await quotes.story_for(USER, SEED_ID)).id == SEED_ID


async def test_quotes_are_found_once_per_loaded_story(store: Storage) -> None:
    library = seed_library()
    quotes = service(store, library)
    story = library.get(SEED_ID)
    assert quotes.ready(story) is None
    assert await quotes.speakers(story, wait=0) is None  # not found yet: no waiting
    first = await quotes.quotes_of(story)
    assert quotes.ready(story) == first
    assert await quotes.quotes_of(story) is first  # not found again
    reloaded = dataclasses.replace(story)  # a reload brings a new Story object
    assert quotes.ready(reloaded) is None
    assert await quotes.quotes_of(reloaded) == first
    speakers = await quotes.speakers(story)
    assert speakers is not None
    assert "Stiles" in speakers


async def test_indexing_at_start_finds_every_story(store: Storage, two_stories: Library) -> None:
    quotes = service(store, two_stories)
    assert not any(quotes.ready(story) for story in two_stories)
    await quotes.start_indexing()
    assert all(quotes.ready(story) for story in two_stories)
    await quotes.close()


async def test_a_reload_during_the_indexing_at_start_is_indexed_too(
    store: Storage, two_stories: Library, texts: Path
) -> None:
    holder = LibraryHolder(two_stories)
    quotes = QuoteService(store, holder, random.Random(7))
    indexing = quotes.start_indexing()
    await asyncio.sleep(0)  # under way with the first library
    reloaded = load_library(texts)[0]  # new Story objects, as /admin reload makes
    holder.swap(reloaded)
    assert quotes.start_indexing() is indexing  # the one task goes on, with the new library
    await indexing
    assert all(quotes.ready(story) for story in reloaded)
    await quotes.close()


async def test_suggestions_come_from_one_stable_story(store: Storage, two_stories: Library) -> None:
    quotes = service(store, two_stories)
    first = next(iter(two_stories))
    picked = {await quotes.suggestion_story(USER, None) for _ in range(10)}
    assert picked == {first}  # no history: the first story, every time
    await put_place(store, USER, two_stories.get("the-lighthouse"), 0, 0)
    story = await quotes.suggestion_story(USER, None)
    assert story is not None
    assert story.id == "the-lighthouse"  # the last one read
    assert await quotes.suggestion_story(USER, None, allowed=lambda s: False) is None
