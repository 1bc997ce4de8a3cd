"""Story output with hostile text, many stories and notices: within Discord's limits, no pings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import simcord

from bot.library.anchors import Anchor
from bot.library.library import Library
from bot.library.loader import load_library
from bot.storage.interface import Storage
from tests.bot.harness import (
    Reader,
    anchor_at,
    embed_of,
    message_of,
    now,
    place_of,
    saved_place,
    seed_library,
)

PINGS = "Hey @everyone and @here, <@&123> and <@42>: the party is at nine.\n\n"


@pytest.fixture
def texts(tmp_path: Path) -> Path:
    folder = tmp_path / "texts"
    folder.mkdir()
    seed = next(iter(seed_library())).source
    original = Path(__file__).resolve().parents[2] / "texts" / seed
    (folder / "pings.txt").write_text(
        "Pings\n\n" + PINGS * 3 + "Nothing else happens.\n", encoding="utf-8"
    )
    for number in range(40):
        shutil.copy(original, folder / f"copy-{number:02d}.txt")
    return folder


@pytest.fixture
def library(texts: Path) -> Library:
    loaded, skipped = load_library(texts)
    assert not skipped
    return loaded


async def test_story_text_pings_nobody(
    env: simcord.Env, channel: simcord.ChannelHandle, alice: Reader
) -> None:
    role = env.guild.create_role("readers")
    result = await alice.read(story="pings", public=True)
    page = message_of(result)
    assert "@everyone" in (embed_of(result).description or "")
    stored = env.backend.get_message(page.channel_id, page.id)
    message = page.message
    assert not message.mention_everyone
    assert message.role_mentions == []
    assert message.raw_role_mentions == []
    assert stored.allowed_mentions is not None
    assert role.id not in message.raw_role_mentions
    # every request's allowed_mentions is checked by the `env` fixture (tests/bot/limits.py)


async def test_autocomplete_offers_at_most_25_stories(alice: Reader) -> None:
    choices = await alice.actor.autocomplete(alice.channel, "read", "story", "")
    assert len(choices) == 25
    assert all(1 <= len(choice["name"]) <= 100 for choice in choices)
    narrowed = await alice.actor.autocomplete(alice.channel, "read", "story", "ping")
    assert [choice["value"] for choice in narrowed] == ["pings"]


async def test_many_stories_fit_one_message(alice: Reader) -> None:
    stories = embed_of(await alice.slash("stories"))
    assert len(stories.fields) <= 25
    assert len(stories) <= 6000
    assert (stories.fields[-1].name or "").startswith("…and ")
    shown = len(stories.fields) - 1
    assert (stories.fields[-1].name or "") == f"…and {41 - shown} more"


async def test_without_a_story_and_several_in_the_library_asks_to_pick(
    env: simcord.Env, alice: Reader
) -> None:
    result = await alice.read()
    assert "pick one with the `story` option" in message_of(result).content
    env.errors  # noqa: B018 - acknowledge the StoryRequired the tree answered
    await alice.read(story="copy-03")
    assert place_of(await alice.read()) == "Scene 1/5 · Page 1/1"  # the last one read


async def test_a_notice_is_shown_once(alice: Reader, store: Storage, library: Library) -> None:
    notice = "This story was shortened; you were moved to the last page."
    copy = library.get("copy-01")
    await store.save_position(
        alice.id, "copy-01", anchor_at(copy, 4, 0), asked_at=now(), notice=notice
    )
    first = message_of(await alice.read(story="copy-01"))
    assert notice in first.content
    second = message_of(await alice.read(story="copy-01"))
    assert second.content == ""


async def test_a_saved_place_past_the_end_is_brought_back(
    alice: Reader, store: Storage, library: Library
) -> None:
    copy = library.get("copy-02")
    far = Anchor(scene=9, paragraph=3, offset=0, snippet="text no story of these has")
    await store.save_position(alice.id, "copy-02", far, asked_at=now())
    assert place_of(await alice.read(story="copy-02")) == "Scene 5/5 · Page 1/1"
    assert await saved_place(store, alice.id, copy) == (4, 0)


async def test_stories_of_one_title_are_told_apart(alice: Reader) -> None:
    """Forty copies of one story by one author: told apart by their ids, in autocomplete and
    in /stories, never as identical entries."""
    choices = await alice.actor.autocomplete(alice.channel, "read", "story", "heart")
    names = [choice["name"] for choice in choices]
    assert len(set(names)) == len(names) == 25
    assert "Lay Your Heart Bare (copy-00)" in names
    stories = embed_of(await alice.slash("stories"))
    titles = [field.name for field in stories.fields[:-1]]
    assert len(set(titles)) == len(titles)
    assert all(title and title.startswith("Lay Your Heart Bare (copy-") for title in titles[1:])
    assert (stories.description or "").startswith("41 stories to read")
