"""Project Gutenberg plain-text eBooks: the book between the START and END markers.

What is read, and why:

* Metadata comes from the header (`Title:`, `Author:`, `Language:`, `Translator:`, the
  release date and eBook number, which gives the book's address).
* The text is what lies between `*** START OF THE (or THIS) PROJECT GUTENBERG EBOOK … ***`
  and the matching END marker, markers indented or not, naming the book or its number. The
  footer's `*** START: FULL LICENSE ***` is not a START marker.
* The table of contents (a `Contents` block, or runs of heading lines with no text under
  them) is dropped; its chapter titles, properly cased, are used for the chapters.
* Chapters start at `CHAPTER I` / `Chapter 1` / `CHAPTER I. Title` headings. A heading's
  subtitle (the line under it, or the next paragraph when it is a short capitalised line,
  like Dracula's `JONATHAN HARKER’S JOURNAL`) is part of the title: `Chapter I: Jonathan
  Harker’s Journal`. Parts (`BOOK ONE: 1805`, `PART II`, `FIRST EPILOGUE: 1813 - 20`)
  are not chapters of their own: the part's name leads its chapters' titles, joined by
  `PART_SEPARATOR` (`Book One: 1805 · Chapter I`), and `count_parts_and_chapters`
  counts both back. A part heading with text right under it is a chapter of its own.
* The title page (short, centred or capitalised lines) is dropped. Prose between it and
  the first chapter (Dracula's note on how its papers were placed in sequence) becomes the
  book's `notes`, or, when long (a preface), an untitled first chapter.
* Hard-wrapped lines are joined into paragraphs with a space (nothing after a dash, when
  the book closes its dashes up); verse, letters' address blocks and other paragraphs of
  mostly short or unevenly indented lines keep their line breaks.
* `_underscored_` words are Gutenberg's italics: they become italic spans.
* Star lines (`*       *       *`) are scene breaks; so are two or more blank lines, as in
  diaries, except that a "scene" of a few words (a song's chorus, a diary heading) stays
  with its neighbour.
* After a closing `THE END`, whatever little is left (publishers' advertisements) is cut.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Final

from bot.library.breaks import is_scene_break
from bot.library.errors import UnusableText
from bot.library.model import (
    ChapterSource,
    Document,
    Paragraph,
    Scene,
    Span,
    StoryMetadata,
)
from bot.library.text import normalise

log = logging.getLogger(__name__)

FORMAT: Final = "gutenberg"
PART_SEPARATOR: Final = " · "
GUTENBERG_URL: Final = "https://www.gutenberg.org/ebooks/{}"
# Below this share of the wrap width a line is short: verse, not wrapped prose.
SHORT_LINE: Final = 0.7
# A scene cut off by blank lines alone needs this many words, or it joins its neighbour.
MIN_SOFT_SCENE_WORDS: Final = 40
# Prose before the first chapter up to this many words is a note, beyond it a chapter.
MAX_NOTE_WORDS: Final = 400
# A closing "THE END" cuts what follows only if that is less than this share of the book
# (or than this many characters: a publisher's list of titles in a short book).
MAX_AFTER_END_SHARE: Final = 0.05
MAX_AFTER_END_CHARS: Final = 3000

_START = re.compile(
    r"^[ \t]*(?:\*{3}[ \t]*START OF (?:THE |THIS )?PROJECT GUTENBERG\b.*"
    r"|\*END\*THE SMALL PRINT!.*)$",
    re.MULTILINE | re.IGNORECASE,
)
_END = re.compile(
    r"^[ \t]*(?:\*{3}[ \t]*END OF (?:THE |THIS )?PROJECT GUTENBERG\b.*"
    r"|End of (?:the )?Project Gutenberg.*|\*{3}[ \t]*START: FULL LICENSE.*)$",
    re.MULTILINE | re.IGNORECASE,
)
_HEADER_FIELD = re.compile(r"^([A-Z][A-Za-z ]{1,30}):[ \t]*(.*)$", re.MULTILINE)
_EBOOK_NUMBER = re.compile(r"\[(?:e-?book|etext) #(\d+)\]", re.IGNORECASE)
_FIRST_LINE_TITLE = re.compile(
    r"^(?:The )?Project Gutenberg(?:'s|’s| eBook of| EBook of| Etext of)\s+(.+?)"
    r"(?:,\s+by\s+(.+?))?\s*$",
    re.IGNORECASE,
)

_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred"
).split()
_ORDINALS = "first second third fourth fifth sixth seventh eighth ninth tenth last".split()
_WORD_NUMBER = rf"(?:{'|'.join(_NUMBER_WORDS)})(?:-(?:{'|'.join(_NUMBER_WORDS)}))?"
_NUMBER = rf"(?:[IVXLCDM]+|\d+|(?i:{_WORD_NUMBER}))"
_HEADING = re.compile(
    rf"^(?P<kw>CHAPTER|Chapter|BOOK|Book|PART|Part|VOLUME|Volume)\s+(?P<num>{_NUMBER})\b"
    r"(?P<rest>.*)$"
)
_BOOKEND = re.compile(
    rf"^(?:(?P<ord>(?i:{'|'.join(_ORDINALS)}))\s+)?(?P<kw>EPILOGUE|Epilogue|PROLOGUE|Prologue)\b"
    r"(?P<rest>.*)$"
)
_HEADING_TITLE = re.compile(r"^(?:\s*(?:[.:—–]|--?)\s*|\s{2,})(?P<title>\S.*?)\.?$")
_CONTENTS = re.compile(r"^(?:table of )?contents[.:]?$", re.IGNORECASE)
_THE_END = re.compile(r"^(?:the end|finis)[.!]?$", re.IGNORECASE)
_TITLE_PAGE = re.compile(
    r"^(?:by\b|produced by|\[illustration|transcriber|illustrated by|translated by"
    r"|with illustrations|copyright|all rights reserved|printed in)",
    re.IGNORECASE,
)
# `_italic_`: opening at a word start, closing at a word end or inside it (`_Un_important`).
_ITALIC = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?!_)", re.DOTALL)
# How a line of verse ends, and how it starts (a capital, perhaps after a quote).
_LINE_END_PUNCTUATION = tuple(",.;:!?—’”'\")")
_SENTENCE_END = tuple(".!?’”'\"")
_CAPITAL_START = re.compile(r"^[“‘\"'(\[_]*[A-Z]")
# Line ends where wrapped lines join with nothing: after a hyphen (a compound word cut at
# its hyphen), and, in books that close their dashes up, after a dash.
_JOIN_TIGHT = re.compile(r"(?<=[^\W\d_])(-)\n")
_JOIN_TIGHT_DASHES = re.compile(r"(—|--|(?<=[^\W\d_])-)\n")
# First letters of headings (keywords and ordinals), to skip most lines cheaply.
_HEADING_INITIALS = frozenset("CBPVEFSTNLcbpvefstnl")
# First characters of a scene-break marker (see `breaks.py`), to test only likely ones.
_BREAK_INITIALS = frozenset("*-~#=•·oO0xX<&")
# Blank lines, then a block of non-blank lines.
_BLOCK = re.compile(r"((?:[^\S\n]*\n)*)([^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*)")
# A line that may be a scene break (see `breaks.py`), to test only those lines.
_MAYBE_BREAK = re.compile(
    r"^[^\S\n]*(?:[*\-~#=•·]|[oO0][oO0][oO0]|[xX]\s*[xX]\s*[xX]|<hr|&nbsp;)", re.MULTILINE
)
_ROMAN = re.compile(r"^M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
_SMALL_WORDS = frozenset("a an and as at but by for from in into nor of on or the to with".split())


@dataclass(frozen=True, slots=True)
class _Block:
    """Lines between blank lines; `gap` is how many blank lines stood before them."""

    lines: tuple[str, ...]
    gap: int

    @property
    def text(self) -> str:
        return " ".join(line.strip() for line in self.lines)


@dataclass(frozen=True, slots=True)
class _Heading:
    part: bool  # a part (book, volume, epilogue), whose chapters carry its name
    key: str  # what names it in the table of contents, e.g. "CHAPTER IV"
    label: str  # as shown, e.g. "Chapter IV"
    subtitle: str | None  # as written (Gutenberg's italics underscores and all)
    bookend: bool = False  # a prologue or epilogue


@dataclass(slots=True)
class _Chapter:
    title: str | None
    is_part: bool = False
    sections: list[list[_Block]] = field(default_factory=lambda: [[]])
    hard: list[bool] = field(default_factory=lambda: [True])  # section starts at a star line

    def add(self, block: _Block) -> None:
        if block.gap >= 2 and self.sections[-1]:
            self.cut(hard=False)
        self.sections[-1].append(block)

    def cut(self, *, hard: bool) -> None:
        if self.sections[-1]:
            self.sections.append([])
            self.hard.append(hard)
        elif hard:
            self.hard[-1] = True


@dataclass(frozen=True, slots=True)
class Layout:
    """How a text lays out its lines: wrap width, and whether it closes its dashes up."""

    width: int
    closed_dashes: bool


def parse_gutenberg(
    text: str, encoding: str = "utf-8", *, fallback_title: str | None = None
) -> Document:
    """Parse a decoded Project Gutenberg text (see the module docstring for what is kept).

    `fallback_title` (from the file name, say) is the title when the header names none.
    """
    return build_gutenberg(scan_gutenberg(text, encoding, fallback_title=fallback_title))


@dataclass(frozen=True, slots=True)
class ScannedBook:
    """A Gutenberg text split into blocks of lines: the first of the parser's two stages.

    The loader drops the decoded text between the stages, so a big book never sits in memory
    as text, lines and paragraphs at once.
    """

    metadata: StoryMetadata
    blocks: list[_Block]
    layout: Layout
    size: int  # characters between the markers
    encoding: str


def scan_gutenberg(
    text: str, encoding: str = "utf-8", *, fallback_title: str | None = None
) -> ScannedBook:
    """Find the header's metadata and split the body (read in place, not copied) into blocks."""
    text = normalise(text)  # the same object when the loader already tidied the bytes
    start, end = _body_bounds(text)
    metadata = _header_metadata(text[:start] if start else text[:5000], fallback_title)
    blocks = list(_blocks(text, start, end))
    if not any(block.text for block in blocks):
        raise UnusableText("it holds no text between its Project Gutenberg markers")
    layout = measure_layout((line for block in blocks for line in block.lines), text, start, end)
    return ScannedBook(metadata, blocks, layout, end - start, encoding)


