"""A real library in SimCord: chapters, ratings, warnings, notes and the info card.

The bot runs on a texts folder of its own (the seed plus format fixtures), built per test.
"""

from __future__ import annotations

from pathlib import Path

import discord
import pytest
import simcord

from bot.library.library import Library
from bot.services.access import ADULT_FLAG, NotHere
from bot.services.reading import OutOfRange
from bot.storage.interface import Storage
from bot.ui.cards import embed_length
from bot.ui.gate import LABELS
from tests.bot.harness import (
    SEED_ID,
    Reader,
    age_restrict,
    anchor_at,
    embed_of,
    expect_errors,
    labels,
    message_of,
    now,
    place_of,
    saved_place,
    text_of,
    texts_library,
)

CONFIRM_LABEL, CONTINUE_LABEL = LABELS["age"], LABELS["warn"]
ADULT = "story-front-matter"  # "Ashes & Anchors", rated Mature, with archive warnings
CHAPTERS = "ao3-multi-chapter"  # "Salt and Cinder", Teen, 3 chapters, warnings, notes
PLAIN = "ao3-single-chapter"  # General Audiences, "No Archive Warnings Apply"
HUGE = "huge-metadata"
EXPLICIT = "night-market"  # rated Explicit, with quotable lines, "No Archive Warnings Apply"
NIGHT_MARKET = """---
title: Night Market
author: R. Vale
rating: Explicit
warnings: [No Archive Warnings Apply]
---

# Chapter 1: Lanterns

“Nobody sells moonlight by the pound,” said Tamsin, weighing the jar in her palm anyway.

The stallholder laughed. “Then you have never been to this market after midnight, have you?”

“I have been to every market in this city, and none lied as prettily as you do,” Tamsin said.

She paid him in copper and secrets, and walked home under lanterns that hummed like bees.

“Keep the jar closed until the rain stops,” he called after her, “or it will all float away.”
"""


def huge_markdown() -> str:
    """Front matter with hundreds of tags and characters, long fields, markdown to escape."""
    # Inline lists: front matter is read up to 300 lines.
    tags = ", ".join(f"'*Tag* number {n} with_underscores'" for n in range(400))
    characters = ", ".join(f"Character {n} @everyone" for n in range(300))
    summary = "A summary with **stars** and `ticks`. " * 200
    return (
        "---\n"
        f'title: "{"Very long title " * 30}"\n'
        "author: '__Someone__ <@123>'\n"
        "rating: General Audiences\n"
        "warnings: [Creator Chose Not To Use Archive Warnings]\n"
        f"tags: [{tags}]\n"
        f"characters: [{characters}]\n"
        f"fandoms: [{', '.join(f'Fandom {n}' for n in range(200))}]\n"
        f'summary: "{summary}"\n'
        "source: https://example.org/huge_story\n"
        "language: English\n"
        "---\n\n"
        "# Chapter 1: Only\n\nA short text, so the card is what matters.\n"
    )


@pytest.fixture
def library(tmp_path: Path) -> Library:
    return texts_library(
        tmp_path / "texts",
        "story_front_matter.md",
        "ao3_multi_chapter.html",
        "ao3_single_chapter.html",
        extra={f"{HUGE}.md": huge_markdown(), f"{EXPLICIT}.md": NIGHT_MARKET},
    )


async def seen_warnings(store: Storage, reader: Reader, story_id: str) -> None:
    await store.set_flag(reader.id, f"warned:{story_id}", "1", asked_at=now())


# --- ratings -------------------------------------------------------------------------------


async def test_a_mature_story_is_refused_in_a_normal_channel(
    env: simcord.Env, alice: Reader, store: Storage
) -> None:
    refused = await alice.read(story=ADULT)
    assert message_of(refused).ephemeral
    text = text_of(refused)
    assert "rated Mature" in text
    assert "age-restricted" in text
    assert "DM" in text
    assert not message_of(refused).embeds
    assert await store.get_position(alice.id, ADULT) is None
    for command, options in (("goto", {"scene": 1}), ("read", {"public": True})):
        again = await alice.slash(command, story=ADULT, **options)
        assert "rated Mature" in text_of(again)
        assert message_of(again).ephemeral
    expect_errors(env, NotHere, NotHere, NotHere)


