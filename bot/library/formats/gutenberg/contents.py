"""The contents list (and a list of illustrations): read for its titles, then left out.

A list starts at its title line (`CONTENTS`, `Table des matières`, `Inhalt`, `LIST OF
CANTOS`, `List of Illustrations`, …) and runs over the blocks that look like a list: heading
lines (`CHAPTER IV. The Long Road`, `   I.     A Scandal in Bohemia`, `Stave I: Marley's
Ghost`), lines ending in a page number, a `PAGE` line, or a short capitalised line over more
of them. It ends at the first other block, or where the book's first heading comes again. A
block of several heading lines is a contents list too, title or not.

The entries confirm the book's headings (`structure.py`): a number alone (`VII.`) is a chapter
when the contents name it, and an unnumbered entry (`THE CUSTOM HOUSE.—INTRODUCTORY`) makes
the line that names it in the text a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from bot.library.formats.gutenberg.headings import NUMBERED, Heading, parse_heading
from bot.library.formats.gutenberg.text import Block, plain

_CONTENTS_TITLE = re.compile(
    r"^(?:(?:the\s+)?table\s+of\s+contents|contents|table\s+des\s+mati[eè]res|table|sommaire"
    r"|inhalt(?:sverzeichnis)?|[íi]ndice(?:\s+general)?|sumario|list\s+of\s+(?:cantos|chapters"
    r"|contents|letters|stories|staves|scenes))[.:]?$",
    re.IGNORECASE,
)
_ILLUSTRATIONS_TITLE = re.compile(
    r"^(?:(?:list|table)\s+of\s+(?:the\s+)?(?:full[- ]page\s+)?(?:illustrations|plates|engravings)"
    r"|illustrations|table\s+des\s+(?:gravures|illustrations)"
    r"|verzeichnis\s+der\s+(?:abbildungen|illustrationen))[.:]?$",
    re.IGNORECASE,
)
_PAGE_COLUMN = re.compile(r"^(?:page|pages|seite|página|pagina|pag\.|p\.)$", re.IGNORECASE)
# A page number at the end of an entry, after a gap or dots: `THE LEECH   142`, `Preface ... ix`.
_PAGED = re.compile(r"(?:\s{2,}|\.{2,}\s*)(?:\d{1,4}|[ivxlc]{1,7})$")
MAX_ENTRY_CHARS: Final = 100
MAX_LIST_TITLE_CHARS: Final = 48
# A block of at most this many lines inside a list (a group's title, a credit) is part of it.
MAX_INSIDE_LINES: Final = 3


def is_list_title(line: str) -> bool:
    """A contents list's or a list of illustrations' title line."""
    line = line.strip()
    if len(line) > MAX_LIST_TITLE_CHARS:
        return False
    line = plain(line)
    return bool(_CONTENTS_TITLE.match(line) or _ILLUSTRATIONS_TITLE.match(line))


def fold(text: str) -> str:
    """Letters and digits only, case-folded: how titles are compared."""
    return "".join(char for char in plain(text).casefold() if char.isalnum())


@dataclass(frozen=True, slots=True)
class Entry:
    heading: Heading | None  # None for an unnumbered title
    title: str | None  # as written, page number removed


@dataclass(slots=True)
class Contents:
    """The entries of the book's contents lists, in order."""

    entries: list[Entry] = field(default_factory=list)
    _used: dict[tuple[str, int | None], int] = field(default_factory=dict)
    _titles: dict[tuple[str, int | None], list[str | None]] = field(default_factory=dict)
    _indexed: int = 0

    def add(self, line: str) -> None:
        text = _PAGED.sub("", line.strip()).strip()
        if not text or _PAGE_COLUMN.match(text):
            return
        heading = parse_heading(text)
        if heading is not None:
            self.entries.append(Entry(heading, heading.title))
        else:
            self.entries.append(Entry(None, text.rstrip(".")))

    def extend_last(self, line: str) -> None:
        """A wrapped entry: the line continues the title of the one before."""
        last = self.entries[-1]
        title = f"{last.title} {line.strip()}" if last.title else line.strip()
        self.entries[-1] = Entry(last.heading, _PAGED.sub("", title).strip())

    def peek_title(self, heading: Heading) -> str | None:
        """The title `title_for` will give this heading next, without taking it."""
        title = self.title_for(heading)
        self._used[heading.key] -= 1
        return title

    def title_for(self, heading: Heading) -> str | None:
        """The title the contents give the next heading with this key (the nth `CHAPTER I`
        for the nth)."""
        for entry in self.entries[self._indexed :]:  # index the entries added since
            if entry.heading is not None:
                self._titles.setdefault(entry.heading.key, []).append(entry.title)
        self._indexed = len(self.entries)
        key = heading.key
        index = self._used.get(key, 0)
        self._used[key] = index + 1
        titles = self._titles.get(key, [])
        return titles[index] if index < len(titles) else None

    def numbered(self) -> list[Entry]:
        return [e for e in self.entries if e.heading is not None and e.heading.kind == NUMBERED]

    def titles(self) -> list[str]:
        """Unnumbered entries: a book's titled sections, as written."""
        return [e.title for e in self.entries if e.heading is None and e.title]


