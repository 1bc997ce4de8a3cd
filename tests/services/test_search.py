"""SearchService on both backends: the index kept in step with the texts, hits within what
the reader has read (the page they are on read to its end, a paragraph cut by it judged on
its part read), hits ahead counted, pages, snippets, and any query at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.library.library import Library
from bot.library.loader import load_library
from bot.library.model import Story
from bot.library.search import (
    count_ahead,
    is_read_hit,
    matches,
    parse_query,
    read_up_to,
    visible_text,
)
from bot.services import build_services
from bot.services.holder import LibraryHolder
from bot.services.search import (
    HITS_PER_PAGE,
    SNIPPET_LIMIT,
    IndexNotReady,
    Scope,
    SearchResults,
    SearchService,
    Synced,
)
from bot.storage.interface import Storage
from tests.bot.harness import put_place

KEEPER_ID = "the-keeper"
FILLER = "The sea rolled grey against the rock, and the wind sang in the old rigging. "
KEEPER = (
    "\n\n".join(
        [
            "Mara lit the lamp at dusk, as her father had taught her.",
            "The *lamp* burned all night; the gulls slept on the rocks.",
            "Nobody in the village spoke of the storm of ’52, and Mara didn’t ask.",
        ]
    )
    + "\n\n\n"
    + "\n\n".join(
        [
            # Longer than a page: its first page ends inside it, before the beacon.
            "Mara trimmed the lamp wick. " + FILLER * 70 + "At last she saw the beacon.",
            "The storm came on the third night.",
        ]
    )
    + "\n\n\n"
    + "\n\n".join(
        [
            "Under the floor of the lamp room Mara found the treasure: her father's letters.",
            "She read them all, and the lamp went out.",
        ]
    )
    + "\n"
)
"""Three scenes: one page, two pages (a paragraph cut between them), one page."""
PAGES = {"scene 1": (0, 0), "scene 2 page 1": (1, 0), "scene 2 page 2": (1, 1), "end": (2, 0)}
READER = 7


def keeper_library(folder: Path, text: str = KEEPER, name: str = KEEPER_ID) -> Library:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return load_library(folder)[0]


@pytest.fixture
def keeper(tmp_path: Path) -> Story:
    return keeper_library(tmp_path / "texts").get(KEEPER_ID)


async def synced(store: Storage, library: Library) -> SearchService:
    """The service over `library`, its index brought up to date."""
    service = SearchService(store, LibraryHolder(library))
    await service.sync()
    return service


@pytest.fixture
async def search(store: Storage, keeper: Story) -> SearchService:
    return await synced(store, Library([keeper]))


async def results(
    search: SearchService, story: Story, typed: str, scope: Scope = Scope.READ, page: int = 0
) -> SearchResults:
    return await search.search(READER, story, parse_query(typed), scope=scope, page=page)


def every_match(story: Story, typed: str) -> int:
    """The paragraphs of `story` the reference matcher finds for `typed`."""
    query = parse_query(typed)
    return sum(matches(query, p.text) for scene in story.scenes for p in scene.paragraphs)


def where(found: SearchResults) -> list[tuple[int, int]]:
    """(scene, page) of each hit shown."""
    return [(hit.page.scene, hit.page.number) for hit in found.hits]


async def test_a_story_not_started_is_searched_whole(search: SearchService, keeper: Story) -> None:
    found = await results(search, keeper, "lamp")
    assert not found.started
    assert found.read_to is None
    assert (found.total, found.ahead) == (5, 0)
    assert sorted(where(found)) == [(0, 0), (0, 0), (1, 0), (2, 0), (2, 0)]
    assert [hit.number for hit in found.hits] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("place", "typed", "shown", "ahead"),
    [
        ("scene 1", "lamp", [(0, 0), (0, 0)], 3),
        ("scene 1", "treasure", [], 1),
        ("scene 1", "storm", [(0, 0)], 1),
        ("scene 2 page 1", "lamp", [(0, 0), (0, 0), (1, 0)], 2),
        ("scene 2 page 1", "beacon", [], 1),  # in the paragraph the page ends in, after it
        ("scene 2 page 1", "lamp -beacon", [(0, 0), (0, 0), (1, 0)], 2),  # beacon not read yet
        ("scene 2 page 1", '"lamp wick"', [(1, 0)], 0),
        ("scene 2 page 2", "beacon", [(1, 1)], 0),
        ("scene 2 page 2", "lamp -beacon", [(0, 0), (0, 0)], 2),
        ("scene 2 page 2", "storm", [(0, 0), (1, 1)], 0),
        ("end", "lamp", [(0, 0), (0, 0), (1, 0), (2, 0), (2, 0)], 0),
        ("end", "treasure", [(2, 0)], 0),
    ],
)
async def test_a_reader_searches_what_they_have_read(
    store: Storage,
    search: SearchService,
    keeper: Story,
    *,
    place: str,
    typed: str,
    shown: list[tuple[int, int]],
    ahead: int,
) -> None:
    await put_place(store, READER, keeper, *PAGES[place])
    found = await results(search, keeper, typed)
    assert found.started
    assert found.read_to is not None
    assert (found.read_to.scene, found.read_to.number) == PAGES[place]
    assert sorted(where(found)) == shown
    assert (found.total, found.ahead) == (len(shown), ahead)
    everything = await results(search, keeper, typed, Scope.ALL)
    assert everything.read_to is None
    assert (everything.total, everything.ahead) == (every_match(keeper, typed), 0)


async def test_the_scope_moves_as_the_reader_reads_on(
    store: Storage, search: SearchService, keeper: Story
) -> None:
    seen = []
    for scene, page in PAGES.values():
        await put_place(store, READER, keeper, scene, page)
        found = await results(search, keeper, "lamp")
        seen.append((found.total, found.ahead))
    assert seen == [(2, 3), (3, 2), (3, 2), (5, 0)]


async def test_a_snippet_shows_nothing_past_the_page_read(
    store: Storage, search: SearchService, keeper: Story
) -> None:
    await put_place(store, READER, keeper, *PAGES["scene 2 page 1"])
    found = await results(search, keeper, '"lamp wick"')
    [hit] = found.hits
    assert "**lamp wick**" in hit.snippet
    assert "beacon" not in hit.snippet
    assert found.read_to is not None
    read = visible_text(read_up_to(found.read_to), 1, 0, keeper.scenes[1].paragraphs[0].text)
    assert "beacon" not in read


async def test_snippets_are_escaped_with_the_matches_in_bold(
    search: SearchService, keeper: Story
) -> None:
    found = await results(search, keeper, "burned")
    [hit] = found.hits
    assert "**burned**" in hit.snippet
    assert "\\*lamp\\*" in hit.snippet  # the text's own stars stay text
    assert len(hit.snippet) <= SNIPPET_LIMIT
    quoted = await results(search, keeper, "didn't ask")
    assert "**didn’t**" in quoted.hits[0].snippet  # straight and curly apostrophes alike


def long_story(folder: Path, count: int) -> Story:
    lines = [f"Night {n}: the lamp burned {'long ' * (n % 4)}and low." for n in range(count)]
    return keeper_library(folder, "\n\n".join(lines), "nights").get("nights")


async def test_hits_come_a_page_at_a_time_each_once(store: Storage, tmp_path: Path) -> None:
    story = long_story(tmp_path / "texts", 23)
    search = await synced(store, Library([story]))
    numbers, paragraphs = [], []
    for page in range(5):
        found = await search.search(READER, story, parse_query("lamp"), scope=Scope.READ, page=page)
        assert (found.total, found.pages, found.page) == (23, 5, page)
        assert len(found.hits) == (HITS_PER_PAGE if page < 4 else 3)
        numbers += [hit.number for hit in found.hits]
        paragraphs += [hit.snippet for hit in found.hits]
    assert numbers == list(range(1, 24))
    assert len(set(paragraphs)) == 23
    past = await search.search(READER, story, parse_query("lamp"), scope=Scope.READ, page=40)
    assert past.page == 4  # a page past the last (the text changed, say) shows the last
    assert [hit.number for hit in past.hits] == [21, 22, 23]


async def test_the_index_follows_the_texts(store: Storage, tmp_path: Path) -> None:
    served = LibraryHolder(keeper_library(tmp_path / "one"))
    search = SearchService(store, served)
    assert await search.sync() == Synced((KEEPER_ID,), ())
    assert await search.sync() == Synced((), ())  # nothing changed: nothing done
    again = SearchService(store, LibraryHolder(keeper_library(tmp_path / "same")))
    assert await again.sync() == Synced((), ())  # a restart: the index is kept in the database

    served.swap(keeper_library(tmp_path / "two", KEEPER.replace("treasure", "compass")))
    story = served.current.get(KEEPER_ID)
    with pytest.raises(IndexNotReady):  # swapped, not yet synced: the old index is not read
        await search.search(READER, story, parse_query("compass"), scope=Scope.ALL)
    assert await search.sync() == Synced((KEEPER_ID,), ())
    assert (await search.search(READER, story, parse_query("compass"), scope=Scope.ALL)).total == 1
    assert (await search.search(READER, story, parse_query("treasure"), scope=Scope.ALL)).total == 0

    served.swap(keeper_library(tmp_path / "three", "A different story.", "other"))
    assert await search.sync() == Synced(("other",), (KEEPER_ID,))
    assert list(await store.search.indexed()) == ["other"]


async def test_a_search_during_the_start_s_sync_waits_for_it(store: Storage, keeper: Story) -> None:
    search = SearchService(store, LibraryHolder(Library([keeper])))
    search.start_sync()  # as the bot starts: the index is made in the background
    found = await search.search(READER, keeper, parse_query("lamp"), scope=Scope.ALL)
    assert found.total == 5
    assert list(await store.search.indexed()) == [KEEPER_ID]
    await search.close()


async def test_a_reload_brings_the_index_up_to_date(store: Storage, tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    services = build_services(store, keeper_library(texts))
    await services.search.sync()  # as at start

    async def total(typed: str) -> int:
        story = services.reading.story(KEEPER_ID)
        query = parse_query(typed)
        return (await services.search.search(READER, story, query, scope=Scope.ALL)).total

    assert await total("lamp") == 5
    (texts / f"{KEEPER_ID}.txt").write_text(KEEPER.replace("lamp", "lantern"), encoding="utf-8")
    keeper_library(texts, "The lamp of another story.", "other")
    await services.admin.reload(texts)
    assert (await total("lantern"), await total("lamp")) == (5, 0)
    (texts / "other.txt").unlink()
    await services.admin.reload(texts)
    assert list(await store.search.indexed()) == [KEEPER_ID]


HOSTILE = [
    "NEAR(lamp, storm)",
    "lamp NEAR/2 storm",
    "col:lamp",
    "words:lamp",
    "^lamp",
    '"unbalanced lamp',
    'lamp"',
    '"""',
    "AND OR NOT",
    "lamp AND",
    "lamp OR storm",
    "NOT lamp",
    "-lamp",
    "lamp -",
    "* lamp *",
    "lamp**",
    "l*",
    "{lamp}",
    "(lamp)",
    "lamp:*",
    "'lamp' & !storm",
    "lamp <-> storm",
    "!" * 300,
    ".,;:!?()[]{}<>'\"`~@#$%^&*_+=|\\/" * 10,
    "🙂🙂🙂 lamp 🌊",
    "\x00lamp\x00",
    "lamp\nstorm",
    "w" * 10_000,
    "lamp " * 500,
    "Ла́мпа",
    "ｌａｍｐ",
    "LAMP",
]