def build_gutenberg(book: ScannedBook) -> Document:
    """The second stage: chapters, scenes and paragraphs from the scanned blocks."""
    metadata, layout, encoding = book.metadata, book.layout, book.encoding
    blocks = _cut_after_the_end(book.blocks, book.size)
    front, chapters, problems = _chapters(blocks, layout)
    notes, chapters = _front_matter(front, chapters, layout, _names(metadata))
    if not chapters:
        raise UnusableText("it holds no text between its Project Gutenberg markers")
    if notes:
        metadata = replace(metadata, notes=notes)
    return Document(metadata, tuple(chapters), FORMAT, encoding, tuple(problems))


def count_parts_and_chapters(document: Document) -> tuple[int, int]:
    """(parts, chapters) of a parsed book: parts are the distinct title prefixes before
    `PART_SEPARATOR` (0 for a book without parts)."""
    parts = {
        chapter.title.split(PART_SEPARATOR, 1)[0]
        for chapter in document.chapters
        if chapter.title and PART_SEPARATOR in chapter.title
    }
    return len(parts), len(document.chapters)


# --- header and markers -------------------------------------------------------------------


def _body_bounds(text: str) -> tuple[int, int]:
    """Where the book starts and ends: after the START marker, before the END marker."""
    start_match = _START.search(text)
    start = start_match.end() + 1 if start_match else 0
    end_match = _END.search(text, start)
    return min(start, len(text)), end_match.start() if end_match else len(text)


