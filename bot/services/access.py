"""Who may be served a story where: the gate before every page. Knows nothing of Discord.

Discord's rule (docs/DISCORD.md): content for adults belongs only in age-restricted channels.
A story rated Mature or Explicit is therefore served

- in an age-restricted channel (a thread counts as its parent);
- in a direct message, once the reader has confirmed they are 18 or older;
- nowhere else.

`may_serve` is the only place this rule is written. `AccessService.decide` adds the once-per-
story archive warnings and is what every entry point (commands, buttons, quotes) asks; it
also records the reader's answers to its prompts.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.errors import UserError
from bot.library.model import Story
from bot.library.wording import truncate
from bot.storage.interface import Storage

ADULT_RATINGS = frozenset({"mature", "explicit"})
NO_WARNINGS = "no archive warnings apply"
CHOSE_NOT_TO_WARN = "creator chose not to use archive warnings"
# Per-user flags (in the store): the age confirmation, and warnings seen for a story.
ADULT_FLAG = "adult_ok"
WARNED_FLAG_PREFIX = "warned:"


class Access(enum.Enum):
    """What may happen with a story here."""

    SERVE = "serve"  # show it
    CONFIRM_AGE = "confirm"  # in a DM: ask the reader to confirm their age first
    REFUSE = "refuse"  # not here: explain where it can be read


def is_adult(story: Story) -> bool:
    """True when the story is rated Mature or Explicit (any case, surrounding spaces ignored)."""
    rating = story.metadata.rating
    return rating is not None and rating.strip().casefold() in ADULT_RATINGS


def may_serve(story: Story, *, channel_is_nsfw: bool, in_dm: bool, adult_confirmed: bool) -> Access:
    """Whether `story` may be shown here: the only place this rule is written."""
    if not is_adult(story) or channel_is_nsfw:
        return Access.SERVE
    if in_dm:
        return Access.SERVE if adult_confirmed else Access.CONFIRM_AGE
    return Access.REFUSE


def warnings_to_show(story: Story) -> tuple[str, ...]:
    """The archive warnings a reader is shown once before the first page.

    "No Archive Warnings Apply" warns of nothing, and "Creator Chose Not To Use Archive
    Warnings" is a note (see `warning_note`), not a warning to stop for.
    """
    return tuple(
        warning
        for warning in story.metadata.warnings
        if warning.strip() and warning.strip().casefold() not in (NO_WARNINGS, CHOSE_NOT_TO_WARN)
    )


def asks_nothing(story: Story) -> bool:
    """True for a story served to anyone, anywhere, with nothing to confirm or show first
    (not rated for adults, no warnings): the gate can let every reader straight through."""
    return not is_adult(story) and not warnings_to_show(story)


def warning_note(story: Story) -> str | None:
    """A note when the author chose not to use archive warnings, else None."""
    if any(w.strip().casefold() == CHOSE_NOT_TO_WARN for w in story.metadata.warnings):
        return "The author chose not to use archive warnings: it may hold anything."
    return None


def warned_flag(story: Story) -> str:
    return f"{WARNED_FLAG_PREFIX}{story.id}"


class NotHere(UserError):
    """An adult story asked for outside an age-restricted channel or a confirmed DM."""

    def __init__(self, story: Story) -> None:
        title = truncate(story.title, 100)
        rating = (story.metadata.rating or "Mature").strip()[:40]
        super().__init__(
            f"“{title}” is rated {rating}, so I only show it in age-restricted (18+) channels, "
            "or in a direct message with me once you confirm you are 18 or older. "
            "Ask a moderator for an age-restricted channel, or send me /read in a DM."
        )
        self.story = story


@dataclass(frozen=True, slots=True)
class Where:
    """Where a reader asks: an age-restricted channel (or a thread of one), a DM with the bot."""

    nsfw: bool
    dm: bool


class Gate(enum.Enum):
    """What to do before showing a story's text to a reader, here."""

    SERVE = "serve"  # show it
    ASK_AGE = "age"  # ask the reader to confirm they are 18 or older (in a DM)
    WARN = "warn"  # show the archive warnings once, with a Continue
    REFUSE = "refuse"  # never here: say where it can be read (`NotHere`)


class AccessService:
    """Decides the gate for a reader, a story and a place, and records the reader's answers."""

    def __init__(self, store: Storage) -> None:
        self._store = store

    async def decide(self, user_id: int, story: Story, where: Where) -> Gate:
        """The gate for `story` here; the reader's confirmations are read only when they matter."""
        if asks_nothing(story):  # most stories: no read at all
            return Gate.SERVE
        confirmed = where.dm and is_adult(story) and await self._adult_confirmed(user_id)
        access = may_serve(
            story, channel_is_nsfw=where.nsfw, in_dm=where.dm, adult_confirmed=confirmed
        )
        if access is Access.REFUSE:
            return Gate.REFUSE
        if access is Access.CONFIRM_AGE:
            return Gate.ASK_AGE
        if (
            warnings_to_show(story)
            and await self._store.get_flag(user_id, warned_flag(story)) is None
        ):
            return Gate.WARN
        return Gate.SERVE

    async def quotable(self, user_id: int, where: Where) -> Callable[[Story], bool]:
        """Which stories may be quoted here: those `may_serve` serves with no prompt."""
        confirmed = where.dm and await self._adult_confirmed(user_id)
        return lambda story: (
            may_serve(story, channel_is_nsfw=where.nsfw, in_dm=where.dm, adult_confirmed=confirmed)
            is Access.SERVE
        )

    async def confirm_age(self, user_id: int, *, at: datetime) -> None:
        """The reader confirmed they are 18 or older (asked once, in a DM)."""
        await self._store.set_flag(user_id, ADULT_FLAG, "1", asked_at=at)

    async def confirm_warnings(self, user_id: int, story: Story, *, at: datetime) -> None:
        """The reader read the story's warnings and chose to go on."""
        await self._store.set_flag(user_id, warned_flag(story), "1", asked_at=at)

    async def _adult_confirmed(self, user_id: int) -> bool:
        return await self._store.get_flag(user_id, ADULT_FLAG) is not None
