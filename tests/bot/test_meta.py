"""Every cog loads into a bot that never connects; every command is one Discord accepts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import discord
from simcord import HttpLogEntry

from bot.client import command_hash, discover_extensions
from bot.settings import Settings
from bot.storage.url import open_storage
from bot.ui.readalong import NEEDED
from tests.bot.harness import FAKE_TOKEN, story_bot
from tests.bot.limits import command_problems, request_problems
from tests.corpus import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


async def test_every_cog_loads_and_every_command_is_valid(tmp_path: Path) -> None:
    extensions = discover_extensions()
    assert "cogs.reading" in extensions
    store = await open_storage(f"sqlite:///{tmp_path / 'meta.db'}", base=tmp_path)
    bot = story_bot(Settings(token=FAKE_TOKEN, shard_count=1), store, sync_commands=False)
    try:
        for name in extensions:
            await bot.load_extension(name)
        assert sorted(bot.extensions) == extensions
        definitions = [command.to_dict(bot.tree) for command in bot.tree.get_commands()]
        assert definitions, "no commands registered"
        assert len(definitions) <= 100
        names = [definition["name"] for definition in definitions]
        assert len(names) == len(set(names)), names
        problems = [p for definition in definitions for p in command_problems(definition)]
        assert not problems, "\n".join(problems)
        assert {"read", "goto", "restart", "progress", "stories"} <= set(names)
        assert len(command_hash(bot.tree)) == 64
        assert_the_readme_lists(definitions)
    finally:
        for name in list(bot.extensions):  # the read-along schedule's task ends with its cog
            await bot.unload_extension(name)
        await store.close()


def assert_the_readme_lists(definitions: list[dict[str, Any]]) -> None:
    """Every command and subcommand has its row in the README's table of commands."""
    table = README.split("## Commands", 1)[1].split("\n## ", 1)[0]
    subcommand = discord.AppCommandOptionType.subcommand.value
    missing = [d["name"] for d in definitions if f"`/{d['name']}" not in table]
    missing += [
        f"{d['name']} {option['name']}"
        for d in definitions
        for option in d.get("options", [])
        if option["type"] == subcommand
        and f"`{option['name']}`" not in table
        and f"/{d['name']} {option['name']}" not in table
    ]
    assert not missing, f"not in the README's commands: {missing}"


def test_the_readme_invite_grants_what_read_alongs_need() -> None:
    needed = discord.Permissions(**dict.fromkeys(NEEDED, True)).value
    assert f"permissions={needed}" in README


def test_the_limit_checks_catch_what_they_should() -> None:
    bad_command = {"name": "Read Me", "description": "", "options": [{"name": "x"}] * 26}
    assert len(command_problems(bad_command)) >= 3
    pinging = HttpLogEntry(
        "POST", "/interactions/1/t/callback", {}, {"type": 4, "data": {"content": "@everyone",
        "allowed_mentions": {"parse": ["everyone"]}}}, None,
    )  # fmt: skip
    assert request_problems(pinging)
    unguarded = HttpLogEntry("POST", "/channels/1/messages", {}, {"content": "hi"}, None)
    assert request_problems(unguarded)
    too_many = HttpLogEntry(
        "POST", "/interactions/1/t/callback", {},
        {"type": 8, "data": {"choices": [{"name": "a", "value": "a"}] * 26}}, None,
    )  # fmt: skip
    assert request_problems(too_many)
