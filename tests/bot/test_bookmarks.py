"""/bookmark journeys in SimCord: add, list, open, remove, limits, privacy, autocomplete."""

from __future__ import annotations

import simcord

from bot.services.bookmarks import NotStarted
from bot.storage.errors import BookmarkLimitReached, BookmarkNotFound
from bot.storage.interface import Storage
from tests.bot.harness import (
    SEED_ID,
    Reader,
    embed_of,
    expect_errors,
    labels,
    message_of,
    page_place,
    place_of,
    saved,
    seed_story,
    text_of,
)

PAUSE = 2.1  # commands allow 5 per 10 s per reader


async def test_add_list_open_remove(env: simcord.Env, alice: Reader, store: Storage) -> None:
    await alice.slash("goto", scene=3, page=2)
    await env.advance_time(PAUSE)
    added = await alice.slash("bookmark add", note="the *courtroom* @everyone")
    assert message_of(added).ephemeral
    assert "Bookmarked scene 3, page 2 of **Lay Your Heart Bare**" in text_of(added)
    assert "\\*courtroom\\*" in text_of(added)
    await env.advance_time(PAUSE)
    await alice.slash("goto", scene=1)
    await env.advance_time(PAUSE)
    plain = await alice.slash("bookmark add")
    assert "scene 1, page 1" in text_of(plain)
    marks = sorted(
        await store.list_bookmarks(alice.id), key=lambda m: page_place(seed_story(), m.place)
    )  # in reading order: scene 1, then scene 3
    assert [(page_place(seed_story(), m.place), m.note) for m in marks] == [
        ((0, 0), None),
        ((2, 1), "the *courtroom* @everyone"),
    ]

    await env.advance_time(PAUSE)
    listed = await alice.slash("bookmark list")
    assert message_of(listed).ephemeral
    embed = embed_of(listed)
    description = embed.description or ""
    assert "**Lay Your Heart Bare**" in description
    assert "Scene 3 · Page 2 — “the \\*courtroom\\* @everyone”" in description
    assert "Scene 1 · Page 1 · <t:" in description
    assert description.index("Scene 1 ·") < description.index("Scene 3 ·")

    await env.advance_time(PAUSE)
    choices = await alice.actor.autocomplete(alice.channel, "bookmark open", "bookmark", "court")
    assert choices == [
        {
            "name": "Lay Your Heart Bare — Scene 3, page 2 — the *courtroom* @everyone",
            "value": str(marks[1].id),
        }
    ]
    opened = await alice.slash("bookmark open", bookmark=str(marks[1].id))
    page = message_of(opened)
    assert page.ephemeral
    assert place_of(opened) == "Scene 3/5 · Page 2/2"
    assert "reading place in **Lay Your Heart Bare** is now scene 3, page 2" in page.content
    assert labels(page) == ["Previous", "Next", "Bookmark"]
    assert await saved(store, alice) == (2, 1)
    turned = await alice.turn(page)
    assert place_of(turned) == "Scene 4/5 · Page 1/1"

    await env.advance_time(PAUSE)
    removed = await alice.slash("bookmark remove", bookmark=str(marks[0].id))
    assert "Removed your bookmark at scene 1, page 1" in text_of(removed)
    assert [m.id for m in await store.list_bookmarks(alice.id)] == [marks[1].id]
    await env.advance_time(PAUSE)
    again = await alice.slash("bookmark remove", bookmark=str(marks[0].id))
    assert text_of(again) == BookmarkNotFound.user_message
    expect_errors(env, BookmarkNotFound)


async def test_note_too_long_and_not_started(
    env: simcord.Env, alice: Reader, store: Storage
) -> None:
    early = await alice.slash("bookmark add", note="first page")
    assert "You haven't opened “Lay Your Heart Bare” yet" in text_of(early)
    await alice.read()
    long = await alice.slash("bookmark add", note="x" * 101)
    assert message_of(long).ephemeral
    assert text_of(long) == "A bookmark note can be at most 100 characters; yours has 101."
    assert await store.list_bookmarks(alice.id) == []
    ok = await alice.slash("bookmark add", note="y" * 100)
    assert "y" * 100 in text_of(ok)
    expect_errors(env, NotStarted, Exception)


async def test_twenty_five_per_story_and_the_list_fits(env: simcord.Env, alice: Reader) -> None:
    await alice.read()
    for number in range(25):
        await env.advance_time(PAUSE)
        result = await alice.slash("bookmark add", note=f"{number:02d} " + "*_" * 48)
        assert "Bookmarked" in text_of(result), text_of(result)
    await env.advance_time(PAUSE)
    full = await alice.slash("bookmark add", note="one too many")
    assert text_of(full) == (
        "You already have 25 bookmarks in this story. Remove one to add another."
    )
    expect_errors(env, BookmarkLimitReached)

    await env.advance_time(PAUSE)
    listed = embed_of(await alice.slash("bookmark list"))
    description = listed.description or ""
    assert len(description) <= 4096
    assert len(listed) <= 6000
    assert description.count("• Scene 1 · Page 1") == 25  # all of them, notes cut to fit
    assert "25 bookmarks" in (listed.footer.text or "")

    await env.advance_time(PAUSE)
    choices = await alice.actor.autocomplete(alice.channel, "bookmark open", "bookmark", "")
    assert len(choices) == 25
    assert all(1 <= len(choice["name"]) <= 100 for choice in choices)
    some = await alice.actor.autocomplete(alice.channel, "bookmark remove", "bookmark", "07")
    assert len(some) == 1


async def test_nobody_sees_or_touches_another_readers_bookmarks(
    env: simcord.Env, alice: Reader, bob: Reader, store: Storage
) -> None:
    await alice.slash("goto", scene=4)
    await alice.slash("bookmark add", note="alice's secret")
    [mark] = await store.list_bookmarks(alice.id)

    assert await bob.actor.autocomplete(bob.channel, "bookmark open", "bookmark", "") == []
    listed = embed_of(await bob.slash("bookmark list"))
    assert "no bookmarks" in (listed.description or "")
    opened = await bob.slash("bookmark open", bookmark=str(mark.id))
    assert text_of(opened) == BookmarkNotFound.user_message
    assert message_of(opened).ephemeral
    removed = await bob.slash("bookmark remove", bookmark=str(mark.id))
    assert text_of(removed) == BookmarkNotFound.user_message
    typed = await bob.slash("bookmark open", bookmark="alice's secret")
    assert "Pick one of your bookmarks" in text_of(typed)
    assert await store.list_bookmarks(alice.id) == [mark]
    assert await store.get_position(bob.id, SEED_ID) is None
    expect_errors(env, BookmarkNotFound, BookmarkNotFound, BookmarkNotFound)
