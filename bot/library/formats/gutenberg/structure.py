"""A book's structure: which blocks head its parts and chapters, and which are their text.

* Every division heading of `headings.py` is a candidate. A number alone (`VII.`) heads a
  chapter when the contents list names it (number, and title when the list gives one), or,
  without a list, when the numbers run in sequence (from I, again from I after a part);
  inside a book whose chapters have another name it heads a section (a scene) instead.
* A line the contents list names without a number (`THE CUSTOM HOUSE.—INTRODUCTORY`) heads
  a chapter of that title.
* Divisions rank: volumes hold books, parts and acts, which hold chapters, letters, scenes,
  staves, cantos, adventures. The deepest rank the book uses is its chapters; the ranks above
  are parts, whose names lead their chapters' titles (`Book One: 1805 · Chapter I`). A book of
  acts alone has acts for chapters; one of acts and scenes has scenes in acts.
* Text between a part's heading and its first chapter is a chapter named for the part. A
  prologue or epilogue with text under it is a chapter; one over chapters is a part.
* Headings at the top whose first one comes again soon after, with little text between, are
  a contents list without a title (a play's list of scenes): their text is front matter.
* A heading's subtitle (the line under it, or the next short capitalised paragraph) is part
  of its title; contents titles, properly cased, win.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, replace
from typing import Final

from bot.library.breaks import is_scene_break
from bot.library.formats.gutenberg.contents import Contents, Entry, Stripped, fold
from bot.library.formats.gutenberg.headings import (
    CHAPTER_RANK,
    NUMBERED,
    TITLED,
    Heading,
    parse_heading,
)
from bot.library.formats.gutenberg.scenes import Draft
from bot.library.formats.gutenberg.text import (
    SHORT_LINE,
    Block,
    Layout,
    make_title,
    plain,
    title_case,
)

log = logging.getLogger(__name__)

PART_SEPARATOR: Final = " · "
# Headings at the top are a contents list when the first comes again within this many words.
MAX_IMPLICIT_CONTENTS_WORDS: Final = 400
# How far ahead in the contents list a numbered heading may find its entry.
CONTENTS_LOOKAHEAD: Final = 3
# A title line the contents name is at most this long.
MAX_TITLE_LINE_CHARS: Final = 80
# Fewer letters than this in a contents title are too few to recognise it in the text by.
MIN_TITLE_LETTERS: Final = 6


@dataclass(frozen=True, slots=True)
class Found:
    """A block read as a heading: its subtitle and what follows it in the block."""

    heading: Heading
    subtitle: str | None  # on the line under it, or the next short paragraph
    rest: Block | None  # text that follows the heading without a blank line
    next_index: int  # the block after the heading (and its subtitle paragraph)
    # "chapter"; "section" (a numbered cut inside a chapter); "text"; "drop" (a contents entry)
    role: str = "chapter"
    listed: str | None = None  # the title the contents list gives a number alone


@dataclass(frozen=True, slots=True)
class Structure:
    front: list[Block]
    drafts: list[Draft]
    problems: list[str]


def read_structure(stripped: Stripped, layout: Layout, book_title: str = "") -> Structure:
    """Sort blocks into the front matter and the drafts of parts and chapters.

    `book_title` is no section's title: the contents list may name the book over its chapters.
    """
    blocks, contents = stripped.blocks, stripped.contents
    found = _candidates(stripped, layout, fold(book_title))
    found = _confirm_numbers(found, contents)
    found, front_extra = _implicit_contents(found, blocks, contents)
    chapter_rank = max(
        (f.heading.rank for f in found.values() if f.role == "chapter" and not f.heading.bookend),
        default=CHAPTER_RANK,
    )
    front: list[Block] = []
    drafts: list[Draft] = []
    parts: dict[int, str] = {}
    index = 0
    while index < len(blocks):
        candidate = found.get(index)
        if candidate is not None and candidate.role == "drop":
            index += 1
            continue
        if candidate is None or candidate.role == "text" or index in front_extra:
            block = blocks[index]
            if drafts and index not in front_extra:
                drafts[-1].add(block)
            else:
                front.append(block)
            index += 1
            continue
        if candidate.role == "section":
            if drafts:
                drafts[-1].cut(hard=True)
                drafts[-1].add(replace(blocks[index], gap=0))
            else:
                front.append(blocks[index])
            index += 1
            continue
        drafts.append(
            _draft(
                candidate,
                contents,
                parts=parts,
                chapter_rank=chapter_rank,
                found=found,
                blocks=blocks,
            )
        )
        if candidate.rest is not None:
            drafts[-1].add(candidate.rest)
        index = candidate.next_index
    problems = _missing_from_text(contents, found)
    return Structure(front, drafts, problems)


def part_name(draft_title: str | None) -> str | None:
    return (
        draft_title.split(PART_SEPARATOR, 1)[0]
        if draft_title and PART_SEPARATOR in draft_title
        else None
    )


def _draft(
    candidate: Found,
    contents: Contents,
    *,
    parts: dict[int, str],
    chapter_rank: int,
    found: dict[int, Found],
    blocks: list[Block],
) -> Draft:
    heading = candidate.heading
    title = _title(heading, candidate.listed or candidate.subtitle, contents)
    if heading.bookend:
        if _stands_alone(candidate, found, blocks):
            parts.clear()
            return Draft(title)
        parts.clear()
        parts[chapter_rank - 1] = title
        return Draft(title, is_part=True)
    if heading.rank < chapter_rank:
        for rank in [rank for rank in parts if rank >= heading.rank]:
            del parts[rank]
        parts[heading.rank] = title
        return Draft(PART_SEPARATOR.join(parts[rank] for rank in sorted(parts)), is_part=True)
    prefix = PART_SEPARATOR.join(parts[rank] for rank in sorted(parts))
    full = f"{prefix}{PART_SEPARATOR}{title}" if prefix else title
    return Draft(full, quiet=heading.kind == TITLED)


def _title(heading: Heading, subtitle: str | None, contents: Contents) -> str:
    listed = contents.title_for(heading) if heading.kind not in (NUMBERED, TITLED) else None
    if heading.kind == NUMBERED:
        return f"{heading.label}. {title_case(subtitle).rstrip('.')}" if subtitle else heading.label
    if heading.kind == TITLED:
        return make_title(title_case(heading.label), subtitle)
    return make_title(heading.label, listed or subtitle)


def _stands_alone(candidate: Found, found: dict[int, Found], blocks: list[Block]) -> bool:
    """A prologue or epilogue with text under it is a chapter, not a part of chapters."""
    if candidate.rest is not None:
        return True
    following = found.get(candidate.next_index)
    return candidate.next_index < len(blocks) and (following is None or following.role != "chapter")


# --- candidates -----------------------------------------------------------------------------


def _candidates(stripped: Stripped, layout: Layout, book_title: str) -> dict[int, Found]:
    blocks, contents = stripped.blocks, stripped.contents
    titles = {
        fold(title): title
        for title in contents.titles()
        if len(fold(title)) >= MIN_TITLE_LETTERS and fold(title) != book_title
    }
    found: dict[int, Found] = {}
    for index, (block, heading) in enumerate(zip(blocks, stripped.headings, strict=True)):
        if heading is None and not titles:
            continue
        candidate = _block_heading(
            block, index, blocks, heading, layout=layout, contents=contents, titles=titles
        )
        if candidate is not None:
            found[index] = candidate
    return found


def _block_heading(
    block: Block,
    index: int,
    blocks: list[Block],
    heading: Heading | None,
    *,
    layout: Layout,
    contents: Contents,
    titles: dict[str, str],
) -> Found | None:
    """Read a block as a heading: alone, over a short subtitle line, or over text.

    A block of wrapped prose is never a heading, even if its first words look like one.
    """
    lines = block.lines
    if heading is None:
        heading = _titled(block, titles)
        if heading is None:
            return None
    short = min(80, layout.width * SHORT_LINE)
    if len(lines) == 1:
        if heading.title is not None:
            return Found(heading, heading.title, None, index + 1)
        centred = lines[0][:8].isspace()
        subtitle, after = _next_subtitle(blocks, index + 1, contents, centred=centred)
        if (
            subtitle is not None
            and heading.kind == TITLED
            and fold(subtitle) == fold(heading.label)
        ):
            subtitle, after = _next_subtitle(blocks, after, contents, centred=centred)
        listed = contents.peek_title(heading) if heading.kind not in (NUMBERED, TITLED) else None
        if subtitle is not None and listed and not _same_title(listed, subtitle):
            subtitle, after = None, index + 1  # the contents name it: that line is text
        return Found(heading, subtitle, None, after)
    second = lines[1].strip()
    if heading.title is not None or heading.kind in (NUMBERED, TITLED):
        # A title that wraps onto a second line is one title; anything longer is prose.
        if len(lines) == 2 and len(second) < short and parse_heading(second) is None:
            title = f"{heading.title} {second}" if heading.title else second
            return Found(heading, title, None, index + 1)
        return None
    if len(lines) == 2 and len(second) < short:
        return Found(heading, second, None, index + 1)
    return Found(heading, None, Block(lines[1:], 0), index + 1)


def _titled(block: Block, titles: dict[str, str]) -> Heading | None:
    """A line the contents list names without a number: the heading of a titled section."""
    if not titles or len(block.lines) != 1 or len(block.text) > MAX_TITLE_LINE_CHARS:
        return None
    folded = fold(block.text)
    line = block.lines[0]
    looks_like_heading = line[:8].isspace() or not any(char.islower() for char in line)
    if len(folded) < MIN_TITLE_LETTERS or not looks_like_heading:
        return None
    # The line names the entry, or the start of it (`THE CUSTOM-HOUSE.` for `THE CUSTOM
    # HOUSE.—INTRODUCTORY`).
    if any(key.startswith(folded) for key in titles):
        return Heading(TITLED, None, plain(block.text).rstrip("."), None)
    return None


def _next_subtitle(
    blocks: list[Block], index: int, contents: Contents, *, centred: bool
) -> tuple[str | None, int]:
    """The next paragraph when it is a heading's subtitle, and the index after it."""
    if index < len(blocks) and _is_subtitle(blocks[index], contents, centred=centred):
        return blocks[index].text, index + 1
    return None, index


