"""The search index on PostgreSQL (`PostgresStorage.search`): see `interface.SearchStore`.

A row per paragraph holding `tsvector_text(paragraph)` cast to a tsvector, searched with
`@@` and a tsquery from `to_tsquery` (0004_search.sql); ranked by `ts_rank`, ties in reading
order. A search is one statement: the story's matching rows are read once, then counted on
either side of the split and the page taken from them.

PostgreSQL keeps 256 positions per word and none past 16,383, so a phrase in a paragraph
longer than that could be missed (or found where it is not). Such a paragraph is marked
`clipped`, and there a phrase is looked for as its words, anywhere (`relaxed`): a clipped
paragraph that holds them is a candidate, which the caller's check with `matches` decides.

Indexing a story is one transaction under an advisory lock of the story, so two processes
starting at once index it one after the other, and the second finds it done.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any, Final

import asyncpg

from bot.library.search import Query, Term, to_tsquery, tsvector_text
from bot.library.search.engines import TSVECTOR_MAX_POSITION
from bot.storage.interface import QUERY_MEMORY, Found, Point
from bot.storage.rows import check_aware

Fetch = Callable[..., Awaitable[list[asyncpg.Record]]]
Transaction = Callable[[], AbstractAsyncContextManager["asyncpg.pool.PoolConnectionProxy[Any]"]]

MAX_POSITIONS_PER_WORD: Final = 256
"""PostgreSQL keeps this many positions of a word in a tsvector, and drops the others."""

_LOCK_STORY = "SELECT pg_advisory_xact_lock(hashtext('storybot search'), hashtext($1))"
_DIGEST = "SELECT digest FROM search_texts WHERE story_id = $1"
_SET_DIGEST = """
    INSERT INTO search_texts (story_id, digest) VALUES ($1, $2)
    ON CONFLICT (story_id) DO UPDATE SET digest = EXCLUDED.digest
"""
_DELETE_ROWS = "DELETE FROM search_paragraphs WHERE story_id = $1"
_INSERT_ROWS = """
    INSERT INTO search_paragraphs (story_id, scene, paragraph, words, clipped)
    SELECT $1, scene, paragraph, words::tsvector, clipped
    FROM unnest($2::integer[], $3::integer[], $4::text[], $5::boolean[])
        AS rows(scene, paragraph, words, clipped)
"""
_INDEXED = "SELECT story_id, digest FROM search_texts"
_DROP = "DELETE FROM search_texts WHERE story_id = ANY($1::text[])"
# Materialized: read once, used three times. Ranks are computed for the hits within only.
_FIND = """
    WITH found AS MATERIALIZED (
        SELECT scene, paragraph, words,
            $4::integer IS NULL OR (scene, paragraph) < ($4, $5) AS within
        FROM search_paragraphs
        WHERE story_id = $1 AND (words @@ $3::tsquery OR clipped AND words @@ $8::tsquery)
    )
    SELECT
        (SELECT digest = $2 FROM search_texts WHERE story_id = $1) AS current,
        (SELECT count(*) FROM found WHERE within) AS within,
        (SELECT count(*) FROM found WHERE NOT within) AS beyond,
        ARRAY(
            SELECT ARRAY[scene, paragraph] FROM found WHERE within
            ORDER BY ts_rank(words, $3::tsquery) DESC, scene, paragraph
            LIMIT $6 OFFSET $7
        ) AS hits
"""
# Not the query kept: an update and a delete of one row in one statement is unpredictable.
_REMEMBER = """
    WITH kept AS (
        INSERT INTO search_queries (id, query, used_at) VALUES ($1, $2, $3)
        ON CONFLICT (id) DO UPDATE
        SET used_at = greatest(search_queries.used_at, EXCLUDED.used_at)
    )
    DELETE FROM search_queries WHERE used_at < $4 AND id <> $1
