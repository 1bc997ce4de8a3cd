"""One reader's whole journey across the cogs, with a restart in the middle and a meddler."""

from __future__ import annotations

import json

import simcord

from bot.settings import Settings
from bot.storage.errors import BookmarkNotFound
from bot.storage.interface import Storage
from tests.bot.harness import (
    SAVED,
    SEED_ID,
    Reader,
    custom_ids,
    embed_of,
    expect_errors,
    labels,
    message_of,
    place_of,
    reopened_store,
    seed_library,
    story_bot,
    text_of,
)
from tests.bot.harness import SEED_PLACES as PLACES
from tests.bot.harness import saved as where


async def test_a_readers_whole_journey(
    env: simcord.Env,
    alice: Reader,
    bob: Reader,
    *,
    settings: Settings,
    store: Storage,
) -> None:
    # A new reader opens the seed in the channel and reads the first pages.
    first = await alice.read(public=True)
    page = message_of(first)
    assert place_of(first) == PLACES[0]
    for expected in PLACES[1:3]:
        assert place_of(await alice.turn(page)) == expected
    assert await where(store, alice) == SAVED[2]

    # A second reader presses the first one's buttons: nothing of alice's changes.
    for label in ("Next", "Previous", "Bookmark"):
        meddled = await bob.turn(page, label)
        assert message_of(meddled).ephemeral
        assert "someone else's page" in text_of(meddled)
    assert await where(store, alice) == SAVED[2]
    assert await store.list_bookmarks(alice.id) == []
    old_next = custom_ids(page)["Next"]

    # The bot restarts mid-story (a new instance on the same database file).
    await env.settle()
    await store.close()
    async with reopened_store(settings) as reopened:
        await env.restart_bot(story_bot(settings, reopened, seed_library()))
        await env.advance_time(3)

        # The old button continues from the same page, then Next to the ending.
        resumed = await alice.actor.click(page, custom_id=old_next)
        assert place_of(resumed) == PLACES[3]
        for expected in PLACES[4:]:
            assert place_of(await alice.turn(page)) == expected
        ending = await alice.turn(page)
        assert embed_of(ending).title == "The end"
        assert await where(reopened, alice) == SAVED[-1]
        meddled = await bob.turn(page, "Start again")
        assert "someone else's page" in text_of(meddled)
        assert await where(reopened, alice) == SAVED[-1]

        # A quote, shared publicly; bob reads its scene without moving anyone.
        await env.advance_time(10)
        quoted = message_of(await alice.slash("quote"))
        assert not quoted.ephemeral
        assert "Lay Your Heart Bare" in (quoted.embeds[0].footer.text or "")
        scene = await bob.click(quoted, "Read this scene")
        assert message_of(scene).ephemeral
        assert await where(reopened, alice) == SAVED[-1]
        assert await where(reopened, bob) is None

        # Bookmarks: go back, keep the place with a note, read on, open the bookmark.
        await env.advance_time(10)
        await alice.slash("goto", scene=3, page=2)
        marked = await alice.slash("bookmark add", note="the confession")
        assert "Bookmarked scene 3, page 2" in text_of(marked)
        await alice.slash("goto", scene=1)
        [mark] = await reopened.list_bookmarks(alice.id)
        choices = await alice.actor.autocomplete(alice.channel, "bookmark open", "bookmark", "")
        assert choices == [
            {
                "name": "Lay Your Heart Bare — Scene 3, page 2 — the confession",
                "value": str(mark.id),
            }
        ]
        await env.advance_time(10)
        opened = await alice.slash("bookmark open", bookmark=str(mark.id))
        assert place_of(opened) == PLACES[3]
        assert await where(reopened, alice) == SAVED[3]
        stolen = await bob.slash("bookmark open", bookmark=str(mark.id))
        assert "doesn't exist" in text_of(stolen)
        expect_errors(env, BookmarkNotFound)
        assert await where(reopened, bob) is None

        # Export, then delete everything.
        await env.advance_time(10)
        export = await alice.slash("mydata export")
        message = export.followups[-1] if export.followups else message_of(export)
        [attachment] = message.attachments
        document = json.loads(await attachment.read())
        assert document["bookmarks"][0]["note"] == "the confession"
        assert document["positions"][0]["place"]["scene"] == 2
        assert len(document["seen_quotes"][SEED_ID]) == 1

        asked = message_of(await alice.slash("mydata delete"))
        done = await alice.click(asked, "Delete everything")
        assert message_of(done).content.startswith("Done: deleted 1 reading place, 1 bookmark")
        assert labels(message_of(done)) == []
        assert (await reopened.export_user(alice.id)).is_empty
        assert await reopened.list_bookmarks(alice.id) == []

        # Starting again is a fresh start.
        await env.advance_time(10)
        assert place_of(await alice.read()) == PLACES[0]
        await env.settle()
        await env.shutdown()
