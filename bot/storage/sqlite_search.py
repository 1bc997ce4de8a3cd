"""The search index on SQLite (`SQLiteStorage.search`): see `interface.SearchStore`.

One FTS5 table of paragraphs (0004_search.sql) whose rowid says where each paragraph is: the
story's id in search_texts, its scene, its paragraph (`_rowid`). A story is then one rowid
range in reading order, and so is what a reader has read of it: FTS5 seeks to the range
rather than filter the hits of the whole library. Hits are ranked by bm25, ties in reading
order.

Index text is made on a thread of its own before the write, so that the one writer holds the
file only for the inserts; each story is indexed in one transaction, its digest with it.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Collection, Sequence
from datetime import datetime
from functools import partial
from typing import Any, Final

from bot.library.search import Query, index_text, to_fts5
from bot.storage.interface import QUERY_MEMORY, Found, Point
from bot.storage.sqlite_values import time_text
from bot.storage.sqlite_worker import SQLiteWorker

_PARAGRAPH_BITS: Final = 22
_SCENE_BITS: Final = 21
_TEXT_SHIFT: Final = _PARAGRAPH_BITS + _SCENE_BITS
MAX_TEXT_ID: Final = 2 ** (63 - _TEXT_SHIFT) - 1
"""Ids of search_texts fit the 63 bits of a rowid left above scene and paragraph."""

_TEXT_OF = "SELECT id, digest FROM search_texts WHERE story_id = ?"
_INDEXED = "SELECT story_id, digest FROM search_texts"
_CURRENT = "SELECT id FROM search_texts WHERE story_id = ? AND digest = ?"
_NEW_TEXT = "INSERT INTO search_texts (story_id, digest) VALUES (?, ?) RETURNING id"
_SET_DIGEST = "UPDATE search_texts SET digest = ? WHERE id = ?"
_FORGET_TEXT = "DELETE FROM search_texts WHERE id = ?"
_DELETE_ROWS = "DELETE FROM search_paragraphs WHERE rowid BETWEEN ? AND ?"
_INSERT_ROW = "INSERT INTO search_paragraphs (rowid, words) VALUES (?, ?)"
_COUNT = """
    SELECT count(*) FILTER (WHERE rowid < :split), count(*) FILTER (WHERE rowid >= :split)
    FROM search_paragraphs
    WHERE search_paragraphs MATCH :match AND rowid BETWEEN :first AND :last
"""
_PAGE = """
    SELECT rowid FROM search_paragraphs
    WHERE search_paragraphs MATCH :match AND rowid BETWEEN :first AND :split - 1
    ORDER BY rank, rowid LIMIT :limit OFFSET :offset