def _is_subtitle(block: Block, contents: Contents, *, centred: bool) -> bool:
    """A heading's subtitle on its own line: short and capitalised, centred under a centred
    heading, or named in the contents."""
    if len(block.lines) != 1 or len(block.text) > 80 or is_scene_break(block.text):
        return False
    if parse_heading(block.text) is not None:
        return False
    if centred and block.lines[0][:8].isspace() and not block.text.endswith((".", "!", "?", ",")):
        return True
    outside_italics = _outside_italics(block.text)
    if any(char.isalpha() for char in outside_italics) and not any(
        char.islower() for char in outside_italics
    ):
        return True
    named = {fold(entry.title) for entry in contents.entries if entry.title}
    return fold(block.text) in named


def _outside_italics(text: str) -> str:
    parts = text.split("_")
    return "".join(parts[::2]) if len(parts) > 2 else text


# --- numbers alone, and contents lists without a title ------------------------------------------


def _confirm_numbers(found: dict[int, Found], contents: Contents) -> dict[int, Found]:
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
        if subtitle and entry.title and _same_title(entry.title, subtitle):
            return position
        if not entry.title and pointer <= position < pointer + CONTENTS_LOOKAHEAD:
            return position
    return None


def _names_entry(chapter: Found, entry: Entry) -> bool:
    """A heading of another kind naming the entry: `ADVENTURE VII. THE …` for `VII. The …`."""
    heading = chapter.heading
    if entry.heading is None or heading.number != entry.heading.number:
        return False
    return bool(entry.title and chapter.subtitle and _same_title(entry.title, chapter.subtitle))


def _same_title(one: str, other: str) -> bool:
    a, b = fold(one), fold(other)
    return bool(a and b) and (a == b or a.startswith(b) or b.startswith(a))


def _implicit_contents(
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
        if took_a_line and listed and not _same_title(listed, candidate.subtitle or ""):
            found[index] = replace(candidate, subtitle=None, next_index=index + 1)
    return found, {i for i in between if i not in found or found[i].role == "text"}


def _missing_from_text(contents: Contents, found: dict[int, Found]) -> list[str]:
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
