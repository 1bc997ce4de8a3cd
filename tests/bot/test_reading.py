"""Reading journeys through discord.py's own dispatch, in SimCord."""

from __future__ import annotations

import logging
import re
from typing import Any

import discord
import pytest
import simcord

from bot.errors import UnknownStory
from bot.services.reading import OutOfRange, ReadingService
from bot.settings import Settings
from bot.storage.interface import Storage
from bot.ui.buttons import PUBLIC_FOREIGN_HINT
from bot.ui.errors import APOLOGY
from tests.bot.harness import (
    SAVED,
    SEED_ID,
    SEED_PLACES,
    Reader,
    click_together,
    custom_ids,
    embed_of,
    expect_errors,
    labels,
    message_of,
    page_place,
    place_of,
    press_together,
    reopened_store,
    saved,
    seed_library,
    seed_story,
    story_bot,
    text_of,
)


async def test_new_reader_reads_the_seed_to_the_end(alice: Reader, store: Storage) -> None:
    first = await alice.read()
    page = message_of(first)
    assert page.ephemeral
    assert place_of(first) == SEED_PLACES[0]
    assert embed_of(first).title == "Lay Your Heart Bare"
    assert await saved(store, alice) == SAVED[0]
    assert labels(page) == ["Previous", "Next", "Bookmark"]
    assert page.components[0]["components"][0].get("disabled") is True  # no page before

    for expected_place, expected_saved in zip(SEED_PLACES[1:], SAVED[1:], strict=True):
        turned = await alice.turn(page)
        assert turned.response is not None
        assert turned.response.id == page.id
        assert place_of(turned) == expected_place
        assert await saved(store, alice) == expected_saved
        footer = embed_of(turned).footer.text or ""
        assert "%" in footer
        assert "▰" in footer
    assert (embed_of(turned).footer.text or "").startswith("▰▰▰▰▰▰▰▰▰▰ 100%")

    ending = await alice.turn(page)
    end = embed_of(ending)
    assert end.title == "The end"
    assert "You finished **Lay Your Heart Bare**" in (end.description or "")
    assert labels(message_of(ending)) == ["Start again"]
    assert await saved(store, alice) == SAVED[-1]

    again = await alice.turn(page, "Start again")
    assert place_of(again) == SEED_PLACES[0]
    assert await saved(store, alice) == (0, 0)


async def test_previous_goes_back_across_scenes(alice: Reader, store: Storage) -> None:
    page = message_of(await alice.slash("goto", scene=3, page=1))
    back = await alice.turn(page, "Previous")
    assert place_of(back) == SEED_PLACES[1]
    assert await saved(store, alice) == (1, 0)


async def test_restart_the_bot_and_continue_with_an_old_button(
    env: simcord.Env, alice: Reader, settings: Settings, store: Storage
) -> None:
    page = message_of(await alice.read())
    await alice.turn(page)
    await alice.turn(page)  # now at scene 3, page 1
    old_next = custom_ids(page)["Next"]

    await env.settle()
    await store.close()
    async with reopened_store(settings) as reopened:
        bot = story_bot(settings, reopened, seed_library())
        await env.restart_bot(bot)
        assert await reopened.get_position(alice.id, SEED_ID) is not None

        await env.advance_time(3)
        resumed = await alice.actor.click(page, custom_id=old_next)
        assert place_of(resumed) == SEED_PLACES[3]
        assert await saved(reopened, alice) == SAVED[3]

        again = await alice.read()
        assert place_of(again) == SEED_PLACES[3]
        await env.settle()
        await env.shutdown()


async def test_others_cannot_turn_a_readers_public_page(
    alice: Reader, bob: Reader, store: Storage
) -> None:
    shown = await alice.read(public=True)
    page = message_of(shown)
    assert not page.ephemeral
    assert labels(page) == ["Previous", "Next", "Bookmark", "Read it yourself"]
    await alice.turn(page)
    before = await saved(store, alice)

    for label in ("Next", "Bookmark"):
        pressed = await bob.turn(page, label)
        assert text_of(pressed) == PUBLIC_FOREIGN_HINT
        assert message_of(pressed).ephemeral
    assert await saved(store, alice) == before
    assert await store.list_bookmarks(alice.id) == []
    assert await saved(store, bob) is None

    own = await bob.turn(page, "Read it yourself")
    assert message_of(own).ephemeral
    assert message_of(own).id != page.id
    assert place_of(own) == SEED_PLACES[0]  # bob's own place, not alice's
    assert await saved(store, alice) == before


