"""Project Gutenberg plain-text eBooks: the book between the START and END markers, with the
structure a reader sees in it.

The parser works in two stages (`scan_gutenberg`, then `build_gutenberg`), so the loader can
drop the decoded text between them. Its jobs, one module each:

* `markers`: where the book starts and ends (every START/END variant PG used, as data, from
  the 1990s `*END*THE SMALL PRINT!` to today's), and the header's metadata (`Title:`, or the
  first line, `The Project Gutenberg Etext of <title>`, and a `by <author>` line).
* `text`: blocks of lines, the wrap width, paragraphs (wrapped lines joined; verse, letters'
  address blocks and a play's speaker lines kept), `_italics_`.
* `illustrations`: `[Illustration: …]` markers left out; a heading inside one kept.
* `contents`: the contents list and list of illustrations, read for titles and left out.
* `headings`: the division words (chapter, letter, book, part, act, scene, stave, canto,
  adventure, …) in English, French, German, Spanish and Italian.
* `candidates`: which blocks may head a division (a heading line, its subtitle, a titled
  section the contents list names); `confirm`: what the contents list confirms (a number
  alone), a contents list without a title, and entries missing from the text.
* `structure`: which headings are parts, chapters and sections (`Book One: 1805 · Chapter I`).
* `front`: the title page dropped, what the book says before its first chapter kept.
* `scenes`: star lines, and two or more blank lines, cut a chapter's scenes.

After a closing `THE END`, whatever little is left (publishers' advertisements) is cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Final

from bot.library.errors import UnusableText
from bot.library.formats.gutenberg.contents import is_list_title, strip_contents
from bot.library.formats.gutenberg.front import front_matter, names_of
from bot.library.formats.gutenberg.headings import parse_heading
from bot.library.formats.gutenberg.illustrations import leave_out_illustrations
from bot.library.formats.gutenberg.markers import HEADER_CHARS, body_bounds, header_metadata
from bot.library.formats.gutenberg.scenes import scenes_of
from bot.library.formats.gutenberg.structure import PART_SEPARATOR, read_structure
from bot.library.formats.gutenberg.text import (
    Block,
    Layout,
    blocks,
    is_verse,
    join_wrapped,
    keeps_line_breaks,
    measure_layout,
)
from bot.library.model import ChapterSource, Document, StoryMetadata
from bot.library.text import normalise

__all__ = [
    "PART_SEPARATOR",
    "Layout",
    "ScannedBook",
    "build_gutenberg",
    "count_parts_and_chapters",
    "join_wrapped",
    "keeps_line_breaks",
    "measure_layout",
    "parse_gutenberg",
    "scan_gutenberg",
]

FORMAT: Final = "gutenberg"
# A closing "THE END" cuts what follows only if that is less than this share of the book
# (or than this many characters: a publisher's list of titles in a short book).
MAX_AFTER_END_SHARE: Final = 0.05
MAX_AFTER_END_CHARS: Final = 3000
_THE_END = re.compile(r"^(?:the end|finis|fin|ende)[.!]?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ScannedBook:
    """A Gutenberg text split into blocks of lines: the first of the parser's two stages.

    The loader drops the decoded text between the stages, so a big book never sits in memory
    as text, lines and paragraphs at once.
    """

    metadata: StoryMetadata
    blocks: list[Block]
    layout: Layout
    size: int  # characters between the markers
    encoding: str


def parse_gutenberg(
    text: str, encoding: str = "utf-8", *, fallback_title: str | None = None
) -> Document:
    """Parse a decoded Project Gutenberg text (see the module docstring for what is kept).

    `fallback_title` (from the file name, say) is the title when the header names none.
    """
    return build_gutenberg(scan_gutenberg(text, encoding, fallback_title=fallback_title))


def scan_gutenberg(
    text: str, encoding: str = "utf-8", *, fallback_title: str | None = None
) -> ScannedBook:
    """Find the header's metadata and split the body (read in place, not copied) into blocks."""
    text = normalise(text)  # the same object when the loader already tidied the bytes
    start, end = body_bounds(text)
    metadata = header_metadata(text[:start] if start else text[:HEADER_CHARS], fallback_title)
    found = list(blocks(text, start, end))
    if not any(block.text for block in found):
        raise UnusableText("it holds no text between its Project Gutenberg markers")
    layout = measure_layout((line for block in found for line in block.lines), text, start, end)
    layout = replace(layout, verse=is_verse(found))
    return ScannedBook(metadata, found, layout, end - start, encoding)


def build_gutenberg(book: ScannedBook) -> Document:
    """The second stage: chapters, scenes and paragraphs from the scanned blocks."""
    metadata, layout = book.metadata, book.layout
    body = leave_out_illustrations(book.blocks, _kept_in_illustration)
    stripped = strip_contents(_cut_after_the_end(body, book.size))
    structure = read_structure(stripped, layout, metadata.title)
    chapters: list[ChapterSource] = []
    problems = list(structure.problems)
    for draft in structure.drafts:
        scenes = scenes_of(draft, layout)
        if scenes:
            chapters.append(ChapterSource(draft.title, scenes))
        elif chapters and not draft.is_part and not draft.quiet:
            problems.append(f"chapter '{draft.title}' has no text; skipped")
    notes, chapters = front_matter(structure.front, chapters, layout, names_of(metadata))
    if not chapters:
        raise UnusableText("it holds no text between its Project Gutenberg markers")
    if notes:
        metadata = replace(metadata, notes=notes)
    return Document(metadata, tuple(chapters), FORMAT, book.encoding, tuple(problems))


def count_parts_and_chapters(document: Document) -> tuple[int, int]:
    """(parts, chapters) of a parsed book: parts are the distinct title prefixes before
    `PART_SEPARATOR` (0 for a book without parts)."""
    parts = {
        chapter.title.split(PART_SEPARATOR, 1)[0]
        for chapter in document.chapters
        if chapter.title and PART_SEPARATOR in chapter.title
    }
    return len(parts), len(document.chapters)


def _kept_in_illustration(line: str) -> bool:
    return parse_heading(line) is not None or is_list_title(line)


def _cut_after_the_end(found: list[Block], size: int) -> list[Block]:
    """Drop what follows a closing `THE END` when it is only a sliver of the book."""
    after = 0
    for index in range(len(found) - 1, -1, -1):
        if len(found[index].lines) == 1 and _THE_END.match(found[index].text):
            return found[: index + 1]
        after += sum(len(line) + 1 for line in found[index].lines)
        if after > max(size * MAX_AFTER_END_SHARE, MAX_AFTER_END_CHARS):
            break
    return found
