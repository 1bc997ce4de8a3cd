"""A book's structure: which blocks head its parts and chapters, and which are their text.

* The candidates are `candidates.py`'s; `confirm.py` decides what a number alone heads and
  leaves out a contents list that has no title.
* Divisions rank: volumes hold books, parts and acts, which hold chapters, letters, scenes,
  staves, cantos, adventures. The deepest rank the book uses is its chapters; the ranks above
  are parts, whose names lead their chapters' titles (`Book One: 1805 · Chapter I`). A book of
  acts alone has acts for chapters; one of acts and scenes has scenes in acts.
* Text between a part's heading and its first chapter is a chapter named for the part. A
  prologue or epilogue with text under it is a chapter; one over chapters is a part.
* Contents titles, properly cased, win over a heading's own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

from bot.library.formats.gutenberg.candidates import Found, candidates
from bot.library.formats.gutenberg.confirm import (
    confirm_numbers,
    implicit_contents,
    missing_from_text,
)
from bot.library.formats.gutenberg.contents import Contents, Stripped, fold
from bot.library.formats.gutenberg.headings import CHAPTER_RANK, NUMBERED, TITLED, Heading
from bot.library.formats.gutenberg.scenes import Draft
from bot.library.formats.gutenberg.text import Block, Layout, make_title, plain, title_case

PART_SEPARATOR: Final = " · "


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
    found = candidates(stripped, layout, fold(book_title))
    found = confirm_numbers(found, contents)
    found, front_extra = implicit_contents(found, blocks, contents)
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
    problems = missing_from_text(contents, found)
    return Structure(front, drafts, problems)


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
    return make_title(heading.label, _with_the_rest(listed, subtitle) if listed else subtitle)


def _with_the_rest(listed: str, subtitle: str | None) -> str:
    """The contents' title, and what the heading's own subtitle adds after it
    (`JONATHAN HARKER’S JOURNAL--_continued_` under `Jonathan Harker’s Journal`)."""
    if not subtitle:
        return listed
    wanted, own = len(fold(listed)), plain(subtitle)
    if not fold(own).startswith(fold(listed)) or len(fold(own)) == wanted:
        return listed
    seen = 0
    for position, char in enumerate(own):
        seen += char.isalnum()
        if seen == wanted:
            return listed + own[position + 1 :].rstrip(".")
    return listed


def _stands_alone(candidate: Found, found: dict[int, Found], blocks: list[Block]) -> bool:
    """A prologue or epilogue with text under it is a chapter, not a part of chapters."""
    if candidate.rest is not None:
        return True
    following = found.get(candidate.next_index)
    return candidate.next_index < len(blocks) and (following is None or following.role != "chapter")
