"""/mydata journeys in SimCord: export as a JSON file; delete only after a yes."""

from __future__ import annotations

import json
from typing import Any

import simcord

from bot.storage.interface import Storage
from tests.bot.harness import SEED_ID, Reader, anchor_at, labels, message_of, now, seed_story


async def leave_traces(env: simcord.Env, store: Storage, reader: Reader) -> None:
    """A position, a bookmark with a note, a quote seen and a flag."""
    await reader.slash("goto", scene=3, page=2)
    await reader.slash("bookmark add", note="café — “here”")
    await reader.slash("quote", private=True)
    await store.set_flag(reader.id, "theme", "dark", asked_at=now())
    await env.advance_time(10)


async def exported(result: simcord.InteractionResult) -> tuple[str, str, dict[str, Any]]:
    """(file name, message text, parsed JSON) of a /mydata export answer."""
    message = result.followups[-1] if result.followups else message_of(result)
    [attachment] = message.attachments
    return attachment.filename, message.content, json.loads(await attachment.read())


async def test_export_sends_what_is_stored(
    env: simcord.Env, alice: Reader, bob: Reader, store: Storage
) -> None:
    await leave_traces(env, store, alice)
    await leave_traces(env, store, bob)
    result = await alice.slash("mydata export")
    assert result.ephemeral
    callbacks = [e.json for e in env.http_requests if e.path.endswith("/callback")]
    assert callbacks[-1] == {"type": 5, "data": {"flags": 64}}  # deferred first: never late
    name, text, document = await exported(result)
    assert name == f"storybot-data-{alice.id}.json"
    assert "1 reading place, 1 bookmark, 1 quote seen and 1 setting" in text
    expected = (await store.export_user(alice.id)).to_json_dict()
    assert {key: document[key] for key in expected} == expected
    assert document["user_id"] == alice.id
    assert document["positions"][0]["story_id"] == SEED_ID
    place = anchor_at(seed_story(), 2, 1)
    assert document["positions"][0]["place"] == {
        "scene": place.scene,
        "paragraph": place.paragraph,
        "offset": place.offset,
        "text": place.snippet,
    }
    assert document["bookmarks"][0]["note"] == "café — “here”"
    assert len(document["seen_quotes"][SEED_ID]) == 1
    assert document["flags"] == {"theme": "dark"}
    assert "about" in document
    assert str(bob.id) not in json.dumps(document)


async def test_export_of_a_stranger_is_empty(alice: Reader) -> None:
    _, text, document = await exported(await alice.slash("mydata export"))
    assert "0 reading places, 0 bookmarks" in text
    assert document["positions"] == document["bookmarks"] == []


async def test_delete_asks_cancel_keeps_confirm_erases(
    env: simcord.Env, alice: Reader, bob: Reader, store: Storage
) -> None:
    await leave_traces(env, store, alice)
    await leave_traces(env, store, bob)
    before_alice = (await store.export_user(alice.id)).to_json_dict()
    before_bob = (await store.export_user(bob.id)).to_json_dict()

    asked = message_of(await alice.slash("mydata delete"))
    assert asked.ephemeral
    assert labels(asked) == ["Delete everything", "Cancel"]
    assert "1 bookmark" in asked.content
    cancelled = await alice.click(asked, "Cancel")
    assert message_of(cancelled).content == "Cancelled: nothing was deleted."
    assert labels(message_of(cancelled)) == []
    assert (await store.export_user(alice.id)).to_json_dict() == before_alice

    asked = message_of(await alice.slash("mydata delete"))
    done = await alice.click(asked, "Delete everything")
    text = message_of(done).content
    assert text.startswith("Done: deleted 1 reading place, 1 bookmark, 1 quote seen and 1 setting")
    assert (await store.export_user(alice.id)).is_empty
    assert await store.get_position(alice.id, SEED_ID) is None
    assert (await store.export_user(bob.id)).to_json_dict() == before_bob

    nothing = message_of(await alice.slash("mydata delete"))
    assert "nothing to delete" in nothing.content
    assert labels(nothing) == []
