"""Helpers to drive StoryBot through SimCord the way readers do. Reusable by every cog's tests."""

from __future__ import annotations

import contextlib
import functools
import random
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
import simcord

from bot.client import StoryBot
from bot.library.anchors import Anchor, Place, anchor_of, locate
from bot.library.library import Library
from bot.library.loader import load_library
from bot.library.model import Story
from bot.services import build_services
from bot.settings import DEFAULT_TEXTS_DIR, PROJECT_DIR, Settings
from bot.storage.interface import Storage
from bot.storage.url import open_storage

FAKE_TOKEN = "MTAxMDEwMTAxMDEwMTAxMDEw.GabcDe.abcdefghijklmnopqrstuvwxyz0123"
SEED_ID = "lay-your-heart-bare"


@functools.cache
def _seed() -> Library:
    library, _ = load_library(DEFAULT_TEXTS_DIR)
    return library


def seed_library() -> Library:
    """The bundled texts, loaded once per test session (Library is immutable)."""
    return _seed()


RNG_SEED = 20261201
"""Quotes are picked by a seeded generator in tests, so every run picks the same lines."""


def story_bot(
    settings: Settings,
    store: Storage,
    library: Library | None = None,
    *,
    rng: random.Random | None = None,
    **options: Any,
) -> StoryBot:
    """A StoryBot as `__main__` builds one: its services over `store` and `library` (the
    bundled texts by default), quotes picked by a seeded generator."""
    services = build_services(store, library or seed_library(), rng=rng or random.Random(RNG_SEED))
    return StoryBot(settings=settings, store=store, services=services, **options)


FIXTURES_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "formats"


def texts_library(folder: Path, *fixtures: str, extra: dict[str, str] | None = None) -> Library:
    """A library from a texts folder of our own: the seed, the named format fixtures, and
    `extra` files (name -> text) written there, loaded the way the bot loads `texts/`."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(DEFAULT_TEXTS_DIR / f"{SEED_ID}.txt", folder)
    for name in fixtures:
        shutil.copy(FIXTURES_DIR / name, folder)
    for name, text in (extra or {}).items():
        (folder / name).write_text(text, encoding="utf-8")
    library, skipped = load_library(folder)
    assert not skipped, skipped
    return library


def age_restrict(env: simcord.Env, channel: simcord.ChannelHandle) -> None:
    """Mark `channel` age-restricted (18+) as the bot sees it.

    SimCord 3.2 does not model a channel's `nsfw` flag, so it is set on the bot's cached
    channel, which is what `interaction.channel` resolves to (and what a thread's
    `is_nsfw()` asks through its parent).
    """
    cached = env.bot.get_channel(channel.id)
    assert isinstance(cached, discord.TextChannel), cached
    cached.nsfw = True


def message_of(result: simcord.InteractionResult) -> simcord.ResponseMessage:
    response = result.response
    assert response is not None, f"no response: {result!r}"
    return response


def embed_of(result: simcord.InteractionResult) -> discord.Embed:
    embeds = message_of(result).embeds
    assert len(embeds) == 1, embeds
    return embeds[0]


def place_of(result: simcord.InteractionResult) -> str:
    """The `Scene x/y · Page p/q` line of a page reply."""
    name = embed_of(result).author.name
    assert name is not None
    return name


def text_of(result: simcord.InteractionResult) -> str:
    """What the reader is told privately: the content of the reply (or the last follow-up)."""
    followups = result.followups
    message = followups[-1] if followups else message_of(result)
    return message.content


def labels(message: simcord.ResponseMessage | discord.Message) -> list[str]:
    rows: list[Any] = (
        message.components
        if isinstance(message, simcord.ResponseMessage)
        else [row.to_dict() for row in message.components]
    )
    return [child.get("label", "") for row in rows for child in row.get("components", [])]


def custom_ids(message: simcord.ResponseMessage) -> dict[str, str]:
    """Button label -> custom_id of a message."""
    return {
        child["label"]: child["custom_id"]
        for row in message.components
        for child in row.get("components", [])
        if "custom_id" in child
    }


@dataclass
class Reader:
    """A member of the test guild, reading in one channel."""

    env: simcord.Env
    channel: simcord.ChannelHandle
    actor: simcord.MemberActor

    @classmethod
    def join(cls, env: simcord.Env, channel: simcord.ChannelHandle, name: str) -> Reader:
        guild = env.guild
        return cls(env, channel, guild.add_member(env.create_user(name)))

    @property
    def id(self) -> int:
        return self.actor.id

    async def slash(self, name: str, /, **options: Any) -> simcord.InteractionResult:
        return await self.actor.slash(self.channel, name, **options)

    async def read(self, **options: Any) -> simcord.InteractionResult:
        return await self.slash("read", **options)

    async def click(
        self, message: simcord.ResponseMessage | discord.Message, label: str
    ) -> simcord.InteractionResult:
        return await self.actor.click(message, label=label)

    async def turn(
        self, message: simcord.ResponseMessage | discord.Message, label: str = "Next"
    ) -> simcord.InteractionResult:
        """Click after a reader's pause (2 s of virtual time), as people read before turning."""
        await self.env.advance_time(2.5)
        return await self.click(message, label)