def pages_shown(env: simcord.Env) -> list[str]:
    """The place lines of every page a button put in place of its message, in order."""
    bodies: list[Any] = [entry.json for entry in env.http_requests]
    return [
        body["data"]["embeds"][0]["author"]["name"]
        for body in bodies
        if isinstance(body, dict) and body.get("type") == 7 and body["data"].get("embeds")
    ]


async def test_a_double_press_on_next_turns_one_page(
    env: simcord.Env, alice: Reader, store: Storage
) -> None:
    page = message_of(await alice.read())
    results = await click_together(env, alice.actor, page, "Next", 2)
    assert all(result.acknowledged for result in results)
    # Next means "the page after this one": both presses show it, and it is the saved place.
    assert pages_shown(env) == [SEED_PLACES[1]] * 2
    assert await saved(store, alice) == SAVED[1]


async def test_many_readers_double_pressing_at_once_each_turn_one_page(
    env: simcord.Env, channel: simcord.ChannelHandle, store: Storage
) -> None:
    readers = [Reader.join(env, channel, f"reader{n}") for n in range(20)]
    pages = [message_of(await reader.read()) for reader in readers]
    presses = [(reader.actor, page, "Next") for reader, page in zip(readers, pages, strict=True)]
    results = await press_together(env, presses * 2)  # each reader's double tap, all at once
    assert all(result.acknowledged for result in results)
    assert [await saved(store, reader) for reader in readers] == [SAVED[1]] * len(readers)


async def test_next_on_an_older_page_goes_on_from_that_page(
    env: simcord.Env, alice: Reader, store: Storage
) -> None:
    older = message_of(await alice.read())  # page 1, left open
    await alice.slash("goto", scene=4)  # read on elsewhere
    assert await saved(store, alice) == SAVED[4]
    turned = await alice.turn(older)
    assert place_of(turned) == SEED_PLACES[1]  # the page after the one pressed on
    assert await saved(store, alice) == SAVED[1]  # each page shown becomes the saved place
    back = await alice.turn(message_of(turned), "Previous")
    assert place_of(back) == SEED_PLACES[0]


async def test_bookmark_saves_the_page_shown(alice: Reader, store: Storage) -> None:
    page = message_of(await alice.slash("goto", scene=3, page=2))
    marked = await alice.turn(page, "Bookmark")
    assert "Bookmarked scene 3, page 2" in text_of(marked)
    assert message_of(marked).ephemeral
    [bookmark] = await store.list_bookmarks(alice.id, SEED_ID)
    assert page_place(seed_story(), bookmark.place) == (2, 1)


async def test_restart_asks_first_and_only_the_reader_answers(
    alice: Reader, store: Storage
) -> None:
    await alice.slash("goto", scene=4)
    asked = await alice.slash("restart")
    question = message_of(asked)
    assert question.ephemeral
    assert "first page" in question.content
    cancelled = await alice.click(question, "Cancel")
    assert "kept" in message_of(cancelled).content
    assert await saved(store, alice) == (3, 0)

    question = message_of(await alice.slash("restart"))
    restarted = await alice.click(question, "Yes, restart")
    assert place_of(restarted) == SEED_PLACES[0]
    assert await saved(store, alice) == (0, 0)


