"""Per-reader rate limits: discord.py's `CooldownMapping`, keyed by user id, one per kind of
action, shared by the commands and the buttons of that kind.

They live on the bot (`StoryBot.cooldowns`), so each bot has its own, and in process memory:
with shards in several processes a reader's limit counts per process (said in the README).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

if TYPE_CHECKING:
    from bot.client import StoryBot

T = TypeVar("T")
SWEEP_EVERY = 5.0  # seconds between sweeps of readers idle for a whole window


class Limits(commands.CooldownMapping[discord.Interaction["StoryBot"]]):
    """discord.py's `CooldownMapping`, sweeping idle readers' buckets out at most every few
    seconds: the stock mapping scans every reader's bucket on every action, which costs a
    busy bot more than all the rest of its rate limiting. A bucket not yet swept still
    counts its window correctly, so this changes memory only, never a limit."""

    _swept: float = 0.0

    def _verify_cache_integrity(self, current: float | None = None) -> None:
        current = current or time.time()
        if current - self._swept >= SWEEP_EVERY or current < self._swept:
            self._swept = current
            super()._verify_cache_integrity(current)


def per_reader(rate: int, per: float) -> Limits:
    """At most `rate` actions per `per` seconds for each reader."""
    return Limits(commands.Cooldown(rate, per), lambda interaction: interaction.user.id)


@dataclass(frozen=True, slots=True)
class Cooldowns:
    """The limits of one bot."""

    commands: Limits = field(default_factory=lambda: per_reader(5, 10.0))  # reading commands
    pages: Limits = field(default_factory=lambda: per_reader(5, 10.0))  # page buttons
    # /quote posts publicly: a few per half minute per reader keeps a channel readable.
    quotes: Limits = field(default_factory=lambda: per_reader(3, 30.0))
    # Opening a place from a button: a quote's scene, a search hit, a read-along's part.
    scenes: Limits = field(default_factory=lambda: per_reader(5, 20.0))


def retry_after(limits: Limits, interaction: discord.Interaction[StoryBot]) -> float | None:
    """Count this action; None when allowed, else the seconds until the next is allowed."""
    return limits.update_rate_limit(interaction, interaction.created_at.timestamp())


def cooldown(kind: Callable[[Cooldowns], Limits]) -> Callable[[T], T]:
    """A command check: the reader's limit of `kind` (say, `lambda c: c.commands`), raising
    `CommandOnCooldown` (answered "try again in N seconds") when it is used up."""

    async def predicate(interaction: discord.Interaction[StoryBot]) -> bool:
        limits = kind(interaction.client.cooldowns)
        wait = retry_after(limits, interaction)
        if wait is not None:
            bucket = limits.get_bucket(interaction, interaction.created_at.timestamp())
            assert bucket is not None  # keyed by user: there is always a bucket
            raise app_commands.CommandOnCooldown(bucket, wait)
        return True

    return app_commands.check(predicate)


def reader_cooldown() -> Callable[[T], T]:
    """The reading commands' shared limit."""
    return cooldown(lambda limits: limits.commands)