"""
_REMEMBER = """
    INSERT INTO search_queries (id, query, used_at) VALUES (?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET used_at = max(used_at, excluded.used_at)
"""
_FORGET_OLD_QUERIES = "DELETE FROM search_queries WHERE used_at < ?"
_RECALL = "SELECT query FROM search_queries WHERE id = ? AND used_at >= ?"

IndexRow = tuple[int, int, str]
"""(scene, paragraph, index text) of a paragraph with words."""


def _rowid(text_id: int, scene: int, paragraph: int) -> int:
    """Added, not or-ed: a bound one past a scene's last paragraph is the next scene's start."""
    return (text_id << _TEXT_SHIFT) + (scene << _PARAGRAPH_BITS) + paragraph


def _point(rowid: int) -> Point:
    return (rowid >> _PARAGRAPH_BITS) & (2**_SCENE_BITS - 1), rowid & (2**_PARAGRAPH_BITS - 1)


def _rows_range(text_id: int) -> tuple[int, int]:
    return text_id << _TEXT_SHIFT, ((text_id + 1) << _TEXT_SHIFT) - 1


def _index_rows(paragraphs: Sequence[tuple[int, int, str]]) -> list[IndexRow]:
    rows = []
    for scene, paragraph, text in paragraphs:
        if not (0 <= scene < 2**_SCENE_BITS and 0 <= paragraph < 2**_PARAGRAPH_BITS):
            raise ValueError(f"paragraph {paragraph} of scene {scene} is past what rowids hold")
        words = index_text(text)
        if words:  # a paragraph without words is never a hit
            rows.append((scene, paragraph, words))
    return rows


def _index(story_id: str, digest: str, rows: list[IndexRow], conn: sqlite3.Connection) -> None:
    held = conn.execute(_TEXT_OF, (story_id,)).fetchone()
    if held is not None and held[1] == digest:
        return  # another process indexed this text meanwhile
    if held is None:
        text_id = int(conn.execute(_NEW_TEXT, (story_id, digest)).fetchone()[0])
        if text_id > MAX_TEXT_ID:
            raise ValueError(f"search text id {text_id} is past what rowids hold")
    else:
        text_id = int(held[0])
        conn.execute(_SET_DIGEST, (digest, text_id))
    conn.execute(_DELETE_ROWS, _rows_range(text_id))
    conn.executemany(_INSERT_ROW, ((_rowid(text_id, scene, p), words) for scene, p, words in rows))


def _drop(story_ids: Collection[str], conn: sqlite3.Connection) -> None:
    for story_id in story_ids:
        held = conn.execute(_TEXT_OF, (story_id,)).fetchone()
        if held is not None:
            conn.execute(_DELETE_ROWS, _rows_range(int(held[0])))
            conn.execute(_FORGET_TEXT, (held[0],))


def _find(
    conn: sqlite3.Connection,
    *,
    story_id: str,
    digest: str,
    match: str,
    before: Point | None,
    offset: int,
    limit: int,
) -> Found | None:
    current = conn.execute(_CURRENT, (story_id, digest)).fetchone()
    if current is None:
        return None
    first, last = _rows_range(int(current[0]))
    split = last + 1 if before is None else min(max(_rowid(current[0], *before), first), last + 1)
    params: dict[str, Any] = {"match": match, "first": first, "last": last, "split": split}
    within, beyond = conn.execute(_COUNT, params).fetchone()
    hits: tuple[Point, ...] = ()
    if offset < within and limit > 0:
        rows = conn.execute(_PAGE, {**params, "limit": limit, "offset": offset}).fetchall()
        hits = tuple(_point(rowid) for (rowid,) in rows)
    return Found(hits, int(within), int(beyond))


def _remember(query_id: str, query: str, at: datetime, conn: sqlite3.Connection) -> None:
    conn.execute(_REMEMBER, (query_id, query, time_text(at)))
    conn.execute(_FORGET_OLD_QUERIES, (time_text(at - QUERY_MEMORY),))


def _recall(query_id: str, since: str, conn: sqlite3.Connection) -> str | None:
    row = conn.execute(_RECALL, (query_id, since)).fetchone()
    return None if row is None else str(row[0])


def _indexed(conn: sqlite3.Connection) -> dict[str, str]:
    return {str(story): str(digest) for story, digest in conn.execute(_INDEXED).fetchall()}


class SQLiteSearch:
    """The search tables, through the storage's one writer."""

    def __init__(self, worker: SQLiteWorker) -> None:
        self._worker = worker

    async def indexed(self) -> dict[str, str]:
        return await self._worker.read(_indexed)

    async def index(
        self, story_id: str, digest: str, paragraphs: Sequence[tuple[int, int, str]]
    ) -> None:
        rows = await asyncio.to_thread(_index_rows, paragraphs)
        await self._worker.write(partial(_index, story_id, digest, rows))

    async def drop(self, story_ids: Collection[str]) -> None:
        if story_ids:
            await self._worker.write(partial(_drop, tuple(story_ids)))

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
        work = partial(
            _find,
            story_id=story_id,
            digest=digest,
            match=to_fts5(query),
            before=before,
            offset=offset,
            limit=limit,
        )
        return await self._worker.read(work)

    async def remember_query(self, query_id: str, query: str, *, at: datetime) -> None:
        await self._worker.write(partial(_remember, query_id, query, at))

    async def recall_query(self, query_id: str, *, at: datetime) -> str | None:
        since = time_text(at - QUERY_MEMORY)
        return await self._worker.read(partial(_recall, query_id, since))