def _header_metadata(header: str, fallback_title: str | None) -> StoryMetadata:
    fields: dict[str, str] = {}
    lines = header.split("\n")
    for index, line in enumerate(lines):
        match = _HEADER_FIELD.match(line)
        if match and match.group(1).lower() not in fields and match.group(2).strip():
            value = [match.group(2).strip()]
            for follower in lines[index + 1 :]:  # continuation lines are indented
                if not follower[:1].isspace() or not follower.strip() or ":" in follower:
                    break
                value.append(follower.strip())
            fields[match.group(1).lower()] = " ".join(value)
    title, author = fields.get("title"), fields.get("author") or fields.get("authors")
    first = _FIRST_LINE_TITLE.match(next((ln for ln in lines if ln.strip()), "").strip())
    if first:
        title = title or first.group(1)
        author = author or first.group(2)
    number = _EBOOK_NUMBER.search(header)
    stats = [
        (label, _EBOOK_NUMBER.sub("", fields[key]).strip())
        for key, label in (
            ("translator", "Translator"),
            ("translators", "Translators"),
            ("release date", "Released"),
        )
        if key in fields
    ]
    return StoryMetadata(
        title=title or fallback_title or "Untitled",
        author=author,
        language=fields.get("language"),
        source_url=GUTENBERG_URL.format(number.group(1)) if number else None,
        stats=tuple(stats),
    )


