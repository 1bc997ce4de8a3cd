"""Numbers a reader wants: words, reading time, how far through a story a page is."""

from __future__ import annotations

import math
import re

from bot.library.model import Page, Story

WORDS_PER_MINUTE = 238  # average adult silent reading speed for fiction


# A run of non-space characters holding at least one letter or digit ("—" alone is no word).
_WORD = re.compile(r"\S*[^\W_]\S*")


def count_words(text: str) -> int:
    """Words as a reader counts them: runs of non-space characters holding a letter or digit."""
    return len(_WORD.findall(text))


def reading_minutes(words: int) -> int:
    """Estimated minutes to read `words`, rounded up; zero only for no words at all."""
    return math.ceil(words / WORDS_PER_MINUTE) if words > 0 else 0


def percent_at_start(story: Story, page: Page) -> float:
    """Share of the story read before `page`, 0-100."""
    return 100.0 * page.words_before / story.words if story.words else 0.0


def percent_at_end(story: Story, page: Page) -> float:
    """Share of the story read once `page` is read, 0-100 (100 on the last page)."""
    return 100.0 * (page.words_before + page.words) / story.words if story.words else 100.0


def minutes_left(story: Story, page: Page) -> int:
    """Estimated minutes to finish the story after `page`."""
    return reading_minutes(story.words - page.words_before - page.words)
