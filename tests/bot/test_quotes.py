"""/quote journeys in SimCord: public lines, the scene button, no repeats, filters, limits."""

from __future__ import annotations

from pathlib import Path

import discord
import pytest
import simcord

from bot.client import StoryBot
from bot.library.loader import load_library
from bot.library.quotes import Quote, find_quotes, matches
from bot.settings import Settings
from bot.storage.interface import Storage
from tests.bot.harness import (
    SEED_ID,
    Reader,
    custom_ids,
    embed_of,
    expect_errors,
    labels,
    message_of,
    place_of,
    reopened_store,
    saved,
    seed_library,
    story_bot,
    text_of,
)

QUOTE_PAUSE = 10.5  # /quote allows 3 per 30 s per reader


def seed_quotes() -> tuple[Quote, ...]:
    return find_quotes(seed_library().get(SEED_ID))


async def last_quote(store: Storage, reader: Reader, before: set[str]) -> Quote:
    """The quote a reader was just shown: the one id their seen set gained."""
    seen = await store.seen_quotes(reader.id, SEED_ID)
    [new] = seen - before if seen - before else seen
    return next(quote for quote in seed_quotes() if quote.id == new)


@pytest.mark.parametrize(
    "quote_seed", [0, 5, 7, 9, 11]
)  # lines of scenes 4, 2, 3 and 5 (the last page)
async def test_quote_is_public_with_attribution_and_others_can_open_its_scene(
    alice: Reader, bob: Reader, store: Storage
) -> None:
    await alice.slash("goto", scene=2)
    posted = await alice.slash("quote")
    message = message_of(posted)
    assert not message.ephemeral
    assert labels(message) == ["Read this scene"]
    quote = await last_quote(store, alice, set())
    embed = embed_of(posted)
    footer = embed.footer.text or ""
    assert "Lay Your Heart Bare" in footer
    assert f"Scene {quote.scene + 1}" in footer
    if quote.speaker:
        assert footer.startswith(f"— {quote.speaker} · ")
    assert embed.description is not None
    assert discord.utils.remove_markdown(embed.description)[:20] in quote.text or (
        embed.description.replace("\\", "")[:20] in quote.text
    )

    opened = await bob.click(message, "Read this scene")
    page = message_of(opened)
    assert page.ephemeral
    assert page.id != message.id
    assert place_of(opened).startswith(f"Scene {quote.scene + 1}/5 · Page {quote.page + 1}/")
    assert labels(page) == ["Continue reading from here"]
    assert "has not moved" in page.content
    assert await saved(store, bob) is None  # looking is not moving
    assert await saved(store, alice) == (1, 0)

    moved = await bob.click(page, "Continue reading from here")
    assert message_of(moved).id == page.id
    assert labels(message_of(moved)) == ["Previous", "Next", "Bookmark"]
    assert await saved(store, bob) == (quote.scene, quote.page)
    assert await saved(store, alice) == (1, 0)
    shown = place_of(moved)
    last = seed_library().get(SEED_ID).last_page
    on_last_page = (quote.scene, quote.page) == (last.scene, last.number)
    turned = await bob.turn(message_of(moved), "Previous" if on_last_page else "Next")
    assert place_of(turned) != shown  # the normal reading buttons, on bob's own place
    assert await saved(store, bob) != (quote.scene, quote.page)


async def test_private_quote_is_ephemeral(alice: Reader) -> None:
    result = await alice.slash("quote", private=True)
    assert message_of(result).ephemeral
    assert labels(message_of(result)) == ["Read this scene"]


async def test_no_repeats_until_every_line_was_shown(
    env: simcord.Env, alice: Reader, store: Storage
) -> None:
    quotes = seed_quotes()
    shown: list[str] = []
    for _ in quotes:
        await env.advance_time(QUOTE_PAUSE)
        before = await store.seen_quotes(alice.id, SEED_ID)
        result = await alice.slash("quote", story=SEED_ID)
        assert not message_of(result).ephemeral
        shown.append((await last_quote(store, alice, before)).id)
    assert len(set(shown)) == len(quotes)
    assert await store.seen_quotes(alice.id, SEED_ID) == {quote.id for quote in quotes}

    await env.advance_time(QUOTE_PAUSE)
    again = await alice.slash("quote", story=SEED_ID)
    assert embed_of(again).description
    assert len(await store.seen_quotes(alice.id, SEED_ID)) == 1  # a new cycle began