# --- layout ---------------------------------------------------------------------------------


def _blocks(body: str, start: int = 0, end: int | None = None) -> Iterator[_Block]:
    """Blocks of lines between blank lines of `body[start:end]`; a scene-break line is always a
    block of its own."""
    stop = len(body) if end is None else end
    maybe_breaks = [match.start() for match in _MAYBE_BREAK.finditer(body, start, stop)]
    next_maybe = 0
    for match in _BLOCK.finditer(body, start, stop):
        blanks, text = match.groups()
        # After the first block, the blanks start with the line break ending the block before.
        gap = blanks.count("\n") - (1 if match.start() > start else 0)
        lines = tuple(line.rstrip() for line in text.split("\n"))
        while next_maybe < len(maybe_breaks) and maybe_breaks[next_maybe] < match.start(2):
            next_maybe += 1
        if next_maybe == len(maybe_breaks) or maybe_breaks[next_maybe] >= match.end(2):
            yield _Block(lines, gap)  # no line of this block can be a scene break
            continue
        kept: list[str] = []
        for line in lines:
            if is_scene_break(line):
                if kept:
                    yield _Block(tuple(kept), gap)
                    kept, gap = [], 0
                yield _Block((line,), gap)
                gap = 0
            else:
                kept.append(line)
        if kept:
            yield _Block(tuple(kept), gap)


def measure_layout(
    lines: Iterable[str], text: str, start: int = 0, end: int | None = None
) -> Layout:
    """The wrap width (the 95th percentile of line lengths) and the dash style of
    `text[start:end]`."""
    lengths = Counter(len(line) for line in lines)
    wanted = sum(lengths.values()) * 0.95
    width, seen = 72, 0
    for length in sorted(lengths):
        seen += lengths[length]
        if seen >= wanted:
            width = length
            break
    stop = len(text) if end is None else end
    spaced = text.count("— ", start, stop) + text.count("-- ", start, stop)
    dashes = text.count("—", start, stop) + text.count("--", start, stop)
    return Layout(max(40, width), closed_dashes=spaced * 2 <= dashes)


def _cut_after_the_end(blocks: list[_Block], size: int) -> list[_Block]:
    """Drop what follows a closing `THE END` when it is only a sliver of the book."""
    after = 0
    for index in range(len(blocks) - 1, -1, -1):
        if len(blocks[index].lines) == 1 and _THE_END.match(blocks[index].text):
            return blocks[: index + 1]
        after += sum(len(line) + 1 for line in blocks[index].lines)
        if after > max(size * MAX_AFTER_END_SHARE, MAX_AFTER_END_CHARS):
            break
    return blocks


# --- headings and the table of contents -------------------------------------------------------


def _heading(line: str) -> _Heading | None:
    """The heading `line` is (stripped of its indentation), or None for text."""
    line = line.strip()
    if len(line) > 100 or not line or line[0] not in _HEADING_INITIALS:
        return None
    match = _HEADING.match(line)
    if match:
        kw, number = match.group("kw"), match.group("num")
        part, bookend = kw.upper() != "CHAPTER", False
        key = f"{kw.upper()} {number.upper()}"
        label = f"{kw.capitalize()} {_number_case(number)}"
    else:
        match = _BOOKEND.match(line)
        if not match:
            return None
        kw, ordinal = match.group("kw"), match.group("ord")
        part = bookend = True
        key = f"{ordinal.upper()} {kw.upper()}" if ordinal else kw.upper()
        label = f"{ordinal.capitalize()} {kw.capitalize()}" if ordinal else kw.capitalize()
    rest = match.group("rest")
    if not rest.strip(" .:"):
        return _Heading(part, key, label, None, bookend)
    titled = _HEADING_TITLE.match(rest)
    if titled is None:
        return None  # "Chapter one was over": words run on, so this is a sentence
    return _Heading(part, key, label, titled.group("title"), bookend)


