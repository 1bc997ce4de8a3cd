"""A text changed between two starts: every reader opens the same sentence, and old buttons
still act on the page they were shown under."""

from __future__ import annotations

from pathlib import Path

import simcord

from bot.library.anchors import Anchor, anchor_of
from bot.library.library import Library
from bot.library.loader import load_library
from bot.settings import Settings
from bot.storage.interface import Storage
from tests.bot.harness import (
    SEED_ID,
    Reader,
    custom_ids,
    embed_of,
    message_of,
    place_of,
    seed_story,
    story_bot,
)

SEED_FILE = Path(__file__).resolve().parents[2] / "texts" / f"{SEED_ID}.txt"
NEW_OPENING = "A scene written later, and put before all the others.\n\n\n"


def with_a_new_opening(folder: Path) -> Library:
    folder.mkdir(parents=True, exist_ok=True)
    head, marker, body = SEED_FILE.read_text(encoding="utf-8").partition("Work Text:\n")
    (folder / SEED_FILE.name).write_text(head + marker + NEW_OPENING + body, encoding="utf-8")
    return load_library(folder)[0]


def first_words(result: simcord.InteractionResult) -> str:
    """The start of the page's text as shown (markdown removed)."""
    text = (embed_of(result).description or "").replace("\\", "")
    return " ".join(text.split()[:6])


async def test_ten_readers_keep_their_sentence_when_a_scene_is_inserted_before_it(
    env: simcord.Env,
    channel: simcord.ChannelHandle,
    settings: Settings,
    store: Storage,
    tmp_path: Path,
) -> None:
    old = seed_story()
    readers = [Reader.join(env, channel, f"reader{n}") for n in range(10)]
    before: list[str] = []
    pages = []
    for number, reader in enumerate(readers):
        page = old.pages[number % len(old.pages)]
        shown = await reader.slash("goto", scene=page.scene + 1, page=page.number + 1)
        before.append(first_words(shown))
        pages.append(message_of(shown))
    old_next = [custom_ids(page)["Next"] for page in pages]

    changed = with_a_new_opening(tmp_path / "texts")
    await env.restart_bot(story_bot(settings, store, changed))
    await env.advance_time(11)
    new = changed.get(SEED_ID)
    for number, reader in enumerate(readers):
        opened = await reader.read()
        assert first_words(opened) == before[number]  # the same sentence, not one scene back
        assert message_of(opened).content == ""  # nothing to tell: nothing was lost
        page = old.pages[number % len(old.pages)]
        assert place_of(opened).startswith(f"Scene {page.scene + 2}/6 ")
        position = await store.get_position(reader.id, SEED_ID)
        assert position is not None
        assert isinstance(position.place, Anchor)
        assert position.place.snippet == anchor_of(old, page).snippet

    # A Next sent before the change goes on from the page it was under, in the new text.
    await env.advance_time(11)
    reader, page = readers[0], old.pages[0]
    turned = await reader.actor.click(pages[0], custom_id=old_next[0])
    after = old.step(page, 1)
    assert after is not None
    assert first_words(turned) == " ".join(after.text.split()[:6]).replace("\\", "")
    assert new.pages[after.index + 1].scene == after.scene + 1