SEED_PLACES = [
    "Scene 1/5 · Page 1/1",
    "Scene 2/5 · Page 1/1",
    "Scene 3/5 · Page 1/2",
    "Scene 3/5 · Page 2/2",
    "Scene 4/5 · Page 1/1",
    "Scene 5/5 · Page 1/1",
]
"""The seed story's pages in reading order, as a page's embed names them."""
SAVED = [(0, 0), (1, 0), (2, 0), (2, 1), (3, 0), (4, 0)]
"""The same pages as stored places (0-based scene, page)."""


@contextlib.asynccontextmanager
async def reopened_store(settings: Settings) -> AsyncIterator[Storage]:
    """The bot's database opened anew, as a restarted bot opens it; closed afterwards."""
    store = await open_storage(settings.database_url, base=PROJECT_DIR)
    try:
        yield store
    finally:
        await store.close()


def now() -> datetime:
    """The time to say a write was asked for, in tests that call services or the store."""
    return datetime.now(UTC)


def seed_story() -> Story:
    return seed_library().get(SEED_ID)


def page_place(story: Story, place: Place) -> tuple[int, int]:
    """The (scene, page) of the page a stored place points at in `story`, 0-based."""
    page = locate(story, place)[0]
    return page.scene, page.number


def anchor_at(story: Story, scene: int, page: int) -> Anchor:
    """The anchor of page `page` of scene `scene` (0-based)."""
    return anchor_of(story, story.scenes[scene].pages[page])


async def put_place(store: Storage, user_id: int, story: Story, scene: int, page: int) -> None:
    """Save a reader's place as the bot does: the anchor of that page."""
    await store.save_position(user_id, story.id, anchor_at(story, scene, page), asked_at=now())


async def saved_place(store: Storage, user_id: int, story: Story) -> tuple[int, int] | None:
    """The (scene, page) of the reader's stored place in `story`, if any."""
    position = await store.get_position(user_id, story.id)
    return None if position is None else page_place(story, position.place)


async def saved(store: Storage, reader: Reader) -> tuple[int, int] | None:
    """The reader's stored place in the seed story, if any."""
    return await saved_place(store, reader.id, seed_story())


def expect_errors(env: simcord.Env, *kinds: type[BaseException]) -> None:
    """Acknowledge the errors the bot handled (SimCord records them); check their types."""
    seen = [getattr(error, "original", error) for error in env.errors]
    assert [type(error) for error in seen] == list(kinds) or all(
        isinstance(error, kind) for error, kind in zip(seen, kinds, strict=True)
    ), seen


async def click_together(
    env: simcord.Env,
    actor: simcord.MemberActor,
    message: simcord.ResponseMessage,
    label: str,
    times: int,
) -> list[simcord.InteractionResult]:
    """Press one button `times` times in the same instant (as a double click does)."""
    return await press_together(env, [(actor, message, label)] * times)


Press = tuple[simcord.MemberActor, simcord.ResponseMessage, str]


async def press_together(env: simcord.Env, presses: list[Press]) -> list[simcord.InteractionResult]:
    """Press buttons (whose, on which message, which label) all in the same instant.

    SimCord's `click` runs one interaction to completion; here the INTERACTION_CREATE events
    are emitted together and then settled, so the bot handles them concurrently. This uses
    SimCord's backend (importable, not public API): keep it confined to this helper.
    """
    from simcord.backend import serializers
    from simcord.enums import ComponentType, InteractionType
    from simcord.interactions import base_payload

    backend = env.backend
    records = []
    for actor, message, label in presses:
        stored = backend.get_message(message.channel_id, message.id)
        [custom_id] = [cid for name, cid in custom_ids(message).items() if name == label]
        guild_id = backend.get_channel(message.channel_id).guild_id
        record, payload = base_payload(
            backend,
            type=InteractionType.MESSAGE_COMPONENT,
            channel_id=message.channel_id,
            guild_id=guild_id,
            user_id=actor.id,
            data={"custom_id": custom_id, "component_type": ComponentType.BUTTON},
        )
        payload["message"] = dict(serializers.message_payload(backend, stored))
        record.source_message_id = stored.id
        records.append(record)
        backend.emit("INTERACTION_CREATE", payload)
    await env.settle()
    return [simcord.InteractionResult(env, record) for record in records]
