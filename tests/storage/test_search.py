"""The search index on both backends: indexed once per text, split and paged, ranked alike
enough, isolated per story, never missing a hit however long the paragraph; and the queries
kept for buttons, forgotten after a while."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from bot.library.search import FTS5_TOKENIZE, Query, matches, parse_query
from bot.storage.copy_to_postgres import copy_to_postgres
from bot.storage.interface import QUERY_MEMORY, Found, Point, Storage
from bot.storage.locations import PostgresLocation
from bot.storage.sqlite import SQLiteStorage
from bot.storage.url import open_storage, parse_database_url
from tests.storage.helpers import now

Paragraphs = list[tuple[int, int, str]]

TALE: Paragraphs = [
    (0, 0, "The old prince walked into the garden at dawn."),
    (0, 1, "Natasha danced at the ball; the ball went on until morning."),
    (0, 2, "Nobody spoke of the war."),
    (1, 0, "A naïve café owner said: “don’t worry, the war is far away.”"),
    (1, 1, "Pierre thought of Natasha, and of the ball, and of nothing else."),
    (1, 2, ""),  # no words: never a hit
    (1, 3, "— * — * —"),
    (2, 0, "The war came to Moscow. Natasha left with the wounded."),
    (2, 1, "Prince Andrew lay on the field and watched the sky."),
]


def q(text: str) -> Query:
    return parse_query(text)


async def find(
    storage: Storage,
    story: str,
    digest: str,
    query: Query,
    *,
    before: Point | None = None,
    offset: int = 0,
    limit: int = 9,
) -> Found | None:
    return await storage.search.find(
        story, digest, query, before=before, offset=offset, limit=limit
    )


def expected(paragraphs: Paragraphs, query: Query) -> set[Point]:
    return {(scene, number) for scene, number, text in paragraphs if matches(query, text)}


async def every_hit(
    storage: Storage, story: str, digest: str, query: Query, before: Point | None = None
) -> list[Point]:
    """All hits before `before`, page by page of 2 (checking the counts on every page)."""
    pages: list[Point] = []
    offset = 0
    while True:
        found = await find(storage, story, digest, query, before=before, offset=offset, limit=2)
        assert found is not None
        pages += found.hits
        if len(found.hits) < 2:
            assert len(pages) == found.before
            return pages
        offset += 2


async def test_a_story_indexed_is_found_by_its_digest(storage: Storage) -> None:
    assert await storage.search.indexed() == {}
    await storage.search.index("tale", "v1", TALE)
    assert await storage.search.indexed() == {"tale": "v1"}
    found = await find(storage, "tale", "v1", q("natasha"))
    assert found is not None
    assert set(found.hits) == {(0, 1), (1, 1), (2, 0)}
    assert (found.before, found.after) == (3, 0)
    # Another version of the text, or a story never indexed: the index cannot answer.
    assert await find(storage, "tale", "v2", q("war")) is None
    assert await find(storage, "other", "v1", q("war")) is None


@pytest.mark.parametrize(
    "typed",
    [
        "natasha",
        "NATASHA ball",
        '"the ball"',
        '"ball the"',
        "prin*",
        "wa*",
        "war -natasha",
        'natasha -"the ball"',
        "naive cafe",
        "don't",
        "don’t worry",
        "dont",
        "nothing at all here",
        "NEAR(war, natasha)",
        "col:war",
        "^war",
        '"unbalanced quote',
        "AND OR NOT",
        "war*" * 30,
        "Москва",
        "🙂 war",
    ],
)
async def test_hits_are_the_reference_matcher_s(storage: Storage, typed: str) -> None:
    query = q(typed)
    assert not query.is_empty
    await storage.search.index("tale", "v1", TALE)
    assert sorted(await every_hit(storage, "tale", "v1", query)) == sorted(expected(TALE, query))


@pytest.mark.parametrize("split", [(0, 0), (0, 2), (1, 1), (1, 2), (1, 3), (2, 0), (2, 5), (9, 0)])
async def test_a_split_counts_either_side_and_pages_only_before_it(
    storage: Storage, split: Point
) -> None:
    await storage.search.index("tale", "v1", TALE)
    query = q("the")
    hits = expected(TALE, query)
    within = {hit for hit in hits if hit < split}
    found = await find(storage, "tale", "v1", query, before=split, limit=20)
    assert found is not None
    assert (found.before, found.after) == (len(within), len(hits) - len(within))
    assert set(found.hits) == within
    assert sorted(await every_hit(storage, "tale", "v1", query, split)) == sorted(within)


async def test_pages_follow_one_order_ties_in_reading_order(storage: Storage) -> None:
    same = "The lamp was lit again."
    await storage.search.index("tale", "v1", [(scene, 0, same) for scene in range(7)])
    assert await every_hit(storage, "tale", "v1", q("lamp")) == [(s, 0) for s in range(7)]
    past = await find(storage, "tale", "v1", q("lamp"), offset=7, limit=5)
    assert past == Found((), 7, 0)


async def test_the_best_hit_comes_first(storage: Storage) -> None:
    filler = " ".join(["and then they walked on through the wide grey fields"] * 8)
    await storage.search.index(
        "tale",
        "v1",
        [
            (0, 0, f"A lamp once. {filler}"),
            (0, 1, "The lamp, the lamp, the little lamp."),
            (0, 2, f"No light here. {filler}"),
        ],
    )
    found = await find(storage, "tale", "v1", q("lamp"))
    assert found is not None
    assert found.hits == ((0, 1), (0, 0))


async def test_indexing_again_replaces_and_the_same_text_is_left_alone(storage: Storage) -> None:
    await storage.search.index("tale", "v1", TALE)
    await storage.search.index("tale", "v1", [(0, 0, "Only a moth.")])  # same digest: kept
    war = await find(storage, "tale", "v1", q("war"))
    assert war is not None
    assert war.before == 3
    await storage.search.index("tale", "v2", [(0, 0, "Only a moth."), (3, 4, "The war.")])
    assert await storage.search.indexed() == {"tale": "v2"}
    war = await find(storage, "tale", "v2", q("war"))
    assert war == Found(((3, 4),), 1, 0)
    assert await find(storage, "tale", "v1", q("war")) is None


async def test_stories_are_searched_apart_and_dropped_apart(storage: Storage) -> None:
    await storage.search.index("tale", "t", TALE)
    await storage.search.index("echo", "e", [(0, 0, "Natasha, again: Natasha.")])
    echo = await find(storage, "echo", "e", q("natasha"))
    assert echo == Found(((0, 0),), 1, 0)
    await storage.search.drop(["tale", "never-indexed"])
    assert await storage.search.indexed() == {"echo": "e"}
    assert await find(storage, "tale", "t", q("war")) is None
    await storage.search.index("tale", "t", TALE)  # indexed anew after a drop
    tale = await find(storage, "tale", "t", q("natasha"))
    assert tale is not None
    assert tale.before == 3


async def test_two_processes_indexing_at_once_leave_one_index(storage: Storage) -> None:
    await asyncio.gather(*(storage.search.index("tale", "v1", TALE) for _ in range(3)))
    await asyncio.gather(
        storage.search.index("tale", "v2", TALE[:3]), storage.search.index("tale", "v2", TALE[:3])
    )
    assert await storage.search.indexed() == {"tale": "v2"}
    assert sorted(await every_hit(storage, "tale", "v2", q("the"))) == sorted(
        expected(TALE[:3], q("the"))
    )


def huge_paragraphs() -> Paragraphs:
    """Paragraphs past what PostgreSQL keeps of positions: a word 300 times before a phrase,
    and a phrase after 17,000 words."""
    many = " ".join(["the"] * 300)
    long = " ".join(f"w{n % 1000}" for n in range(17_000))
    return [
        (0, 0, f"{many} the end of it"),
        (0, 1, f"{long} the distant shore"),
        (0, 2, f"{long} the"),  # both words, never side by side
        (0, 3, "Nothing to see: the shore is distant."),
    ]


@pytest.mark.parametrize(
    "typed",
    [
        '"the end"', '"distant shore"', '"the distant"', "shore", '"the the the"',
        '"the end" -"the the"', '"w999 the"', '"w999 w0"', '"the dis"*', "-w5 shore", '"w1 w2"',
    ],
)  # fmt: skip
async def test_paragraphs_past_the_engines_limits_are_searched_exactly(
    storage: Storage, typed: str
) -> None:
    paragraphs = huge_paragraphs()
    query = q(typed)
    await storage.search.index("huge", "v1", paragraphs)
    assert sorted(await every_hit(storage, "huge", "v1", query)) == sorted(
        expected(paragraphs, query)
    )


async def test_long_queries_are_kept_under_their_id_for_a_while(storage: Storage) -> None:
    moment = now()
    await storage.search.remember_query("a1", "natasha ball", at=moment)
    await storage.search.remember_query("b2", "old prince", at=moment - QUERY_MEMORY / 2)
    assert await storage.search.recall_query("a1", at=moment) == "natasha ball"
    assert await storage.search.recall_query("b2", at=moment) == "old prince"
    assert await storage.search.recall_query("c3", at=moment) is None
    later = moment + QUERY_MEMORY * 3 / 4
    assert await storage.search.recall_query("b2", at=later) is None  # not kept since
    assert await storage.search.recall_query("a1", at=later) == "natasha ball"
    await storage.search.remember_query("b2", "old prince", at=later)  # kept again
    assert await storage.search.recall_query("b2", at=later + timedelta(days=1)) == "old prince"
    # Kept again long after it was forgotten: one row, the new time.
    much_later = later + QUERY_MEMORY * 2
    await storage.search.remember_query("a1", "natasha ball", at=much_later)
    assert await storage.search.recall_query("a1", at=much_later) == "natasha ball"
    assert await storage.search.recall_query("b2", at=much_later) is None


async def test_the_sqlite_index_splits_words_only_as_index_text_does(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    await (await SQLiteStorage.open(path)).close()
    conn = sqlite3.connect(path)
    try:
        [(sql,)] = conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'search_paragraphs'"
        ).fetchall()
    finally:
        conn.close()
    assert f'tokenize = "{FTS5_TOKENIZE}"' in sql


async def test_db_copy_leaves_the_index_and_takes_the_queries(
    tmp_path: Path, postgres_url: str
) -> None:
    path = tmp_path / "data" / "storybot.db"
    source = await open_storage(f"sqlite:///{path}", base=tmp_path)
    await source.search.index("tale", "v1", TALE)
    moment = now()
    await source.search.remember_query("a1", "natasha ball", at=moment)
    await source.close()
    location = parse_database_url(postgres_url, base=tmp_path)
    assert isinstance(location, PostgresLocation)
    copied = await copy_to_postgres(path, location)
    assert copied["search_queries"] == 1
    target = await open_storage(postgres_url, base=tmp_path)
    try:
        assert await target.search.indexed() == {}  # built by the bot at its first start
        assert await target.search.recall_query("a1", at=moment) == "natasha ball"
    finally:
        await target.close()