"""
_RECALL = "SELECT query FROM search_queries WHERE id = $1 AND used_at >= $2"


def paragraph_vector(text: str) -> tuple[str, bool]:
    """The tsvector text of paragraph `text`, and whether PostgreSQL may lose positions of it
    (a word at the last position kept is counted so: it may stand for later ones)."""
    vector = tsvector_text(text)
    last = str(TSVECTOR_MAX_POSITION)
    clipped = any(
        lexeme.count(",") >= MAX_POSITIONS_PER_WORD or lexeme.endswith((f":{last}", f",{last}"))
        for lexeme in vector.split(" ")
    )
    return vector, clipped


def relaxed(query: Query) -> Query:
    """`query` with each phrase looked for as its words anywhere (the last one still a prefix
    when it was) and the excluded phrases left out: it finds every paragraph `query` finds,
    and more."""
    terms: list[Term] = []
    for term in query.terms:
        if len(term.words) == 1:
            terms.append(term)
        elif not term.excluded:
            *leading, last = term.words
            terms += [Term((word,)) for word in leading]
            terms.append(Term((last,), prefix=term.prefix))
    return Query(tuple(dict.fromkeys(terms)))


def _columns(
    paragraphs: Sequence[tuple[int, int, str]],
) -> tuple[list[int], list[int], list[str], list[bool]]:
    scenes, numbers, vectors, clipped = [], [], [], []
    for scene, paragraph, text in paragraphs:
        vector, lost = paragraph_vector(text)
        if vector:  # a paragraph without words is never a hit
            scenes.append(scene)
            numbers.append(paragraph)
            vectors.append(vector)
            clipped.append(lost)
    return scenes, numbers, vectors, clipped


class PostgresSearch:
    """The search tables, through the storage's pool (`fetch` reads, `write` writes,
    `transaction` for several statements: each turns a lost server into the storage's own
    errors)."""

    def __init__(self, fetch: Fetch, write: Fetch, transaction: Transaction) -> None:
        self._fetch = fetch
        self._write = write
        self._transaction = transaction

    async def indexed(self) -> dict[str, str]:
        return {str(row[0]): str(row[1]) for row in await self._fetch(_INDEXED)}

    async def index(
        self, story_id: str, digest: str, paragraphs: Sequence[tuple[int, int, str]]
    ) -> None:
        columns = await asyncio.to_thread(_columns, paragraphs)
        async with self._transaction() as conn:
            await conn.execute(_LOCK_STORY, story_id)
            if await conn.fetchval(_DIGEST, story_id) == digest:
                return  # another process indexed this text meanwhile
            await conn.execute(_SET_DIGEST, story_id, digest)
            await conn.execute(_DELETE_ROWS, story_id)
            await conn.execute(_INSERT_ROWS, story_id, *columns)

    async def drop(self, story_ids: Collection[str]) -> None:
        if story_ids:
            await self._write(_DROP, list(story_ids))

    async def find(
        self,
        story_id: str,
        digest: str,
        query: Query,
        *,
        before: Point | None,
        offset: int,
        limit: int,
    ) -> Found | None:
        scene, paragraph = before if before is not None else (None, None)
        [row] = await self._fetch(
            _FIND,
            story_id,
            digest,
            to_tsquery(query),
            scene,
            paragraph,
            limit,
            offset,
            to_tsquery(relaxed(query)),
        )
        if not row["current"]:
            return None
        hits = tuple((int(hit[0]), int(hit[1])) for hit in row["hits"])
        return Found(hits, int(row["within"]), int(row["beyond"]))

    async def remember_query(self, query_id: str, query: str, *, at: datetime) -> None:
        moment = check_aware(at)
        await self._write(_REMEMBER, query_id, query, moment, moment - QUERY_MEMORY)

    async def recall_query(self, query_id: str, *, at: datetime) -> str | None:
        rows = await self._fetch(_RECALL, query_id, check_aware(at) - QUERY_MEMORY)
        return str(rows[0][0]) if rows else None
