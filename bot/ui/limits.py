"""Per-reader rate limits for commands and buttons (keyed by user id)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

import discord
from discord import app_commands

if TYPE_CHECKING:
    from bot.client import StoryBot

T = TypeVar("T")


@dataclass(slots=True)
class RateLimiter:
    """At most `rate` hits per `per` seconds for each key (a sliding window)."""

    rate: int
    per: float
    _hits: dict[int, deque[float]] = field(default_factory=dict, repr=False)

    def hit(self, key: int) -> float | None:
        """Count a hit; None if allowed, else the seconds until the next is allowed."""
        now = time.monotonic()
        window = self._hits.setdefault(key, deque())
        while window and now - window[0] >= self.per:
            window.popleft()
        if len(window) >= self.rate:
            return self.per - (now - window[0])
        window.append(now)
        if len(self._hits) > 10_000:  # forget idle readers now and then
            self._hits = {k: v for k, v in self._hits.items() if v and now - v[-1] < self.per}
        return None


@dataclass(frozen=True, slots=True)
class ReaderLimits:
    """The limits of one bot: slash commands and buttons count separately."""

    commands: RateLimiter = field(default_factory=lambda: RateLimiter(5, 10.0))
    buttons: RateLimiter = field(default_factory=lambda: RateLimiter(5, 10.0))


def reader_cooldown() -> Callable[[T], T]:
    """A check: the reader's command limit (`bot.limits.commands`), as `CommandOnCooldown`."""

    async def predicate(interaction: discord.Interaction[StoryBot]) -> bool:
        limiter = interaction.client.limits.commands
        retry_after = limiter.hit(interaction.user.id)
        if retry_after is not None:
            raise app_commands.CommandOnCooldown(
                app_commands.Cooldown(limiter.rate, limiter.per), retry_after
            )
        return True

    return app_commands.check(predicate)
