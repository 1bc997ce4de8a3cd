"""/admin journeys in SimCord: only the owner; reload clamps readers and tells them; sync."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import discord
import pytest
import simcord

from bot.client import StoryBot
from bot.library.render import unescape
from bot.settings import Settings
from bot.storage.interface import Storage
from tests.bot.harness import (
    FAKE_TOKEN,
    SEED_ID,
    Reader,
    embed_of,
    expect_errors,
    message_of,
    page_place,
    place_of,
    text_of,
)

SEED_FILE = Path(__file__).resolve().parents[2] / "texts" / f"{SEED_ID}.txt"


@pytest.fixture
def texts(tmp_path: Path) -> Path:
    folder = tmp_path / "texts"
    folder.mkdir()
    shutil.copy(SEED_FILE, folder / SEED_FILE.name)
    return folder


@pytest.fixture
def settings(database_url: str, texts: Path) -> Settings:
    return Settings(token=FAKE_TOKEN, database_url=database_url, texts_dir=texts, shard_count=1)


@pytest.fixture
def admin_role(env: simcord.Env, channel: simcord.ChannelHandle) -> simcord.RoleHandle:
    return env.guild.create_role("Admins", permissions=discord.Permissions(administrator=True))


@pytest.fixture
def owner(
    env: simcord.Env,
    channel: simcord.ChannelHandle,
    admin_role: simcord.RoleHandle,
    simcord_bot: StoryBot,
) -> Reader:
    actor = env.guild.add_member(env.create_user("owner"), roles=[admin_role])
    simcord_bot.settings = dataclasses.replace(
        simcord_bot.settings, owner_ids=frozenset({actor.id})
    )
    return Reader(env, channel, actor)


@pytest.fixture
def mallory(
    env: simcord.Env, channel: simcord.ChannelHandle, admin_role: simcord.RoleHandle
) -> Reader:
    """A server administrator who does not own the bot."""
    return Reader(
        env, channel, env.guild.add_member(env.create_user("mallory"), roles=[admin_role])
    )


def shorten(texts: Path, lines: int = 100) -> None:
    path = texts / SEED_FILE.name
    kept = path.read_text(encoding="utf-8").splitlines()[:lines]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")


async def test_non_owners_are_refused(
    env: simcord.Env, owner: Reader, mallory: Reader, alice: Reader
) -> None:
    assert "admin reload" not in alice.actor.available_commands(alice.channel)
    assert "admin reload" in mallory.actor.available_commands(mallory.channel)
    for command in ("admin reload", "admin sync"):
        refused = await mallory.slash(command)
        assert message_of(refused).ephemeral
        assert text_of(refused) == "Only the bot's owner can use this command."
    # NotOwner (a CheckFailure); the extension's module is loaded anew, so match the base.
    expect_errors(env, discord.app_commands.CheckFailure, discord.app_commands.CheckFailure)


async def test_reload_clamps_a_reader_and_tells_them_once(
    env: simcord.Env, owner: Reader, alice: Reader, *, store: Storage, texts: Path,
    simcord_bot: StoryBot,
) -> None:  # fmt: skip
    await alice.slash("goto", scene=5)
    await alice.slash("quote", private=True)  # the quotes of the old text are found
    holder = simcord_bot.services.library
    old = holder.current
    shorten(texts)
    (texts / "new-story.txt").write_text(
        "A New Story\n\nSomething happens, and then it ends.\n", encoding="utf-8"
    )
    (texts / "broken.txt").write_bytes(b"\x00\x01\x02" * 100)

    result = await owner.slash("admin reload")
    assert message_of(result).ephemeral or result.ephemeral
    report = embed_of(result)
    assert report.title == "Texts reloaded"
    assert (report.description or "").startswith("Now serving 2 stories")  # not "storys"
    fields = {field.name: field.value or "" for field in report.fields}
    assert "Lay Your Heart Bare (5 scenes, 6 pages → 2 scenes, 2 pages)" in fields["Changed (1)"]
    assert "New Story (1 scene, 1 page)" in fields["Added (1)"]
    assert "broken.txt: " in fields["Skipped files (1)"]
    assert "1 reader" in fields["Readers moved"]
    assert holder.current is not old
    await env.advance_time(31)  # past the limit of /quote
    scenes = holder.current.get(SEED_ID).scenes
    new_text = "\n".join(p.text for scene in scenes for p in scene.paragraphs)
    for _ in range(3):  # quotes now come from the new text
        quoted = embed_of(await alice.slash("quote", private=True, story=SEED_ID))
        assert unescape(quoted.description or "") in new_text

    position = await store.get_position(alice.id, SEED_ID)
    assert position is not None
    assert position.notice is not None  # told on the next /read
    assert page_place(holder.current.get(SEED_ID), position.place) == (1, 0)
    await env.advance_time(10)
    told = await alice.read()
    assert place_of(told) == "Scene 2/2 · Page 1/1"
    notice = message_of(told).content
    assert "“Lay Your Heart Bare” was changed" in notice
    assert "the page you were on (scene 5) is gone" in notice
    assert "the last page (scene 2, page 1)" in notice
    again = await alice.read()
    assert message_of(again).content == ""
    assert place_of(again) == "Scene 2/2 · Page 1/1"


async def test_reload_of_an_empty_folder_keeps_the_old_library(
    env: simcord.Env, owner: Reader, alice: Reader, texts: Path, simcord_bot: StoryBot
) -> None:
    old = simcord_bot.services.library.current
    (texts / SEED_FILE.name).unlink()
    (texts / "empty.txt").write_text("", encoding="utf-8")
    result = await owner.slash("admin reload")
    embed = embed_of(result)
    assert embed.title == "Reload failed: nothing changed"
    assert "No usable story" in (embed.description or "")
    assert "empty.txt" in (embed.description or "")
    assert "Still serving the 1 story loaded before." in (embed.description or "")
    assert simcord_bot.services.library.current is old
    assert place_of(await alice.read()) == "Scene 1/5 · Page 1/1"


async def test_reload_with_nothing_changed(owner: Reader) -> None:
    report = embed_of(await owner.slash("admin reload"))
    assert report.description == "Now serving 1 story — nothing changed."
    assert not report.fields


async def test_sync_reports_how_many(
    env: simcord.Env, owner: Reader, simcord_bot: StoryBot, store: Storage
) -> None:
    count = len(simcord_bot.tree.get_commands())
    result = await owner.slash("admin sync")
    assert result.ephemeral
    assert text_of(result) == (
        f"Synced {count} commands globally (Discord apps may take a minute to show changes)."
    )
    assert await store.get_meta("command_hash")

    guild_id = env.guild.id
    simcord_bot.settings = dataclasses.replace(simcord_bot.settings, dev_guild_id=guild_id)
    in_guild = await owner.slash("admin sync")
    assert text_of(in_guild).startswith(f"Synced {count} commands to the dev guild {guild_id}")
