"""The search index on PostgreSQL (`PostgresStorage.search`): see `interface.SearchStore`.

A row per paragraph holding `tsvector_text(paragraph)` cast to a tsvector, searched with
`@@` and a tsquery from `to_tsquery` (0004_search.sql); ranked by `ts_rank`, ties in reading
order. A search is one statement: the story's matching rows are read once, then counted on
either side of the split and the page taken from them.

PostgreSQL keeps 256 positions per word and none past 16,383, so a phrase in a paragraph
longer than that could be missed, or found where it is not. Such a paragraph also keeps its
index text (words one space apart, spaces at both ends), where every term is looked for as
a string instead (`strpos`: ` war and peace `, or ` war and pea` for a prefix): exact too.

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

from bot.library.search import Query, Term, index_text, to_tsquery, tsvector_text
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
    INSERT INTO search_paragraphs (story_id, scene, paragraph, words, index_text)
    SELECT $1, scene, paragraph, words::tsvector, index_text
    FROM unnest($2::integer[], $3::integer[], $4::text[], $5::text[])
        AS rows(scene, paragraph, words, index_text)
"""
_INDEXED = "SELECT story_id, digest FROM search_texts"
_DROP = "DELETE FROM search_texts WHERE story_id = ANY($1::text[])"
# Materialized: read once, used three times. A hit within has its rank, one beyond none:
# ranks are computed for the hits within only, and no tsvector is carried past the scan.
_FIND = """
    WITH found AS MATERIALIZED (
        SELECT scene, paragraph,
            CASE WHEN $4::integer IS NULL OR (scene, paragraph) < ($4, $5)
                THEN ts_rank(words, $3::tsquery) END AS rank
        FROM search_paragraphs
        WHERE story_id = $1 AND CASE
            WHEN index_text IS NULL THEN words @@ $3::tsquery
            ELSE (SELECT bool_and(strpos(index_text, term) > 0) FROM unnest($8::text[]) term)
                AND NOT EXISTS (
                    SELECT FROM unnest($9::text[]) term WHERE strpos(index_text, term) > 0
                )
        END
    )
    SELECT
        (SELECT digest = $2 FROM search_texts WHERE story_id = $1) AS current,
        (SELECT count(rank) FROM found) AS within,
        (SELECT count(*) - count(rank) FROM found) AS beyond,
        ARRAY(
            SELECT ARRAY[scene, paragraph] FROM found WHERE rank IS NOT NULL
            ORDER BY rank DESC, scene, paragraph LIMIT $6 OFFSET $7
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


def paragraph_row(text: str) -> tuple[str, str | None]:
    """The tsvector text of paragraph `text`, and its padded index text when PostgreSQL may
    lose positions of it (a word at the last position kept is counted so: it may stand for
    later ones)."""
    vector = tsvector_text(text)
    last = str(TSVECTOR_MAX_POSITION)
    clipped = any(
        lexeme.count(",") >= MAX_POSITIONS_PER_WORD or lexeme.endswith((f":{last}", f",{last}"))
        for lexeme in vector.split(" ")
    )
    return vector, f" {index_text(text)} " if clipped else None


def term_strings(terms: Sequence[Term]) -> list[str]:
    """Each term as it is found in padded index text: its words one space apart, a space
    before, and after unless its last word is a prefix."""
    return [" " + " ".join(term.words) + ("" if term.prefix else " ") for term in terms]


def _columns(
    paragraphs: Sequence[tuple[int, int, str]],
) -> tuple[list[int], list[int], list[str], list[str | None]]:
    scenes: list[int] = []
    numbers: list[int] = []
    vectors: list[str] = []
    texts: list[str | None] = []
    for scene, paragraph, text in paragraphs:
        vector, padded = paragraph_row(text)
        if vector:  # a paragraph without words is never a hit
            scenes.append(scene)
            numbers.append(paragraph)
            vectors.append(vector)
            texts.append(padded)
    return scenes, numbers, vectors, texts


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
            term_strings(query.required),
            term_strings(query.excluded),
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
