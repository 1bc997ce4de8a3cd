"""Serving quotes: filters a reader can type, and a weighted pick without repeats."""

from __future__ import annotations

import math
import random
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Final

from bot.library.library import fold
from bot.library.quotes.finding import Quote

# `pick_quote` weighs a quote by exp((score - best) / PICK_TEMPERATURE): a line scoring two
# points more is e (about 2.7) times as likely to be picked.
PICK_TEMPERATURE: Final = 2.0


@dataclass(frozen=True, slots=True)
class QuotePick:
    """What `pick_quote` chose, and how much of the matching rotation is left after it."""

    quote: Quote
    restarted: bool  # every matching quote had been seen: the caller forgets their ids
    matching: int  # how many quotes match the filters
    unseen_left: int  # matching quotes still unseen once this one is recorded as seen


def _squeeze(text: str) -> str:
    return " ".join(fold(text).split())


def matches(quote: Quote, *, contains: str | None = None, character: str | None = None) -> bool:
    """True when `quote` passes both filters (a None or blank filter passes everything).

    `contains` is literal text (no pattern: `.*(` means those three characters), compared
    case- and accent-insensitively, with runs of whitespace as one space. `character` matches
    a line naming that character as a whole word, or spoken by that character.
    """
    if contains and contains.strip() and _squeeze(contains) not in _squeeze(quote.text):
        return False
    if character is not None and character.strip():
        name = _squeeze(character)
        pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
        spoken_by = quote.speaker is not None and pattern.search(_squeeze(quote.speaker))
        if not spoken_by and not pattern.search(_squeeze(quote.text)):
            return False
    return True


def pick_quote(
    quotes: Sequence[Quote],
    seen: Collection[str],
    rng: random.Random,
    *,
    contains: str | None = None,
    character: str | None = None,
) -> QuotePick | None:
    """Pick a quote among those matching the filters, one the reader has not seen if any.

    The choice is random, weighted towards higher scores (see `PICK_TEMPERATURE`), and
    deterministic for a seeded `rng` and the same inputs. Contract with the caller, who keeps
    the ids a reader has seen: record the picked quote's id in `seen`; when the pick says
    `restarted` (every matching quote had been seen), first forget the ids of the matching
    quotes, then record the pick. So no line repeats for a reader until all the lines matching
    the same filters have been shown. Returns None when no quote matches.
    """
    matching = [quote for quote in quotes if matches(quote, contains=contains, character=character)]
    if not matching:
        return None
    pool = [quote for quote in matching if quote.id not in seen]
    restarted = not pool
    if restarted:
        pool = matching
    best = max(quote.score for quote in pool)
    weights = [math.exp((quote.score - best) / PICK_TEMPERATURE) for quote in pool]
    chosen = rng.choices(pool, weights=weights)[0]
    return QuotePick(chosen, restarted, len(matching), len(pool) - 1)
