"""Start-up: command sync only when needed, the dev guild, the CLI, and slow work deferred."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from datetime import datetime
from pathlib import Path

import pytest
import simcord

from bot.__main__ import main
from bot.client import COMMAND_HASH_KEY, StoryBot, command_hash
from bot.library.model import Story
from bot.services.reading import PageView, ReadingService
from bot.settings import Settings
from bot.storage.interface import Storage
from tests.bot.harness import Reader, message_of, place_of, seed_library, story_bot


def command_puts(env: simcord.Env) -> list[str]:
    return [
        entry.path
        for entry in env.http_requests
        if entry.method == "PUT" and entry.path.endswith("/commands")
    ]


async def test_commands_sync_once_then_only_when_changed(
    env: simcord.Env, settings: Settings, store: Storage, simcord_bot: StoryBot
) -> None:
    assert len(command_puts(env)) == 1
    assert await store.get_meta(COMMAND_HASH_KEY) == command_hash(simcord_bot.tree)

    await env.restart_bot(story_bot(settings, store, seed_library()))
    assert len(command_puts(env)) == 1  # same definitions: no second sync

    await store.set_meta(COMMAND_HASH_KEY, "stale")
    await env.restart_bot(story_bot(settings, store, seed_library()))
    assert len(command_puts(env)) == 2


async def test_a_dev_guild_gets_the_commands_at_once(
    env: simcord.Env, settings: Settings, store: Storage, channel: simcord.ChannelHandle
) -> None:
    guild_id = env.guild.id
    dev = dataclasses.replace(settings, dev_guild_id=guild_id)
    await env.restart_bot(story_bot(dev, store, seed_library()))
    assert command_puts(env)[-1].endswith(f"/guilds/{guild_id}/commands")
    reader = Reader.join(env, channel, "dora")
    assert place_of(await reader.read()) == "Scene 1/5 · Page 1/1"


async def test_slow_work_is_deferred_then_shown(
    env: simcord.Env, alice: Reader, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = ReadingService.open

    async def slow_open(
        self: ReadingService, user_id: int, story: Story, *, at: datetime
    ) -> PageView:
        await asyncio.sleep(2.5)  # a database under load
        return await original(self, user_id, story, at=at)

    monkeypatch.setattr(ReadingService, "open", slow_open)
    result = await alice.read()
    await env.advance_time(3)
    callbacks = [
        entry.json.get("type")
        for entry in env.http_requests
        if entry.path.endswith("/callback") and isinstance(entry.json, dict)
    ]
    assert callbacks == [5]  # deferred ("thinking"), privately...
    edits = [e for e in env.http_requests if e.method == "PATCH" and "@original" in e.path]
    assert len(edits) == 1  # ...then the page replaced the placeholder
    assert message_of(result).ephemeral
    assert place_of(result) == "Scene 1/5 · Page 1/1"


def test_the_texts_tool_runs_from_the_main_entry_point(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("TEXTS_DIR", raising=False)
    assert main(["texts"]) == 0
    assert "Lay Your Heart Bare" in capsys.readouterr().out


async def test_an_answer_after_the_token_expired_is_one_warning(
    env: simcord.Env,
    alice: Reader,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    original = ReadingService.open

    async def stuck_open(
        self: ReadingService, user_id: int, story: Story, *, at: datetime
    ) -> PageView:
        await asyncio.sleep(16 * 60)  # past the 15 minutes an interaction's token lives
        return await original(self, user_id, story, at=at)

    monkeypatch.setattr(ReadingService, "open", stuck_open)
    with caplog.at_level(logging.WARNING):
        await alice.read()
        await env.advance_time(16 * 60 + 1)
    said = [record for record in caplog.records if "expired" in record.getMessage()]
    assert len(said) == 1
    assert said[0].levelno == logging.WARNING
    assert said[0].exc_info is None  # a line, not a traceback
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