def _number_case(number: str) -> str:
    return number if number.isupper() and _ROMAN.match(number) else number.title()


@dataclass(frozen=True, slots=True)
class _HeadingBlock:
    heading: _Heading
    subtitle_line: str | None  # the line under the heading, when it is a short one
    rest: _Block | None  # text that follows the heading without a blank line


def _block_heading(block: _Block, layout: Layout) -> _HeadingBlock | None:
    """Read a block as a heading: alone, over a short subtitle line, or over text.

    A block of wrapped prose is never a heading, even if its first words look like one.
    """
    heading = _heading(block.lines[0])
    if heading is None:
        return None
    if len(block.lines) == 1:
        return _HeadingBlock(heading, None, None)
    if heading.subtitle is not None:
        return None
    second = block.lines[1].strip()
    if len(block.lines) == 2 and len(second) < min(80, layout.width * SHORT_LINE):
        return _HeadingBlock(heading, second, None)
    return _HeadingBlock(heading, None, _Block(block.lines[1:], 0))


def _is_toc_block(block: _Block) -> bool:
    """A block of heading lines, one under the other: a table of contents."""
    lines = block.lines
    return len(lines) >= 2 and _heading(lines[0]) is not None and _heading(lines[1]) is not None


@dataclass(slots=True)
class _Contents:
    """Chapter titles found in the table of contents, by key, in order of appearance."""

    titles: dict[str, list[str | None]] = field(default_factory=dict)
    used: dict[str, int] = field(default_factory=dict)

    def add(self, line: str) -> None:
        heading = _heading(line)
        if heading is not None:
            self.titles.setdefault(heading.key, []).append(heading.subtitle)

    def title_for(self, key: str) -> str | None:
        """The title of the next chapter named `key` (the nth `CHAPTER I` for the nth)."""
        index = self.used.get(key, 0)
        self.used[key] = index + 1
        titles = self.titles.get(key, [])
        return titles[index] if index < len(titles) else None


def _strip_contents(blocks: list[_Block]) -> tuple[list[_Block], _Contents]:
    """Remove the table of contents, keeping its titles.

    It is a `Contents` line and the heading lines after it, up to the first text or a
    heading that repeats its first entry (the first chapter itself); or a block of several
    heading lines.
    """
    contents = _Contents()
    kept: list[_Block] = []
    first_key: str | None = None
    in_contents = False
    for block in blocks:
        if len(block.lines) == 1 and _CONTENTS.match(block.text):
            in_contents, first_key = True, None
            continue
        if _is_toc_block(block):
            for line in block.lines:
                contents.add(line)
            first = _heading(block.lines[0])
            if first_key is None and first is not None:
                first_key = first.key
            continue
        heading = _heading(block.lines[0]) if len(block.lines) == 1 else None
        if in_contents and heading is not None and heading.key != first_key:
            first_key = first_key or heading.key
            for line in block.lines:
                contents.add(line)
            continue
        in_contents = False
        kept.append(block)
    return kept, contents


# --- chapters -------------------------------------------------------------------------------


