"""Quotes already shown, per-user flags, bot-wide values and text versions, on both backends."""

from __future__ import annotations

from bot.storage.interface import Storage
from tests.storage.helpers import now


async def test_seen_quotes_are_per_reader_and_story(storage: Storage) -> None:
    assert await storage.seen_quotes(1, "story") == set()
    for quote_id in ("q1", "q2", "q1"):
        await storage.mark_quote_seen(1, "story", quote_id, asked_at=now())
    await storage.mark_quote_seen(1, "other", "q9", asked_at=now())
    await storage.mark_quote_seen(2, "story", "q3", asked_at=now())
    assert await storage.seen_quotes(1, "story") == {"q1", "q2"}
    assert await storage.seen_quotes(1, "other") == {"q9"}
    assert await storage.seen_quotes(2, "story") == {"q3"}


async def test_forgetting_some_or_all_seen_quotes(storage: Storage) -> None:
    for quote_id in ("q1", "q2", "q3"):
        await storage.mark_quote_seen(1, "story", quote_id, asked_at=now())
    await storage.mark_quote_seen(1, "other", "q1", asked_at=now())
    await storage.forget_seen_quotes(1, "story", ["q1", "q3", "q3", "missing"])
    assert await storage.seen_quotes(1, "story") == {"q2"}
    await storage.forget_seen_quotes(1, "story", [])
    assert await storage.seen_quotes(1, "story") == {"q2"}
    await storage.forget_seen_quotes(1, "story")
    assert await storage.seen_quotes(1, "story") == set()
    assert await storage.seen_quotes(1, "other") == {"q1"}


async def test_forgetting_takes_any_iterable(storage: Storage) -> None:
    await storage.mark_quote_seen(1, "story", "q1", asked_at=now())
    await storage.forget_seen_quotes(1, "story", (quote for quote in ["q1"]))
    assert await storage.seen_quotes(1, "story") == set()


async def test_flags_are_per_user_and_replaced(storage: Storage) -> None:
    assert await storage.get_flag(1, "welcomed") is None
    await storage.set_flag(1, "welcomed", "yes", asked_at=now())
    await storage.set_flag(1, "welcomed", "twice", asked_at=now())
    await storage.set_flag(2, "welcomed", "no", asked_at=now())
    assert await storage.get_flag(1, "welcomed") == "twice"
    assert await storage.get_flag(2, "welcomed") == "no"
    assert await storage.get_flag(1, "other") is None


async def test_meta_values_are_replaced(storage: Storage) -> None:
    assert await storage.get_meta("commands_hash") is None
    await storage.set_meta("commands_hash", "abc")
    await storage.set_meta("commands_hash", "def")
    assert await storage.get_meta("commands_hash") == "def"


async def test_text_versions_are_kept_per_story(storage: Storage) -> None:
    assert await storage.text_versions() == {}
    await storage.set_text_version("a", "digest-1")
    await storage.set_text_version("b", "digest-2")
    await storage.set_text_version("a", "digest-3")
    assert await storage.text_versions() == {"a": "digest-3", "b": "digest-2"}
