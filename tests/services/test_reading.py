"""ReadingService on its own (no Discord): places, page turns, the ending, validation."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
from typing import Any, cast

import pytest

from bot.errors import StoryRequired, UnknownStory
from bot.library.anchors import Anchor, anchor_of
from bot.library.library import Library
from bot.library.model import Page, Story
from bot.services.holder import LibraryHolder
from bot.services.reading import EndView, OutOfRange, PageView, ReadingService, check_place
from bot.storage.interface import Storage
from bot.storage.records import Position
from tests.bot.harness import SEED_ID, now, put_place, saved_place, seed_library

USER = 7


def two_story_library() -> Library:
    """The seed, and a copy of it with the id `other`."""
    seed = seed_library().get(SEED_ID)
    return Library([seed, dataclasses.replace(seed, id="other")])


@pytest.fixture
def story() -> Story:
    return seed_library().get(SEED_ID)


@pytest.fixture
def service(store: Storage) -> ReadingService:
    return ReadingService(store, LibraryHolder(seed_library()))


def place(view: PageView | EndView) -> tuple[int, int]:
    assert isinstance(view, PageView)
    return view.page.scene, view.page.number


async def saved(store: Storage) -> tuple[int, int] | None:
    return await saved_place(store, USER, seed_library().get(SEED_ID))


async def test_first_open_saves_the_first_page(
    service: ReadingService, store: Storage, story: Story
) -> None:
    view = await service.open(USER, story, at=now())
    assert place(view) == (0, 0)
    assert view.is_first
    assert not view.is_last
    assert await saved(store) == (0, 0)


async def test_turns_cross_scenes_and_stop_at_the_ends(
    service: ReadingService, store: Storage, story: Story
) -> None:
    first = story.first_page
    assert place(await service.turn(USER, story, first, -1, at=now())) == (0, 0)  # the start
    seen = []
    page: Page = first
    for _ in range(5):
        view = await service.turn(USER, story, page, 1, at=now())
        assert isinstance(view, PageView)
        page = view.page
        seen.append(place(view))
    assert seen == [(1, 0), (2, 0), (2, 1), (3, 0), (4, 0)]
    last = await service.open(USER, story, at=now())
    assert last.is_last
    assert last.percent_end == pytest.approx(100)
    assert last.minutes_left == 0
    assert isinstance(await service.turn(USER, story, page, 1, at=now()), EndView)
    assert await saved(store) == (4, 0)  # the ending keeps the last page as the place


async def test_a_turn_acts_on_the_page_it_was_pressed_on(
    service: ReadingService, store: Storage, story: Story
) -> None:
    """Next under a page the reader has since left (an older message) goes on from that page:
    the page after it is shown and becomes the saved place."""
    await service.go(USER, story, story.scenes[3].pages[0], at=now())
    assert place(await service.turn(USER, story, story.first_page, 1, at=now())) == (1, 0)
    assert await saved(store) == (1, 0)


async def test_presses_at_the_same_instant_on_one_page_turn_one_page(
    service: ReadingService, store: Storage, story: Story
) -> None:
    await service.open(USER, story, at=now())
    results = await asyncio.gather(
        *(service.turn(USER, story, story.first_page, 1, at=now()) for _ in range(5))
    )
    assert [place(result) for result in results] == [(1, 0)] * 5
    assert await saved(store) == (1, 0)


async def test_opening_a_story_makes_it_the_one_read_last(store: Storage) -> None:
    service = ReadingService(store, LibraryHolder(two_story_library()))
    first, second = service.library
    await service.open(USER, first, at=now())
    await service.open(USER, second, at=now())
    await service.open(USER, first, at=now())  # no page turned: opening it is reading it
    assert (await service.resolve(USER, None)).id == first.id


async def test_a_place_whose_text_is_gone_opens_the_nearest_page_before_it_once_told(
    service: ReadingService, store: Storage, story: Story
) -> None:
    gone = Anchor(scene=2, paragraph=40, offset=0, snippet="words this story never had")
    await store.save_position(USER, SEED_ID, gone, asked_at=now())
    told = await service.open(USER, story, at=now())
    assert place(told) == (2, 1)  # the last page of that scene
    assert told.notice is not None
    assert "is gone" in told.notice
    assert await saved(store) == (2, 1)  # saved where the reader now is
    again = await service.open(USER, story, at=now())
    assert again.notice is None  # told once


class TurnedMeanwhile:
    """The store, with a page turn of the reader's (another message, another process)
    landing just after `/read` read their place."""

    def __init__(self, store: Storage, turned: Anchor) -> None:
        self._store, self._turned = store, turned

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)

    async def open_position(self, *args: Any, **kwargs: Any) -> Position | None:
        position = await self._store.open_position(*args, **kwargs)
        await self._store.save_position(USER, SEED_ID, self._turned, asked_at=now())
        return position


async def test_opening_a_moved_place_never_undoes_a_page_turned_meanwhile(
    store: Storage, story: Story
) -> None:
    gone = Anchor(scene=2, paragraph=40, offset=0, snippet="words this story never had")
    await store.save_position(USER, SEED_ID, gone, asked_at=now())
    turned = anchor_of(story, story.scenes[3].pages[0])
    racing = ReadingService(
        cast(Storage, TurnedMeanwhile(store, turned)), LibraryHolder(seed_library())
    )
    shown = await racing.open(USER, story, at=now())
    assert place(shown) == (2, 1)  # what was read: the nearest page before the gone place
    assert await saved(store) == (3, 0)  # the turn that came after it is kept


async def test_a_place_is_kept_as_the_anchor_of_its_page(
    service: ReadingService, store: Storage, story: Story
) -> None:
    await put_place(store, USER, story, 2, 1)
    assert place(await service.open(USER, story, at=now())) == (2, 1)
    position = await store.get_position(USER, SEED_ID)
    assert position is not None
    assert position.place == anchor_of(story, story.scenes[2].pages[1])
    assert position.place.snippet == story.scenes[2].pages[1].text[: len(position.place.snippet)]


async def test_after_an_erasure_nothing_asked_for_before_it_is_saved(
    service: ReadingService, store: Storage, story: Story
) -> None:
    asked = now()
    await store.delete_user(USER, at=now())
    view = await service.turn(USER, story, story.first_page, 1, at=asked)
    assert place(view) == (1, 0)  # shown...
    assert await saved(store) is None  # ...but not saved: the reader erased their data
    assert place(await service.open(USER, story, at=now())) == (0, 0)  # a new start saves
    assert await saved(store) == (0, 0)


def test_percentages_grow_and_meet(story: Story) -> None:
    views = [ReadingService.peek(story, page) for page in story.pages]
    for before, after in itertools.pairwise(views):
        assert before.percent_end == pytest.approx(after.percent_start)
        assert before.minutes_left >= after.minutes_left
    assert views[0].percent_start == 0
    assert views[-1].percent_end == pytest.approx(100)


def test_places_are_checked_one_based(story: Story) -> None:
    assert check_place(story, 3, 2) is story.scenes[2].pages[1]
    for scene, page in [(0, 1), (6, 1), (3, 3), (1, 0)]:
        with pytest.raises(OutOfRange):
            check_place(story, scene, page)


async def test_several_stories_need_a_choice_until_one_was_read(store: Storage) -> None:
    service = ReadingService(store, LibraryHolder(two_story_library()))
    with pytest.raises(StoryRequired):
        await service.resolve(USER, None)
    with pytest.raises(UnknownStory):
        await service.resolve(USER, "missing")
    await service.open(USER, service.story("other"), at=now())
    assert (await service.resolve(USER, None)).id == "other"


async def test_progress_and_overview(store: Storage) -> None:
    service = ReadingService(store, LibraryHolder(two_story_library()))
    other = service.story("other")
    await service.go(USER, other, other.scenes[2].pages[1], at=now())
    [progress] = await service.progress(USER)
    assert (progress.story.id, place(progress)) == ("other", (2, 1))
    overview = {item.story.id: item for item in await service.overview(USER)}
    assert overview[SEED_ID].place is None
    assert overview["other"].place is not None
    assert overview["other"].reading_minutes == 12