def _chapters(
    blocks: list[_Block], layout: Layout
) -> tuple[list[_Block], list[ChapterSource], list[str]]:
    """Sort blocks into the front matter and chapters. Returns (front, chapters, problems)."""
    blocks, contents = _strip_contents(blocks)
    front: list[_Block] = []
    drafts: list[_Chapter] = []
    part: str | None = None
    index = 0
    while index < len(blocks):
        block = blocks[index]
        index += 1
        found = _block_heading(block, layout)
        if found is None:
            _add_text(drafts[-1] if drafts else None, front, block)
            continue
        heading = found.heading
        subtitle, index = _subtitle(found, blocks, index, contents)
        title = _title(heading.label, contents.title_for(heading.key) or subtitle)
        if heading.part and not _stands_alone(heading, blocks, index, found, layout):
            part = title
            drafts.append(_Chapter(title, is_part=True))
        elif heading.part:  # a prologue or epilogue of its own: no chapters carry its name
            part = None
            drafts.append(_Chapter(title))
        else:
            drafts.append(_Chapter(f"{part}{PART_SEPARATOR}{title}" if part else title))
        if found.rest is not None:
            drafts[-1].add(found.rest)
    return front, *_finish(drafts, layout)


def _subtitle(
    found: _HeadingBlock, blocks: list[_Block], index: int, contents: _Contents
) -> tuple[str | None, int]:
    """The heading's subtitle (on its line, the next line, or the next short capitalised
    paragraph), and the index of the block after it."""
    if found.heading.subtitle is not None:
        return found.heading.subtitle, index
    if found.subtitle_line is not None:
        return found.subtitle_line, index
    if found.rest is None and index < len(blocks) and _is_subtitle(blocks[index], contents):
        return blocks[index].text, index + 1
    return None, index


def _stands_alone(
    heading: _Heading, blocks: list[_Block], index: int, found: _HeadingBlock, layout: Layout
) -> bool:
    """A prologue or epilogue with text under it is a chapter, not a part of chapters."""
    if not heading.bookend:
        return False
    if found.rest is not None:
        return True
    return index < len(blocks) and _block_heading(blocks[index], layout) is None


def _add_text(chapter: _Chapter | None, front: list[_Block], block: _Block) -> None:
    """Add a block to the chapter, or to the front matter before any chapter."""
    if chapter is None:
        front.append(block)
    elif all(is_scene_break(line) for line in block.lines):
        chapter.cut(hard=True)
    else:
        chapter.add(block)


def _is_subtitle(block: _Block, contents: _Contents) -> bool:
    """A heading's subtitle on its own line: short and capitalised (or named in the contents)."""
    if len(block.lines) != 1 or len(block.text) > 80 or is_scene_break(block.text):
        return False
    if _heading(block.text) is not None:
        return False
    outside_italics = _ITALIC.sub("", block.text)
    if any(char.isalpha() for char in outside_italics) and not any(
        char.islower() for char in outside_italics
    ):
        return True
    named = {_plain(t).casefold() for titles in contents.titles.values() for t in titles if t}
    return _plain(block.text).casefold() in named


def _title(label: str, subtitle: str | None) -> str:
    plain = _title_case(subtitle) if subtitle else ""
    return f"{label}: {plain}" if plain else label


def _plain(text: str) -> str:
    """Title text without Gutenberg's italics underscores."""
    return " ".join(_ITALIC.sub(r"\1", text).split())


def _title_case(text: str) -> str:
    """A title as plain text: title case if it was shouted (all capitals outside its italics),
    else as written; Gutenberg's italics underscores removed."""
    outside_italics = _ITALIC.sub("", text)
    text = _plain(text)
    if any(char.islower() for char in outside_italics):
        return text
    words = text.split(" ")
    out: list[str] = []
    for position, word in enumerate(words):
        letters = "".join(char for char in word if char.isalpha())
        if (letters and _ROMAN.match(letters) and len(letters) > 1) or letters == "I":
            out.append(word)
        elif position and letters.lower() in _SMALL_WORDS:
            out.append(word.lower())
        else:
            out.append(_capitalise(word))
    return " ".join(out)


def _capitalise(word: str) -> str:
    lowered = word.lower()
    for position, char in enumerate(lowered):
        if char.isalpha():
            return lowered[:position] + char.upper() + lowered[position + 1 :]
    return lowered


def _finish(drafts: list[_Chapter], layout: Layout) -> tuple[list[ChapterSource], list[str]]:
    """Chapters with text become `ChapterSource`s; empty ones are skipped.

    Parts without text of their own, and headings before the first chapter with text (a
    table of contents without a `Contents` line), are structure and skipped quietly; an
    empty chapter after that is named in the problems.
    """
    chapters: list[ChapterSource] = []
    problems: list[str] = []
    for draft in drafts:
        scenes = _scenes(draft, layout)
        if scenes:
            chapters.append(ChapterSource(draft.title, scenes))
        elif chapters and not draft.is_part:
            problems.append(f"chapter '{draft.title}' has no text; skipped")
    for problem in problems:
        log.info("%s", problem)
    return chapters, problems