@pytest.mark.parametrize("typed", HOSTILE)
async def test_a_hostile_query_gives_hits_or_none_never_an_error(
    search: SearchService, keeper: Story, typed: str
) -> None:
    query = parse_query(typed)
    if query.is_empty:  # the reply asks for a word; nothing is searched
        return
    found = await search.search(READER, keeper, query, scope=Scope.ALL)
    assert found.total == every_match(keeper, typed)


# Words of the story and the syntax around them, mixed with any text at all.
QUERY_PIECES = (
    "lamp", "Lamp", "storm", "Mara", "the", "didn’t", "didn't", "beacon", "wick", "52",
    '"', "“", "-", "*", "NEAR(", "col:", "^", "AND", "OR", "NOT", "(", ")", "🙂",
)  # fmt: skip
typed_queries = st.lists(
    st.one_of(st.sampled_from(QUERY_PIECES), st.text(max_size=6)), max_size=8
).map(" ".join)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # the index is only read
)
@given(typed=typed_queries)
async def test_any_text_as_a_query_gives_exact_hits(
    search: SearchService, keeper: Story, typed: str
) -> None:
    query = parse_query(typed)
    if query.is_empty:
        return
    found = await search.search(READER, keeper, query, scope=Scope.ALL)
    assert found.total == every_match(keeper, typed)
    assert len(found.hits) == min(found.total, HITS_PER_PAGE)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # each example sets the place
)
@given(typed=typed_queries, page=st.integers(0, 3))
async def test_any_query_from_any_page_splits_as_the_reference_does(
    store: Storage, search: SearchService, keeper: Story, typed: str, page: int
) -> None:
    query = parse_query(typed)
    if query.is_empty:
        return
    at = keeper.pages[page]
    await put_place(store, READER, keeper, at.scene, at.number)
    found = await search.search(READER, keeper, query, scope=Scope.READ)
    limit = read_up_to(at)
    paragraphs = [
        (scene.index, number, paragraph.text)
        for scene in keeper.scenes
        for number, paragraph in enumerate(scene.paragraphs)
    ]
    read = sum(is_read_hit(query, limit, *paragraph) for paragraph in paragraphs)
    assert (found.total, found.ahead) == (read, count_ahead(query, limit, paragraphs))
