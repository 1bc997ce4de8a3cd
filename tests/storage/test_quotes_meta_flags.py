"""Seen quotes, bot-wide meta values and per-user flags."""

from __future__ import annotations

from bot.storage import ReadingStore


async def test_seen_quotes(store: ReadingStore) -> None:
    assert await store.seen_quotes(1, "story") == set()
    for quote in ("q1", "q2", "q2", "q3"):
        await store.mark_quote_seen(1, "story", quote)
    await store.mark_quote_seen(1, "other", "q1")
    await store.mark_quote_seen(2, "story", "q9")
    assert await store.seen_quotes(1, "story") == {"q1", "q2", "q3"}
    assert await store.seen_quotes(1, "other") == {"q1"}
    assert await store.seen_quotes(2, "story") == {"q9"}


async def test_forget_some_or_all_seen_quotes(store: ReadingStore) -> None:
    for quote in ("q1", "q2", "q3"):
        await store.mark_quote_seen(1, "story", quote)
    await store.mark_quote_seen(1, "other", "q1")
    await store.forget_seen_quotes(1, "story", ["q1", "q3", "q3", "unknown"])
    assert await store.seen_quotes(1, "story") == {"q2"}
    await store.forget_seen_quotes(1, "story", [])
    assert await store.seen_quotes(1, "story") == {"q2"}
    await store.forget_seen_quotes(1, "story")
    assert await store.seen_quotes(1, "story") == set()
    assert await store.seen_quotes(1, "other") == {"q1"}


async def test_meta(store: ReadingStore) -> None:
    assert await store.get_meta("command_sync_hash") is None
    await store.set_meta("command_sync_hash", "abc")
    await store.set_meta("command_sync_hash", "def")
    await store.set_meta("other", "x")
    assert await store.get_meta("command_sync_hash") == "def"
    assert await store.get_meta("other") == "x"


async def test_flags(store: ReadingStore) -> None:
    assert await store.get_flag(1, "adult_confirmed") is None
    await store.set_flag(1, "adult_confirmed", "2024-01-01")
    await store.set_flag(1, "adult_confirmed", "yes")
    assert await store.get_flag(1, "adult_confirmed") == "yes"
    assert await store.get_flag(2, "adult_confirmed") is None