def _scenes(chapter: _Chapter, layout: Layout) -> tuple[Scene, ...]:
    """Scenes of a chapter: its sections, a short one cut off by blank lines only merged."""
    sections: list[tuple[bool, list[Paragraph]]] = []
    for hard, blocks in zip(chapter.hard, chapter.sections, strict=True):
        for number, paragraphs in enumerate(_split_at_breaks(blocks, layout)):
            sections.append((hard or number > 0, paragraphs))
    merged: list[list[Paragraph]] = []
    for hard, paragraphs in sections:
        if merged and not hard and _not_a_scene_break(merged[-1], paragraphs):
            merged[-1].extend(paragraphs)
        else:
            merged.append(list(paragraphs))
    return tuple(tuple(paragraphs) for paragraphs in merged)


def _split_at_breaks(blocks: list[_Block], layout: Layout) -> list[list[Paragraph]]:
    """Paragraphs of blocks, cut where one turns out a break (`_*_` once its underscores go)."""
    pieces: list[list[Paragraph]] = [[]]
    for block in blocks:
        paragraph = _paragraph(block, layout)
        if paragraph.text[:1] not in _BREAK_INITIALS or not is_scene_break(paragraph.text):
            pieces[-1].append(paragraph)
        elif pieces[-1]:
            pieces.append([])
    return [piece for piece in pieces if piece]


def _not_a_scene_break(before: list[Paragraph], after: list[Paragraph]) -> bool:
    """Blank lines that only set off a verse or a footnote, or leave a few words alone.

    Gutenberg books put extra blank lines around poems and after footnotes (`* …`); and a
    "scene" of a heading line or a chorus is no scene.
    """
    if min(_words(before), _words(after)) < MIN_SOFT_SCENE_WORDS:
        return True
    return any("\n" in p.text or p.text.startswith("*") for p in (before[-1], after[0]))


def _words(paragraphs: Iterable[Paragraph]) -> int:
    return sum(len(paragraph.text.split()) for paragraph in paragraphs)


# --- paragraphs -----------------------------------------------------------------------------


def _paragraph(block: _Block, layout: Layout) -> Paragraph:
    lines = block.lines
    if len(lines) == 1:
        text = lines[0].strip()
    elif keeps_line_breaks(lines, layout):
        indent = min(len(line) - len(line.lstrip()) for line in lines)
        text = "\n".join(line[indent:] for line in lines)
    else:
        text = join_wrapped([line.strip() for line in lines], layout.closed_dashes)
    return _italics(text)


def keeps_line_breaks(lines: tuple[str, ...], layout: Layout) -> bool:
    """Verse and the like: most lines short, or indented unevenly (not wrapped prose)."""
    wrapped = lines[:-1]
    threshold = layout.width * SHORT_LINE
    long_lines = sum(1 for line in wrapped if len(line) >= threshold)
    if long_lines * 2 < len(wrapped):
        return True
    indented = [line for line in lines if line[:1].isspace()]
    if len(indented) * 2 >= len(lines) and len({len(ln) - len(ln.lstrip()) for ln in lines}) > 1:
        return True
    return _long_verse(lines)


def _long_verse(lines: tuple[str, ...]) -> bool:
    """Verse of long lines: every line opens with a capital and most close on punctuation.

    Wrapped prose almost never does both (its lines start mid-sentence and end mid-phrase);
    a stanza of the Lobster Quadrille does.
    """
    if len(lines) < 3 or not all(_CAPITAL_START.match(line.lstrip()) for line in lines[1:]):
        return False
    ends = lines[:-1]
    # A capital after a line ending on a word is mostly a name in running prose.
    on_a_word = sum(1 for line in ends if line[-1:].isalnum())
    punctuated = sum(1 for line in ends if line.endswith(_LINE_END_PUNCTUATION))
    stanza = len(lines) >= 5 and punctuated * 4 >= len(ends) * 3
    if on_a_word:
        return on_a_word == 1 and stanza
    mid_sentence = sum(1 for line in ends if not line.endswith(_SENTENCE_END))
    return mid_sentence >= 2 or stanza