@dataclass(frozen=True, slots=True)
class Stripped:
    """The blocks left once the lists are out, the heading each one's first line is (parsed
    once, for the structure to use), and the contents list's entries."""

    blocks: list[Block]
    headings: list[Heading | None]
    contents: Contents


def strip_contents(blocks: list[Block]) -> Stripped:
    """`blocks` without their contents lists and lists of illustrations; the contents' entries."""
    contents = Contents()
    kept: list[Block] = []
    headings: list[Heading | None] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if len(block.lines) == 1 and is_list_title(block.text):
            illustrations = _ILLUSTRATIONS_TITLE.match(plain(block.text)) is not None
            index = _read_list(blocks, index + 1, None if illustrations else contents)
            continue
        heading = parse_heading(block.lines[0])
        if heading is not None and _is_heading_list(block):
            for line in block.lines:
                contents.add(line)
        else:
            kept.append(block)
            headings.append(heading)
        index += 1
    return Stripped(kept, headings, contents)


def _read_list(blocks: list[Block], index: int, contents: Contents | None) -> int:
    """Read the list's blocks from `index` (into `contents`, unless it lists illustrations);
    return the index of the first block after it."""
    first: tuple[str, int | None] | None = None
    illustrations = contents is None
    while index < len(blocks):
        block = blocks[index]
        heading = parse_heading(block.lines[0]) if len(block.lines) <= 2 else None
        if heading is not None and (illustrations or heading.key == first):
            return index  # the first entry again (or a heading): the book itself begins
        if not _is_list_block(block, illustrations):
            # A few lines over more entries (a group's title, a credit) belong to the list.
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if (
                len(block.lines) > MAX_INSIDE_LINES
                or following is None
                or is_list_title(following.text)
                or not _is_list_block(following, illustrations)
                or _starts_book(following, first)
            ):
                return index
        if contents is not None:
            _add_lines(contents, block)
            if first is None:
                first = next((e.heading.key for e in contents.entries if e.heading), None)
        index += 1
    return index


def _starts_book(block: Block, first: tuple[str, int | None] | None) -> bool:
    heading = parse_heading(block.lines[0]) if len(block.lines) <= 2 else None
    return heading is not None and heading.key == first


def _add_lines(contents: Contents, block: Block) -> None:
    previous_indent = -1
    for line in block.lines:
        indent = len(line) - len(line.lstrip())
        # A line indented under an entry, and no heading itself, carries on its title.
        continues = contents.entries and indent > previous_indent >= 0
        if continues and parse_heading(line) is None:
            contents.extend_last(line)
            continue
        contents.add(line)
        previous_indent = indent


def _is_list_block(block: Block, illustrations: bool) -> bool:
    """Most lines are entries: headings (not in a list of illustrations), lines ending in page
    numbers, a `PAGE` column title."""
    entries = sum(1 for line in block.lines if _is_entry(line.strip(), illustrations))
    return entries * 2 >= len(block.lines) + (1 if len(block.lines) == 1 else 0)


def _is_entry(text: str, illustrations: bool) -> bool:
    if _PAGE_COLUMN.match(text) or (not illustrations and parse_heading(text) is not None):
        return True
    return len(text) <= MAX_ENTRY_CHARS and _PAGED.search(text) is not None


def _is_heading_list(block: Block) -> bool:
    """A block (whose first line is a heading) of more heading lines, one under the other: a
    contents list without title."""
    lines = block.lines
    return len(lines) >= 2 and sum(1 for line in lines if parse_heading(line)) * 2 > len(lines)