async def test_a_mature_story_is_served_in_an_age_restricted_channel(
    env: simcord.Env, channel: simcord.ChannelHandle, alice: Reader, bob: Reader
) -> None:
    age_restrict(env, channel)
    prompt = await alice.read(story=ADULT, public=True)
    assert message_of(prompt).ephemeral  # the warnings first, privately
    assert labels(message_of(prompt)) == [CONTINUE_LABEL, "Cancel"]
    shown = await alice.click(message_of(prompt), CONTINUE_LABEL)
    assert place_of(shown) == "Chapter 1: Galley · Scene 1/2 · Page 1/1"
    page = message_of(await alice.read(story=ADULT, public=True))
    assert not page.ephemeral
    assert place_of_message(page) == "Chapter 1: Galley · Scene 1/2 · Page 1/1"
    # Someone else pressing "Read it yourself" meets the same gate: their own warnings.
    own = await bob.click(page, "Read it yourself")
    assert message_of(own).ephemeral
    assert labels(message_of(own)) == [CONTINUE_LABEL, "Cancel"]


def place_of_message(message: simcord.ResponseMessage) -> str | None:
    [embed] = message.embeds
    return embed.author.name


async def test_in_a_dm_a_mature_story_asks_for_confirmation_once(
    env: simcord.Env, store: Storage
) -> None:
    carol = env.create_user("carol")
    asked = await carol.slash("read", story=ADULT)
    question = message_of(asked)
    assert "18 or older" in question.content
    assert labels(question) == [CONFIRM_LABEL, "Cancel"]
    assert await store.get_flag(carol.id, ADULT_FLAG) is None

    confirmed = await carol.click(question, label=CONFIRM_LABEL)
    assert await store.get_flag(carol.id, ADULT_FLAG) == "1"
    warned = message_of(confirmed)  # the same message, now the warnings
    assert warned.id == question.id
    assert "||Graphic Depictions Of Violence||" in warned.content
    shown = await carol.click(warned, label=CONTINUE_LABEL)
    assert place_of(shown) == "Chapter 1: Galley · Scene 1/2 · Page 1/1"

    again = await carol.slash("read", story=ADULT)
    assert place_of(again) == "Chapter 1: Galley · Scene 1/2 · Page 1/1"  # no prompt now


async def test_cancel_leaves_nothing_stored(env: simcord.Env, store: Storage) -> None:
    dave = env.create_user("dave")
    question = message_of(await dave.slash("read", story=ADULT))
    cancelled = await dave.click(question, label="Cancel")
    assert message_of(cancelled).content == "Cancelled."
    assert await store.get_flag(dave.id, ADULT_FLAG) is None
    assert await store.get_position(dave.id, ADULT) is None


async def test_a_bookmark_of_a_mature_story_does_not_open_in_a_normal_channel(
    env: simcord.Env,
    channel: simcord.ChannelHandle,
    alice: Reader,
    store: Storage,
    library: Library,
) -> None:
    age_restrict(env, channel)
    await seen_warnings(store, alice, ADULT)
    await alice.read(story=ADULT)
    adult = library.get(ADULT)
    mark = await store.add_bookmark(alice.id, ADULT, anchor_at(adult, 1, 0), None, asked_at=now())
    assert mark is not None
    lounge = Reader(env, env.guild.create_text_channel("lounge"), alice.actor)
    refused = await lounge.slash("bookmark open", bookmark=str(mark.id))
    assert "rated Mature" in text_of(refused)
    opened = await alice.slash("bookmark open", bookmark=str(mark.id))
    assert place_of(opened) == "Chapter 1: Galley · Scene 2/2 · Page 1/1"
    expect_errors(env, NotHere)


# --- warnings ------------------------------------------------------------------------------


async def test_warnings_show_once_as_spoilers_before_the_first_page(
    alice: Reader, store: Storage
) -> None:
    prompt = await alice.read(story=CHAPTERS)
    message = message_of(prompt)
    assert message.ephemeral
    assert not message.embeds
    assert "Before you start" in message.content
    assert "||Graphic Depictions Of Violence||" in message.content
    assert "||Major Character Death||" in message.content
    assert await store.get_position(alice.id, CHAPTERS) is None

    page = await alice.click(message, CONTINUE_LABEL)
    assert place_of(page) == "Chapter 1: The Marsh Road · Scene 1/2 · Page 1/1"
    again = await alice.read(story=CHAPTERS)
    assert place_of(again) == "Chapter 1: The Marsh Road · Scene 1/2 · Page 1/1"