async def test_errors_are_private_and_clear(env: simcord.Env, alice: Reader) -> None:
    unknown = await alice.read(story="no-such-story")
    assert message_of(unknown).ephemeral
    assert "There is no story called “no-such-story”" in text_of(unknown)
    # Typed at Discord's longest (6,000 characters), Markdown and a mention in it: still a
    # short answer, escaped, that pings nobody.
    typed = ("*x*_<@&1>" * 700)[:6000]
    long_unknown = await alice.read(story=typed)
    assert message_of(long_unknown).ephemeral
    said = text_of(long_unknown)
    assert said.startswith("There is no story called “\\*x\\*\\_")
    assert len(said) < 300

    too_far = await alice.slash("goto", scene=9)
    assert message_of(too_far).ephemeral
    assert text_of(too_far) == "“Lay Your Heart Bare” has 5 scenes: pick a scene from 1 to 5."
    bad_page = await alice.slash("goto", scene=3, page=3)
    assert text_of(bad_page) == "Scene 3 has 2 pages: pick a page from 1 to 2."
    expect_errors(env, UnknownStory, UnknownStory, OutOfRange, OutOfRange)


async def test_unexpected_error_apologises_and_logs_the_traceback(
    env: simcord.Env,
    alice: Reader,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(ReadingService, "open", broken)
    with caplog.at_level(logging.ERROR, logger="bot.ui.errors"):
        result = await alice.read()
    assert text_of(result) == APOLOGY
    assert message_of(result).ephemeral
    [record] = [r for r in caplog.records if r.name == "bot.ui.errors"]
    assert record.exc_info is not None
    assert "disk on fire" in str(record.exc_info[1])
    assert "/read" in record.getMessage()
    expect_errors(env, RuntimeError)

    page = message_of(await _page_after_unpatch(alice, monkeypatch))
    monkeypatch.setattr(ReadingService, "turn", broken)
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="bot.ui.errors"):
        clicked = await alice.turn(page)
    assert text_of(clicked) == APOLOGY
    assert any(r.exc_info for r in caplog.records if r.name == "bot.ui.errors")


async def _page_after_unpatch(
    alice: Reader, monkeypatch: pytest.MonkeyPatch
) -> simcord.InteractionResult:
    monkeypatch.undo()
    return await alice.read()


async def test_read_cooldown_says_when_to_retry(env: simcord.Env, alice: Reader) -> None:
    for _ in range(5):
        assert place_of(await alice.read()) == SEED_PLACES[0]
    await env.advance_time(4)
    slowed = await alice.read()
    assert message_of(slowed).ephemeral
    wait = re.fullmatch(
        r"You're going a little fast\. Try again in (\d+) seconds?\.", text_of(slowed)
    )
    assert wait is not None, text_of(slowed)
    assert 1 <= int(wait[1]) <= 7  # the window of 10 seconds opened 4 seconds ago
    expect_errors(env, discord.app_commands.CommandOnCooldown)
    await env.advance_time(int(wait[1]))  # the wait it said is enough
    assert place_of(await alice.read()) == SEED_PLACES[0]


async def test_button_cooldown_is_per_reader(alice: Reader, bob: Reader) -> None:
    page = message_of(await alice.read())
    for _ in range(4):
        await alice.click(page, "Next")
    await alice.click(page, "Previous")
    slowed = await alice.click(page, "Next")
    assert "a little fast" in text_of(slowed)
    bobs = message_of(await bob.read())
    assert place_of(await bob.click(bobs, "Next")) == SEED_PLACES[1]


async def test_reading_works_in_direct_messages(env: simcord.Env) -> None:
    user = env.create_user("carol")
    result = await user.slash("read")
    assert place_of(result) == SEED_PLACES[0]
    turned = await user.click(message_of(result), label="Next")
    assert place_of(turned) == SEED_PLACES[1]


async def test_progress_and_stories_show_the_readers_place(alice: Reader) -> None:
    empty = embed_of(await alice.slash("progress"))
    assert "haven't started" in (empty.description or "")
    await alice.slash("goto", scene=3, page=2)
    progress = embed_of(await alice.slash("progress"))
    [field] = progress.fields
    assert field.name == "Lay Your Heart Bare"
    assert "Scene 3/5 · Page 2/2" in (field.value or "")
    stories = embed_of(await alice.slash("stories"))
    [listed] = stories.fields
    assert "2,785 words" in (listed.value or "")
    assert "5 scenes" in (listed.value or "")
    assert "Scene 3/5" in (listed.value or "")
