"""Who may be served a story where: the one rule for ratings and warnings. Knows nothing of Discord.

Discord's rule (docs/DISCORD.md): content for adults belongs only in age-restricted channels.
A story rated Mature or Explicit is therefore served

- in an age-restricted channel (a thread counts as its parent);
- in a direct message, once the reader has confirmed they are 18 or older;
- nowhere else.

Every entry point (commands, buttons, quotes) asks `may_serve`; nothing else decides.
"""

from __future__ import annotations

import enum

from bot.errors import UserError
from bot.library.model import Story

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
        title = story.title if len(story.title) <= 100 else story.title[:99] + "…"
        rating = (story.metadata.rating or "Mature").strip()[:40]
        super().__init__(
            f"“{title}” is rated {rating}, so I only show it in age-restricted (18+) channels, "
            "or in a direct message with me once you confirm you are 18 or older. "
            "Ask a moderator for an age-restricted channel, or send me /read in a DM."
        )
        self.story = story