async def test_no_archive_warnings_apply_needs_no_prompt(alice: Reader) -> None:
    assert place_of(await alice.read(story=PLAIN)) == "Scene 1/3 · Page 1/1"


# --- quotes --------------------------------------------------------------------------------


async def test_quote_in_a_normal_channel_never_shows_the_adult_story(
    env: simcord.Env, channel: simcord.ChannelHandle, alice: Reader, bob: Reader
) -> None:
    # Even when the last story alice read is the explicit one (in an 18+ channel)...
    age_restrict(env, channel)
    await alice.read(story=EXPLICIT)
    there = embed_of(await alice.slash("quote"))
    assert "Night Market" in (there.footer.text or "")  # it has lines to quote
    lounge = Reader(env, env.guild.create_text_channel("lounge"), alice.actor)
    newcomer = Reader(env, lounge.channel, bob.actor)  # ...and for a random pick
    footers = []
    for _ in range(8):
        await env.advance_time(11)
        for reader in (lounge, newcomer):
            footers.append(embed_of(await reader.slash("quote")).footer.text or "")
    assert not any("Night Market" in footer for footer in footers), footers

    await env.advance_time(11)
    named = await lounge.slash("quote", story=EXPLICIT)
    assert "rated Explicit" in text_of(named)
    assert message_of(named).ephemeral
    await env.advance_time(11)
    private = await lounge.slash("quote", story=EXPLICIT, private=True)
    assert "rated Explicit" in text_of(private)
    expect_errors(env, NotHere, NotHere)


async def test_quote_in_a_dm_needs_the_confirmation(env: simcord.Env, store: Storage) -> None:
    erin = env.create_user("erin")
    refused = await erin.slash("quote", story=EXPLICIT)
    assert "rated Explicit" in text_of(refused)
    await store.set_flag(erin.id, ADULT_FLAG, "1", asked_at=now())
    await env.advance_time(11)
    quoted = await erin.slash("quote", story=EXPLICIT)
    assert "Night Market" in (embed_of(quoted).footer.text or "")
    expect_errors(env, NotHere)


# --- chapters ------------------------------------------------------------------------------


async def test_chapters_in_the_place_line_and_goto_chapter(
    env: simcord.Env, alice: Reader, store: Storage, library: Library
) -> None:
    await seen_warnings(store, alice, CHAPTERS)
    page = message_of(await alice.read(story=CHAPTERS))
    places = [place_of_message(page)]
    for _ in range(4):
        places.append(place_of(await alice.turn(page)))
    assert places == [
        "Chapter 1: The Marsh Road · Scene 1/2 · Page 1/1",
        "Chapter 1: The Marsh Road · Scene 2/2 · Page 1/1",
        "Chapter 2: Cinder's Bargain · Scene 1/2 · Page 1/1",
        "Chapter 2: Cinder's Bargain · Scene 2/2 · Page 1/1",
        "Chapter 3 · Scene 1/1 · Page 1/1",
    ]

    await env.advance_time(1)  # the reading commands' window of 10 seconds is over
    jumped = await alice.slash("goto", story=CHAPTERS, chapter=2, scene=2)
    assert place_of(jumped) == "Chapter 2: Cinder's Bargain · Scene 2/2 · Page 1/1"
    chapters = library.get(CHAPTERS)
    assert await saved_place(store, alice.id, chapters) == (3, 0)
    whole = await alice.slash("goto", story=CHAPTERS, scene=5)  # no chapter: story-wide
    assert place_of(whole) == "Chapter 3 · Scene 1/1 · Page 1/1"

    too_far = await alice.slash("goto", story=CHAPTERS, chapter=4, scene=1)
    assert text_of(too_far) == "“Salt and Cinder” has 3 chapters: pick a chapter from 1 to 3."
    bad_scene = await alice.slash("goto", story=CHAPTERS, chapter=3, scene=2)
    assert text_of(bad_scene) == "Chapter 3 has 1 scene: pick a scene from 1 to 1."
    no_chapters = await alice.slash("goto", story=SEED_ID, chapter=2, scene=1)
    assert "has no chapters" in text_of(no_chapters)
    expect_errors(env, OutOfRange, OutOfRange, OutOfRange)