def join_wrapped(lines: list[str], closed_dashes: bool) -> str:
    """Re-join hard-wrapped lines with a space; nothing after a closed-up dash or a hyphen."""
    text = "\n".join(lines)
    if "-\n" in text or "—\n" in text:
        text = (_JOIN_TIGHT_DASHES if closed_dashes else _JOIN_TIGHT).sub(r"\1", text)
    return text.replace("\n", " ")


def _italics(text: str) -> Paragraph:
    """Turn `_word_` into an italic span over `word`, removing the underscores."""
    if "_" not in text:
        return Paragraph(text)
    spans: list[Span] = []
    parts: list[str] = []
    length = 0
    position = 0
    for match in _ITALIC.finditer(text):
        before = text[position : match.start()]
        parts.append(before)
        length += len(before)
        inner = match.group(1)
        spans.append(Span(length, length + len(inner), "italic"))
        parts.append(inner)
        length += len(inner)
        position = match.end()
    parts.append(text[position:])
    return Paragraph("".join(parts), tuple(spans))


# --- front matter ---------------------------------------------------------------------------


def _names(metadata: StoryMetadata) -> frozenset[str]:
    """The title and author as a title page prints them, for recognising it."""
    names = {metadata.title, metadata.author or ""}
    names |= {f"by {name}" for name in names}
    return frozenset(_fold(name) for name in names if name.strip())


def _fold(text: str) -> str:
    return " ".join(text.replace("’", "'").casefold().split())


def _front_matter(
    front: list[_Block], chapters: list[ChapterSource], layout: Layout, names: frozenset[str]
) -> tuple[str | None, list[ChapterSource]]:
    """Sort the text before the first chapter: title page dropped, prose kept.

    A book without chapter headings is all front matter: once its title page is dropped it
    is one untitled chapter. Otherwise short prose is the book's notes and long prose (a
    preface) an untitled first chapter.
    """
    if not chapters:
        drafts = _Chapter(None)
        for block in _drop_title_page(front, names, leading_only=True):
            if all(is_scene_break(line) for line in block.lines):
                drafts.cut(hard=True)
            else:
                drafts.add(block)
        scenes = _scenes(drafts, layout)
        return None, [ChapterSource(None, scenes)] if scenes else []
    prose = [
        block
        for block in _drop_title_page(front, names, leading_only=False)
        if not all(is_scene_break(line) for line in block.lines)
    ]
    if not prose:
        return None, chapters
    paragraphs = [_paragraph(block, layout) for block in prose]
    if _words(paragraphs) <= MAX_NOTE_WORDS:
        return "\n\n".join(paragraph.text for paragraph in paragraphs), chapters
    return None, [ChapterSource(None, (tuple(paragraphs),)), *chapters]


def _drop_title_page(
    blocks: list[_Block], names: frozenset[str], *, leading_only: bool
) -> list[_Block]:
    """Drop title-page blocks: all of them, or (a book without chapters) those at its start.

    At the start of a book without chapters the test is strict (the first line of the story
    must not go); before a first chapter any short line that is not a sentence goes.
    """
    kept: list[_Block] = []
    for block in blocks:
        past_title_page = leading_only and bool(kept)
        if past_title_page or not _is_title_page(block, names, strict=leading_only):
            kept.append(block)
    return kept


def _is_title_page(block: _Block, names: frozenset[str], *, strict: bool) -> bool:
    """Title-page furniture: centred lines, capitals, the title, "by …", credits."""
    text = block.text
    if all(line.startswith("    ") for line in block.lines):
        return True
    if len(block.lines) > 3:
        return False
    letters = _plain(text)
    shouted = any(c.isalpha() for c in letters) and not any(c.islower() for c in letters)
    if shouted or _fold(letters) in names or _TITLE_PAGE.match(text):
        return True
    sentence = text.endswith((".", "!", "?", "”", '"', "’", "'", ":", ";", ","))
    return not strict and len(block.lines) == 1 and len(text) < 60 and not sentence
