"""What the contents list confirms, and what it shows to be missing.

* A number alone (`VII.`) heads a chapter when the contents list names it (its number, and its
  title when the list gives one: `ADVENTURE VII.` for `VII. The …` too), or, without a list,
  when the numbers run in sequence (from I, again from I after a part); inside a book whose
  chapters have another name it heads a section (a scene) instead.
* Headings at the top whose first one comes again soon after, with little text between, are
  a contents list without a title (a play's list of scenes): their text is front matter.
* A contents entry that names no heading of the text is a problem: a merged or misread
  chapter.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import replace
from typing import Final

from bot.library.formats.gutenberg.candidates import Found, same_title
from bot.library.formats.gutenberg.contents import Contents, Entry
from bot.library.formats.gutenberg.headings import CHAPTER_RANK, NUMBERED, TITLED
from bot.library.formats.gutenberg.text import Block

log = logging.getLogger(__name__)

# Headings at the top are a contents list when the first comes again within this many words.
MAX_IMPLICIT_CONTENTS_WORDS: Final = 400
# How far ahead in the contents list an untitled number alone may find its entry.
CONTENTS_LOOKAHEAD: Final = 3


def confirm_numbers(found: dict[int, Found], contents: Contents) -> dict[int, Found]:
    """Decide what each number alone heads: a chapter, a section, or nothing (text)."""
    numbered = [index for index, f in found.items() if f.heading.kind == NUMBERED]
    if not numbered:
        return found
    others = any(
        f.heading.rank == CHAPTER_RANK
        and f.heading.kind not in (NUMBERED, TITLED)
        and not f.heading.bookend
        for f in found.values()
    )
    entries = contents.numbered()
    roles: dict[int, str] = {}
    listed: dict[int, str | None] = {}
    if entries:
        pointer = 0
        for index in numbered:
            candidate = found[index]
            match = _entry_match(candidate, entries, pointer)
            if match is not None:
                roles[index], pointer = "chapter", max(pointer, match + 1)
                listed[index] = entries[match].title
            else:
                roles[index] = "section" if candidate.subtitle is None else "text"
    else:
        expected = 1
        accepted: list[int] = []
        for index in sorted(found):
            heading = found[index].heading
            if heading.kind != NUMBERED:
                if heading.rank < CHAPTER_RANK:
                    expected = 1  # a part: its chapters count from one again
                continue
            if heading.number in (expected, 1):
                accepted.append(index)
                expected = (heading.number or 0) + 1
        role = "section" if others else "chapter"
        for index in numbered:
            roles[index] = role if index in accepted and len(accepted) >= 2 else "text"
    return {
        index: replace(f, role=roles.get(index, f.role), listed=listed.get(index))
        for index, f in found.items()
    }


def _entry_match(candidate: Found, entries: list[Entry], pointer: int) -> int | None:
    """The position of the contents entry naming this number alone: with a title, any entry
    of that number and title; without, an untitled one of that number a little after
    `pointer` (the last one matched)."""
    number, subtitle = candidate.heading.number, candidate.subtitle
    for position, entry in enumerate(entries):
        if entry.heading is None or entry.heading.number != number:
            continue
        if subtitle and entry.title and same_title(entry.title, subtitle):
            return position
        if not entry.title and pointer <= position < pointer + CONTENTS_LOOKAHEAD:
            return position
    return None


def _names_entry(chapter: Found, entry: Entry) -> bool:
    """A heading of another kind naming the entry: `ADVENTURE VII. THE …` for `VII. The …`."""
    heading = chapter.heading
    if entry.heading is None or heading.number != entry.heading.number:
        return False
    return bool(entry.title and chapter.subtitle and same_title(entry.title, chapter.subtitle))


def implicit_contents(
    found: dict[int, Found], blocks: list[Block], contents: Contents
) -> tuple[dict[int, Found], set[int]]:
    """Headings at the top that come again soon: a contents list without its title line.

    Returns the headings left, and the blocks (the list's own text) that are front matter.
    """
    chapters = [
        index
        for index in sorted(found)
        if found[index].role == "chapter" and found[index].heading.number is not None
    ]
    if len(chapters) < 2:
        return found, set()
    first = found[chapters[0]].heading.key
    again = next((i for i in chapters[1:] if found[i].heading.key == first), None)
    if again is None:
        return found, set()
    between = range(chapters[0], again)
    text_words = sum(
        len(blocks[i].text.split()) for i in between if i not in found or found[i].role == "text"
    )
    if text_words > MAX_IMPLICIT_CONTENTS_WORDS:
        return found, set()
    for index in [i for i in chapters if i < again]:
        contents.add(blocks[index].lines[0])
        found[index] = replace(found[index], role="drop")
    for index in chapters[chapters.index(again) :]:
        # The list names these headings now: a line taken for a subtitle is text after all.
        candidate = found[index]
        listed = contents.peek_title(candidate.heading)
        took_a_line = candidate.next_index > index + 1 and candidate.heading.title is None
        if took_a_line and listed and not same_title(listed, candidate.subtitle or ""):
            found[index] = replace(candidate, subtitle=None, next_index=index + 1)
    return found, {i for i in between if i not in found or found[i].role == "text"}


def missing_from_text(contents: Contents, found: dict[int, Found]) -> list[str]:
    """Contents entries that name no heading of the text: a merged or misread chapter."""
    chapters = [f for f in found.values() if f.role == "chapter"]
    seen = Counter(f.heading.key for f in chapters)
    missing: list[tuple[str, int | None]] = []
    for entry in contents.entries:
        if entry.heading is None:
            continue
        key = entry.heading.key
        if seen[key] > 0:
            seen[key] -= 1
        elif not any(_names_entry(f, entry) for f in chapters):
            missing.append(key)
    if not missing:
        return []
    names = ", ".join(f"{kind} {number}" if number else kind for kind, number in missing[:3])
    more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
    problem = f"the contents list names headings not found in the text: {names}{more}"
    log.info("%s", problem)
    return [problem]