async def test_chapter_notes_are_offered_apart_from_the_pages(
    alice: Reader, store: Storage
) -> None:
    await seen_warnings(store, alice, CHAPTERS)
    first = message_of(await alice.slash("goto", story=CHAPTERS, chapter=1, scene=1))
    assert "Notes" not in labels(first)
    second = message_of(await alice.slash("goto", story=CHAPTERS, chapter=2, scene=1))
    assert labels(second) == ["Previous", "Next", "Bookmark", "Notes"]
    notes = await alice.click(second, "Notes")
    assert message_of(notes).ephemeral
    assert message_of(notes).id != second.id
    embed = embed_of(notes)
    assert embed.title == "Notes · Chapter 2: Cinder's Bargain"
    assert "**Notes**" in (embed.description or "")
    assert "**End notes**" in (embed.description or "")
    page_text = embed_of(await alice.read(story=CHAPTERS)).description or ""
    assert "Mind the warnings" not in page_text


async def test_the_seed_still_reads_as_before(alice: Reader) -> None:
    jumped = await alice.slash("goto", story=SEED_ID, scene=3)
    assert place_of(jumped) == "Scene 3/5 · Page 1/2"


async def test_stories_show_chapters_and_ratings(alice: Reader) -> None:
    stories = embed_of(await alice.slash("stories"))
    fields = {field.name: field.value or "" for field in stories.fields}
    assert "3 chapters · 5 scenes" in fields["Salt and Cinder"]
    assert "chapter" not in fields["Lay Your Heart Bare"]
    assert "🔞 Mature" in fields["Ashes & Anchors"]
    assert "by Mira Sol" in fields["Ashes & Anchors"]


# --- the info card -------------------------------------------------------------------------


async def test_info_card_shows_the_metadata(alice: Reader) -> None:
    card = embed_of(await alice.slash("info", story=ADULT))
    assert card.title == "Ashes & Anchors"
    fields = {field.name: field.value or "" for field in card.fields}
    assert fields["Rating"].startswith("🔞 Mature")
    assert fields["Warnings"] == ("||Graphic Depictions Of Violence||, ||Major Character Death||")
    assert fields["Characters"] == "Ines, Capt. Rowe"
    assert fields["Chapters"] == "2"
    assert fields["Scenes"] == "4"
    assert fields["Language"] == "English"
    assert "Reading time" in fields
    assert "by **Mira Sol**" in (card.description or "")
    assert "outrun a storm" in (card.description or "")
    assert card.url == "https://example.org/ashes-and-anchors"
    # Readers see no internals (the parser, the file): those are for `python -m bot texts`.
    assert card.footer.text == "The title links to the source."
    seed = embed_of(await alice.slash("info", story=SEED_ID))
    assert seed.footer.text is None
    everything = " ".join(str(part) for part in seed.to_dict().values())
    assert "ao3-workpage" not in everything
    assert ".txt" not in everything


async def test_info_card_stays_within_limits_for_huge_metadata(alice: Reader) -> None:
    result = await alice.slash("info", story=HUGE)
    card = embed_of(result)
    assert embed_length(card) <= 6000
    assert len(card) <= 6000
    assert len(card.title or "") <= 256
    assert len(card.description or "") <= 4096
    assert len(card.fields) <= 25
    fields = {field.name: field.value or "" for field in card.fields}
    for value in fields.values():
        assert 0 < len(value) <= 1024
    assert "more" in fields["Tags"]
    assert "\\*Tag\\* number 0 with\\_underscores" in fields["Tags"]  # escaped
    assert "Character 0 @everyone" in fields["Characters"]
    assert fields["Warnings"] == (
        "The author chose not to use archive warnings: it may hold anything."
    )
    assert "by **Someone \\<@123\\>**" in (card.description or "")  # escaped
    assert card.url == "https://example.org/huge_story"
    assert isinstance(card, discord.Embed)
