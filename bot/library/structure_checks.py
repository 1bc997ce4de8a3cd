"""What looks wrong in a story's structure, for an admin to check (`python -m bot texts`).

Pure: a story in, sentences out. The checks are hints, not errors: a book may have a long
preface or a one-page chapter on purpose.

* A chapter far shorter or far longer than the rest (against the median chapter).
* Headings out of sequence: within a part, a numbered chapter that does not follow the one
  before (`Canto XVII` after `Canto XXVI`: a typo, or a chapter lost).

A contents list whose entries were not all found as headings is the parser's to report: it is
among the story's problems.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Final

from bot.library.formats import PART_SEPARATOR
from bot.library.formats.gutenberg.headings import parse_heading
from bot.library.model import Story

# Checks of length need this many chapters to say what "the rest" is.
MIN_CHAPTERS_TO_COMPARE: Final = 5
# A chapter this many times shorter or longer than the median stands out.
SHORTER: Final = 10
LONGER: Final = 10
# At most this many findings of one kind are listed; the rest are counted.
MAX_LISTED: Final = 5


@dataclass(frozen=True, slots=True)
class ChapterShape:
    """A chapter as the checks see it: its title and its words."""

    title: str | None
    words: int


def chapter_shapes(story: Story) -> list[ChapterShape]:
    words = [0] * len(story.chapters)
    for scene in story.scenes:
        words[scene.chapter] += scene.words
    return [ChapterShape(chapter.title, words[chapter.index]) for chapter in story.chapters]


def check_structure(chapters: list[ChapterShape]) -> list[str]:
    """Sentences naming what looks wrong in these chapters, in reading order."""
    return _lengths(chapters) + _sequence(chapters)


def _lengths(chapters: list[ChapterShape]) -> list[str]:
    if len(chapters) < MIN_CHAPTERS_TO_COMPARE:
        return []
    median = statistics.median(chapter.words for chapter in chapters)
    findings: list[str] = []
    for number, chapter in enumerate(chapters, 1):
        name = _name(chapter, number)
        if chapter.words * SHORTER < median:
            findings.append(
                f"{name} is far shorter than the rest ({chapter.words:,} words; "
                f"the median chapter has {median:,.0f})"
            )
        elif chapter.words > median * LONGER:
            findings.append(
                f"{name} is far longer than the rest ({chapter.words:,} words; "
                f"the median chapter has {median:,.0f})"
            )
    return _capped(findings, "chapters of unusual length")


def _sequence(chapters: list[ChapterShape]) -> list[str]:
    findings: list[str] = []
    last: dict[tuple[str, str], tuple[int, str]] = {}  # (part, kind) -> (number, title)
    for chapter in chapters:
        if not chapter.title:
            continue
        part, _, own = chapter.title.rpartition(PART_SEPARATOR)
        heading = parse_heading(own.split(":", 1)[0])
        if heading is None or heading.number is None:
            continue
        key = (part, heading.kind)
        if key in last:
            number, title = last[key]
            if heading.number != number + 1:
                findings.append(f"'{chapter.title}' follows '{title}': headings out of sequence")
        last[key] = (heading.number, chapter.title)
    return _capped(findings, "headings out of sequence")


def _name(chapter: ChapterShape, number: int) -> str:
    return f"chapter {number} '{chapter.title}'" if chapter.title else f"chapter {number}"


def _capped(findings: list[str], what: str) -> list[str]:
    if len(findings) <= MAX_LISTED:
        return findings
    rest = len(findings) - MAX_LISTED
    return [*findings[:MAX_LISTED], f"and {rest} more {what}"]