async def test_filters_and_the_no_match_message(
    env: simcord.Env, alice: Reader, store: Storage
) -> None:
    derek = [quote for quote in seed_quotes() if matches(quote, character="Derek")]
    assert derek
    result = await alice.slash("quote", character="Derek")
    quote = await last_quote(store, alice, set())
    assert quote in derek

    before = await store.seen_quotes(alice.id, SEED_ID)
    await alice.slash("quote", contains="mate")
    assert "mate" in (await last_quote(store, alice, before)).text.casefold()

    none = await alice.slash("quote", contains="zebra")
    assert message_of(none).ephemeral
    assert text_of(none) == "No line of Lay Your Heart Bare mentions “zebra”."
    await env.advance_time(31)  # past the limit of 3 quotes in 30 seconds
    nobody = await alice.slash("quote", character="Zorro")
    assert "No line of Lay Your Heart Bare" in text_of(nobody)
    assert "Zorro" in text_of(nobody)
    assert message_of(nobody).ephemeral
    assert not message_of(result).ephemeral
    expect_errors(env, Exception, Exception)


async def test_a_quote_with_everyone_pings_no_one(
    simcord_bot: StoryBot, env: simcord.Env, alice: Reader, tmp_path: Path
) -> None:
    folder = tmp_path / "pings"
    folder.mkdir()
    (folder / "pings.txt").write_text(
        'Pings\n\n"I will love you forever, @everyone in this town can know it, I never lie,"'
        " Derek says softly.\n\nNothing else happens here at all, truly.\n",
        encoding="utf-8",
    )
    simcord_bot.services.library.swap(load_library(folder)[0])
    result = await alice.slash("quote")
    message = message_of(result)
    assert "@everyone" in (embed_of(result).description or "")
    assert not message.message.mention_everyone
    bodies = [entry.json for entry in env.http_requests if entry.path.endswith("/callback")]
    quoted = [body for body in bodies if isinstance(body, dict) and body.get("type") == 4]
    assert quoted[-1]["data"]["allowed_mentions"] == {"parse": []}


async def test_quote_and_scene_button_cooldowns(
    env: simcord.Env, alice: Reader, bob: Reader
) -> None:
    posted = message_of(await alice.slash("quote"))
    await alice.slash("quote")
    await alice.slash("quote")
    slowed = await alice.slash("quote")
    assert message_of(slowed).ephemeral
    assert "Try again in " in text_of(slowed)
    expect_errors(env, discord.app_commands.CommandOnCooldown)

    for _ in range(5):
        assert message_of(await bob.click(posted, "Read this scene")).embeds
    fast = await bob.click(posted, "Read this scene")
    assert "a little fast" in text_of(fast)
    assert "Try again in " in text_of(fast)
    await env.advance_time(21)
    assert message_of(await bob.click(posted, "Read this scene")).embeds
    await env.advance_time(30)
    assert not message_of(await alice.slash("quote")).ephemeral


async def test_autocomplete_of_story_and_character(alice: Reader) -> None:
    stories = await alice.actor.autocomplete(alice.channel, "quote", "story", "heart")
    assert [choice["value"] for choice in stories] == [SEED_ID]
    everything = await alice.actor.autocomplete(alice.channel, "quote", "story", "")
    assert 1 <= len(everything) <= 25
    names = await alice.actor.autocomplete(alice.channel, "quote", "character", "")
    values = [choice["value"] for choice in names]
    assert {"Stiles", "Derek"} <= set(values)
    assert len(values) <= 25
    stiles = await alice.actor.autocomplete(alice.channel, "quote", "character", "sti")
    assert [choice["value"] for choice in stiles] == ["Stiles"]


async def test_quote_buttons_work_after_a_restart(
    env: simcord.Env,
    bob: Reader,
    settings: Settings,
    store: Storage,
) -> None:
    posted = message_of(await bob.slash("quote"))
    old = custom_ids(posted)["Read this scene"]
    await env.settle()
    await store.close()
    async with reopened_store(settings) as reopened:
        await env.restart_bot(story_bot(settings, reopened, seed_library()))
        opened = await bob.actor.click(posted, custom_id=old)
        page = message_of(opened)
        assert page.ephemeral
        moved = await bob.click(page, "Continue reading from here")
        place = await saved(reopened, bob)
        assert place is not None
        assert place_of(moved).startswith(f"Scene {place[0] + 1}/")
        await env.settle()
        await env.shutdown()
