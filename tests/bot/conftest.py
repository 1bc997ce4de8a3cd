"""Fixtures: StoryBot inside SimCord, with its store on each backend and the real texts."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
import simcord

from bot.client import StoryBot
from bot.library.library import Library
from bot.settings import Settings
from bot.storage.interface import Storage
from tests.bot.harness import FAKE_TOKEN, RNG_SEED, Reader, seed_library, story_bot
from tests.bot.limits import check_requests


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(token=FAKE_TOKEN, database_url=database_url, shard_count=1)


@pytest.fixture
def library() -> Library:
    return seed_library()


@pytest.fixture
def quote_seed() -> int:
    """The seed of the generator that picks quotes (tests may parametrize it)."""
    return RNG_SEED


@pytest.fixture
def simcord_bot(settings: Settings, store: Storage, library: Library, quote_seed: int) -> StoryBot:
    return story_bot(settings, store, library, rng=random.Random(quote_seed))


@pytest.fixture
def env(simcord_env: simcord.Env) -> Iterator[simcord.Env]:
    """The running environment; afterwards, every request the bot made is checked."""
    yield simcord_env
    check_requests(simcord_env.http_requests)


@pytest.fixture
def channel(env: simcord.Env) -> simcord.ChannelHandle:
    guild = env.create_guild("Readers")
    return guild.create_text_channel("books")


@pytest.fixture
def alice(env: simcord.Env, channel: simcord.ChannelHandle) -> Reader:
    return Reader.join(env, channel, "alice")


@pytest.fixture
def bob(env: simcord.Env, channel: simcord.ChannelHandle) -> Reader:
    return Reader.join(env, channel, "bob")
