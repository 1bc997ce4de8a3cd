"""/search journeys in SimCord, on both backends: search, page through the hits, open one,
continue reading from there; the scope moving as the reader reads on; old buttons after a
restart; hostile queries; ratings."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import discord
import pytest
import simcord

from bot.errors import StoryRequired
from bot.library.library import Library
from bot.library.loader import load_library
from bot.services.access import NotHere
from bot.services.search import index_digest
from bot.settings import Settings
from bot.storage.interface import Storage
from bot.ui.gate import LABELS
from tests.bot.harness import (
    FIXTURES_DIR,
    Reader,
    age_restrict,
    custom_ids,
    embed_of,
    expect_errors,
    labels,
    message_of,
    place_of,
    put_place,
    reopened_store,
    saved_place,
    story_bot,
    text_of,
)
from tests.services.test_search import HOSTILE, KEEPER, KEEPER_ID, long_story

ADULT = "story-front-matter"  # "Ashes & Anchors", rated Mature, with archive warnings
NIGHTS = "nights"


@pytest.fixture
def library(tmp_path: Path) -> Library:
    folder = tmp_path / "texts"
    folder.mkdir(parents=True)
    (folder / f"{KEEPER_ID}.txt").write_text(KEEPER, encoding="utf-8")
    shutil.copy(FIXTURES_DIR / "story_front_matter.md", folder)
    long_story(folder, 23)  # "Nights": 23 one-line paragraphs, each with "lamp"
    library, skipped = load_library(folder)
    assert not skipped
    return library


def fields(result: simcord.InteractionResult | simcord.ResponseMessage) -> list[str]:
    message = result if isinstance(result, simcord.ResponseMessage) else message_of(result)
    [embed] = message.embeds
    return [field.name or "" for field in embed.fields]


def snippets(message: simcord.ResponseMessage) -> list[str]:
    [embed] = message.embeds
    return [field.value or "" for field in embed.fields]


def description(message: simcord.ResponseMessage) -> str:
    [embed] = message.embeds
    return embed.description or ""


async def test_search_page_through_open_a_hit_and_continue_from_there(
    env: simcord.Env, alice: Reader, store: Storage, library: Library
) -> None:
    found = await alice.slash("search", query="lamp", story=NIGHTS)
    results = message_of(found)
    assert results.ephemeral
    assert "23 hits in the whole story" in description(results)
    assert "what happens later" in results.content
    assert [name.split(" · ")[0] for name in fields(results)] == [f"Hit {n}" for n in range(1, 6)]
    assert all("**lamp**" in value for value in snippets(results))
    assert labels(results) == [*(f"Open {n}" for n in range(1, 6)), "Previous", "Next"]
    assert all(len(custom_id) <= 100 for custom_id in custom_ids(results).values())

    pages = [fields(results)]  # each page's hits, as shown then (the message is edited)
    assert "haven't started" in results.content
    for _ in range(4):
        turned = await alice.turn(results, "Next")
        assert message_of(turned).id == results.id  # the same message, edited
        pages.append(fields(turned))
        assert "haven't started" not in message_of(turned).content  # the warning came once
    assert [len(page) for page in pages] == [5, 5, 5, 5, 3]
    numbers = [name.split(" · ")[0] for page in pages for name in page]
    assert numbers == [f"Hit {n}" for n in range(1, 24)]
    assert embed_of(turned).footer.text == "Page 5/5"
    assert labels(message_of(turned))[-2:] == ["Previous", "Next"]
    back = await alice.turn(message_of(turned), "Previous")
    assert embed_of(back).footer.text == "Page 4/5"

    opened = await alice.click(message_of(back), "Open 17")
    page = message_of(opened)
    assert page.ephemeral
    assert page.id != results.id
    assert "Hit 17 is on" in page.content
    assert "has not moved" in page.content
    assert labels(page) == ["Continue reading from here"]
    assert await store.get_position(alice.id, NIGHTS) is None  # looking is not moving
    continued = await alice.click(page, "Continue reading from here")
    story = library.get(NIGHTS)
    assert await saved_place(store, alice.id, story) is not None
    assert place_of(continued) == embed_of(opened).author.name


async def test_hits_ahead_are_counted_and_searched_after_one_confirmation(
    alice: Reader, store: Storage, library: Library
) -> None:
    keeper = library.get(KEEPER_ID)
    await put_place(store, alice.id, keeper, 0, 0)
    found = message_of(await alice.slash("search", query="treasure", story=KEEPER_ID))
    assert "No match for **treasure** in what you have read (to scene 1, page 1)" in description(
        found
    )
    assert "1 more hit lies ahead of your place" in found.content
    assert "what happens later" in found.content
    assert labels(found) == ["Search the whole story"]
    everything = message_of(await alice.click(found, "Search the whole story"))
    assert everything.id == found.id
    assert "I searched the whole story" in everything.content
    assert "1 hit in the whole story" in description(everything)
    assert fields(everything) == ["Hit 1 · Scene 3/3 · Page 1/1"]
    assert "**treasure**" in snippets(everything)[0]
    assert labels(everything) == ["Open 1"]
    assert await saved_place(store, alice.id, keeper) == (0, 0)  # searching moves nobody


async def test_the_scope_moves_as_the_reader_reads_on(
    env: simcord.Env, alice: Reader, store: Storage, library: Library
) -> None:
    keeper = library.get(KEEPER_ID)
    await put_place(store, alice.id, keeper, 0, 0)
    found = message_of(await alice.slash("search", query="lamp", story=KEEPER_ID))
    assert "2 hits in what you have read (to scene 1, page 1)" in description(found)
    assert "3 more hits lie ahead" in found.content
    page = message_of(await alice.read(story=KEEPER_ID))
    for _ in range(2):
        page = message_of(await alice.turn(page, "Next"))
    assert place_of_message(page) == "Scene 2/3 · Page 2/2"
    # The old results' button searches with the place as it is now.
    again = message_of(await alice.click(found, "Search the whole story"))
    assert "5 hits in the whole story" in description(again)
    fresh = message_of(await alice.slash("search", query="beacon", story=KEEPER_ID))
    assert "1 hit in what you have read (to scene 2, page 2)" in description(fresh)
    assert not fresh.content  # nothing ahead, nothing left out
    assert fields(fresh) == ["Hit 1 · Scene 2/3 · Page 2/2"]


def place_of_message(message: simcord.ResponseMessage) -> str | None:
    [embed] = message.embeds
    return embed.author.name


async def test_old_buttons_work_after_a_restart(
    env: simcord.Env, alice: Reader, settings: Settings, store: Storage, library: Library
) -> None:
    long_query = '"the lamp burned" -"long long long" -nothing -nowhere -never -nobody -none night*'
    short = message_of(await alice.slash("search", query="lamp", story=NIGHTS))
    kept = message_of(await alice.slash("search", query=long_query, story=NIGHTS))
    kept_ids = custom_ids(kept)
    assert any(":#" in custom_id for custom_id in kept_ids.values())  # too long: kept by id
    assert all(len(custom_id) <= 100 for custom_id in kept_ids.values())

    await env.settle()
    await store.close()
    async with reopened_store(settings) as reopened:
        await env.restart_bot(story_bot(settings, reopened, library))
        await env.advance_time(3)
        turned = message_of(await alice.click(short, "Next"))
        assert embed_of_message(turned).footer.text == "Page 2/5"
        kept_turned = message_of(await alice.click(kept, "Next"))
        assert embed_of_message(kept_turned).footer.text == "Page 2/4"  # 18: 5 left out
        assert "**the lamp burned**" in snippets(kept_turned)[0]
        opened = await alice.click(turned, "Open 6")
        assert "Hit 6 is on" in message_of(opened).content
        await env.settle()
        await env.shutdown()


def embed_of_message(message: simcord.ResponseMessage) -> discord.Embed:
    [embed] = message.embeds
    return embed


@pytest.mark.parametrize("typed", HOSTILE)
async def test_a_hostile_query_is_answered_never_an_error(
    env: simcord.Env, alice: Reader, typed: str
) -> None:
    answered = message_of(await alice.slash("search", query=typed[:500], story=KEEPER_ID))
    assert answered.ephemeral
    assert not env.errors
    if answered.embeds:
        assert "in the whole story" in description(answered)
    else:
        assert "Type a word to search for" in answered.content


async def test_what_the_bounds_left_out_is_said(alice: Reader) -> None:
    typed = "lamp " + "w" * 70 + " a* " + " ".join(f"word{n}" for n in range(25))
    answered = message_of(await alice.slash("search", query=typed, story=KEEPER_ID))
    assert "Not searched:" in answered.content
    assert "1 word longer than 64 letters" in answered.content
    assert "1 term with a `*` after fewer than 2 letters (“a\\*”)" in answered.content
    assert "6 terms past the first 20" in answered.content
    long_phrase = '"' + " ".join(f"w{n}" for n in range(14)) + '"'
    cut = message_of(await alice.slash("search", query=long_phrase, story=KEEPER_ID))
    assert "1 phrase cut to its first 12 words" in cut.content
    assert 'No match for **"w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11"**' in description(cut)
    only_marks = message_of(await alice.slash("search", query="-lamp *** ???", story=KEEPER_ID))
    assert "Type a word to search for" in only_marks.content
    assert not only_marks.embeds


async def test_words_other_searches_read_as_operators_are_said_to_be_words(alice: Reader) -> None:
    answered = message_of(await alice.slash("search", query="lamp OR storm", story=KEEPER_ID))
    assert "`OR`: searched as words here" in answered.content
    assert "No match for **lamp or storm**" in description(answered)


async def test_without_a_story_the_one_read_last_is_searched(
    env: simcord.Env, alice: Reader
) -> None:
    refused = await alice.slash("search", query="lamp")
    assert "pick one with the `story` option" in text_of(refused)
    expect_errors(env, StoryRequired)
    await alice.read(story=KEEPER_ID)
    found = message_of(await alice.slash("search", query="lamp"))
    assert embed_of_message(found).title == "Search in The Keeper"
    assert "2 hits in what you have read (to scene 1, page 1)" in description(found)


async def test_a_mature_story_is_not_searched_outside_an_age_restricted_channel(
    env: simcord.Env, channel: simcord.ChannelHandle, alice: Reader, store: Storage
) -> None:
    refused = message_of(await alice.slash("search", query="anchor", story=ADULT))
    assert refused.ephemeral
    assert "rated Mature" in refused.content
    assert not refused.embeds
    expect_errors(env, NotHere)
    age_restrict(env, channel)
    warned = message_of(await alice.slash("search", query="the", story=ADULT))
    assert warned.ephemeral
    assert labels(warned) == [LABELS["warn"], "Cancel"]  # the warnings first, once
    assert not warned.embeds
    found = message_of(await alice.click(warned, LABELS["warn"]))
    assert found.ephemeral  # results are never posted publicly
    assert "in the whole story" in description(found)
    places = [name.split(" · ", 1)[1] for name in fields(found)]
    assert places
    chapter_scene_page = r"Chapter [12]: (Galley|Deck) · Scene \d/\d · Page \d/\d"
    assert all(re.fullmatch(chapter_scene_page, place) for place in places), places


async def test_in_a_dm_a_mature_story_is_searched_once_the_reader_confirms(
    env: simcord.Env, store: Storage
) -> None:
    carol = env.create_user("carol")
    asked = message_of(await carol.slash("search", query="the", story=ADULT))
    assert "18 or older" in asked.content
    confirmed = message_of(await carol.click(asked, label=LABELS["age"]))
    warned = message_of(await carol.click(confirmed, label=LABELS["warn"]))
    assert "in the whole story" in description(warned)
    assert fields(warned)


async def test_searching_fast_is_limited(env: simcord.Env, alice: Reader) -> None:
    for _ in range(5):
        message_of(await alice.slash("search", query="lamp", story=KEEPER_ID))
    limited = await alice.slash("search", query="lamp", story=KEEPER_ID)
    assert "a little fast" in text_of(limited)
    expect_errors(env, discord.app_commands.CommandOnCooldown)
    await env.advance_time(11)
    assert message_of(await alice.slash("search", query="lamp", story=KEEPER_ID)).embeds


async def test_the_bot_indexes_at_start_and_the_first_search_has_it(
    alice: Reader, store: Storage, library: Library
) -> None:
    # The index is made in the background from setup_hook; a search meanwhile waits for it.
    found = message_of(await alice.slash("search", query="lamp", story=NIGHTS))
    assert "23 hits in the whole story" in description(found)
    indexed = await store.search.indexed()
    assert indexed == {story.id: index_digest(story) for story in library}
