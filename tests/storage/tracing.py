"""Watching what the store sends to SQLite: statements, to count trips and transactions."""

from __future__ import annotations

from bot.storage import ReadingStore


async def trace_statements(store: ReadingStore) -> list[str]:
    """Every statement the store's connection runs from now on (from its thread: append is
    atomic), so a test can count trips and transactions."""
    statements: list[str] = []
    await store._conn.set_trace_callback(statements.append)
    return statements


def first_words(statements: list[str]) -> list[str]:
    return [" ".join(sql.split()[:2]).upper() for sql in statements]
