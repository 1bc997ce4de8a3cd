"""ReadingService on its own (no Discord): places, moves, the ending, validation."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from bot.errors import StoryRequired, UnknownStory
from bot.library.library import Library
from bot.services.reading import EndView, OutOfRange, PageView, ReadingService, check_place
from bot.storage.store import ReadingStore
from tests.bot.harness import SEED_ID, seed_library
from tests.storage.tracing import trace_statements

USER = 7


def two_story_library() -> Library:
    """The seed, and a copy of it with the id `other`."""
    seed = seed_library().get(SEED_ID)
    other = type(seed)(**{**{f: getattr(seed, f) for f in seed.__slots__}, "id": "other"})
    return Library([seed, other])


@pytest.fixture
def service(store: ReadingStore) -> ReadingService:
    return ReadingService(store, seed_library())


def place(view: PageView | EndView) -> tuple[int, int]:
    assert isinstance(view, PageView)
    return view.scene, view.page


async def test_first_open_saves_the_first_page(
    service: ReadingService, store: ReadingStore
) -> None:
    view = await service.open(USER, None)  # the only story
    assert place(view) == (0, 0)
    assert view.is_first
    assert not view.is_last
    position = await store.get_position(USER, SEED_ID)
    assert position is not None
    assert (position.scene, position.page) == (0, 0)


async def test_moves_cross_scenes_and_stop_at_the_ends(service: ReadingService) -> None:
    assert place(await service.move(USER, SEED_ID, -1)) == (0, 0)  # nothing before the start
    seen = [place(await service.move(USER, SEED_ID, 1)) for _ in range(5)]
    assert seen == [(1, 0), (2, 0), (2, 1), (3, 0), (4, 0)]
    last = await service.open(USER, SEED_ID)
    assert last.is_last
    assert last.percent_end == pytest.approx(100)
    assert last.minutes_left == 0
    assert isinstance(await service.move(USER, SEED_ID, 1), EndView)
    assert place(await service.open(USER, SEED_ID)) == (4, 0)  # the ending keeps the place


async def test_concurrent_moves_are_all_counted(service: ReadingService) -> None:
    await asyncio.gather(*(service.move(USER, SEED_ID, 1) for _ in range(4)))
    assert place(await service.open(USER, SEED_ID)) == (3, 0)


async def test_without_a_saved_place_a_move_starts_from_the_page_shown(
    service: ReadingService,
) -> None:
    assert place(await service.move(USER, SEED_ID, 1, shown=(2, 1))) == (3, 0)


async def test_a_turn_from_the_saved_page_is_one_statement(
    service: ReadingService, store: ReadingStore
) -> None:
    await service.open(USER, SEED_ID)
    statements = await trace_statements(store)
    assert place(await service.move(USER, SEED_ID, 1, shown=(0, 0))) == (1, 0)
    assert len(statements) == 1  # the compare-and-set: no read first, no BEGIN or COMMIT
    assert statements[0].lstrip().upper().startswith("WITH MOVES")


async def test_a_turn_on_an_old_page_moves_from_the_saved_place(
    service: ReadingService, store: ReadingStore
) -> None:
    """Next pressed under a page the reader has since left (another copy of the page, or
    one open in two windows) moves on from where they are, never back to that page."""
    await store.set_position(USER, SEED_ID, 2, 1)
    assert place(await service.move(USER, SEED_ID, 1, shown=(0, 0))) == (3, 0)
    assert place(await service.move(USER, SEED_ID, -1, shown=(0, 0))) == (2, 1)
    assert place(await service.open(USER, SEED_ID)) == (2, 1)


async def test_a_double_click_on_one_page_turns_two_pages(service: ReadingService) -> None:
    await service.open(USER, SEED_ID)
    results = await asyncio.gather(
        service.move(USER, SEED_ID, 1, shown=(0, 0)), service.move(USER, SEED_ID, 1, shown=(0, 0))
    )
    assert sorted(place(result) for result in results) == [(1, 0), (2, 0)]
    assert place(await service.open(USER, SEED_ID)) == (2, 0)


async def test_next_on_the_last_page_ends_and_keeps_the_place(service: ReadingService) -> None:
    await service.goto(USER, SEED_ID, 5)
    assert isinstance(await service.move(USER, SEED_ID, 1, shown=(4, 0)), EndView)
    assert place(await service.open(USER, SEED_ID)) == (4, 0)


async def test_opening_a_story_makes_it_the_one_read_last(store: ReadingStore) -> None:
    service = ReadingService(store, two_story_library())
    first, second = (story.id for story in service.library)
    await service.open(USER, first)
    await service.open(USER, second)
    await service.open(USER, first)  # no page turned: opening it is reading it
    assert (await service.resolve(USER, None)).id == first


async def test_percentages_grow_and_meet(service: ReadingService) -> None:
    story = seed_library().get(SEED_ID)
    views = [service.view(story, scene, page) for scene, page in [(0, 0), (1, 0), (2, 0)]]
    for before, after in itertools.pairwise(views):
        assert before.percent_end == pytest.approx(after.percent_start)
        assert before.minutes_left >= after.minutes_left


def test_places_are_checked_one_based() -> None:
    story = seed_library().get(SEED_ID)
    assert check_place(story, 3, 2) == (2, 1)
    for scene, page in [(0, 1), (6, 1), (3, 3), (1, 0)]:
        with pytest.raises(OutOfRange):
            check_place(story, scene, page)


async def test_several_stories_need_a_choice_until_one_was_read(store: ReadingStore) -> None:
    service = ReadingService(store, two_story_library())
    with pytest.raises(StoryRequired):
        await service.open(USER, None)
    with pytest.raises(UnknownStory):
        await service.open(USER, "missing")
    await service.open(USER, "other")
    assert (await service.open(USER, None)).story.id == "other"
