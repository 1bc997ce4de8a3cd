"""The text of a Gutenberg book: blocks of lines, the wrap width, paragraphs, italics, verse.

* Hard-wrapped lines are joined into paragraphs with a space (nothing after a dash, when
  the book closes its dashes up); verse, letters' address blocks, a play's speeches and other
  paragraphs of mostly short or unevenly indented lines keep their line breaks.
* A speaker's name on its own line over a speech (`ALGERNON.`) keeps its line.
* `_underscored_` words are Gutenberg's italics: they become italic spans.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Final

from bot.library.breaks import is_scene_break
from bot.library.model import Paragraph, Span

# Below this share of the wrap width a line is short: verse, not wrapped prose.
SHORT_LINE: Final = 0.7
# A book whose continuation lines open with a capital this often is verse (given this many).
VERSE_SHARE: Final = 0.8
MIN_VERSE_LINES: Final = 5
VERSE_SAMPLE_LINES: Final = 2000
# A speaker's name over a speech is at most this long (`LADY BRACKNELL.`).
MAX_SPEAKER_CHARS: Final = 40

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
# Blank lines, then a block of non-blank lines.
_BLOCK = re.compile(r"((?:[^\S\n]*\n)*)([^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*)")
# A line that may be a scene break (see `breaks.py`), to test only those lines.
_MAYBE_BREAK = re.compile(
    r"^[^\S\n]*(?:[*\-~#=•·]|[oO0][oO0][oO0]|[xX]\s*[xX]\s*[xX]|<hr|&nbsp;)", re.MULTILINE
)
# A speaker's name in capitals, perhaps with a direction: `FIRST CITIZEN.`, `JACK [aside]:`.
_SPEAKER = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý .,'’&-]*[A-ZÀ-Ý](?:\s*\[[^\]]*\]|\s*\([^)]*\))?[.:]?$")
_INNER_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
ROMAN = re.compile(r"^M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into nor of on or the to with "
    "de du des la le les et en à von und der die das zu del y el los las di e il".split()
)


@dataclass(frozen=True, slots=True)
class Block:
    """Lines between blank lines; `gap` is how many blank lines stood before them."""

    lines: tuple[str, ...]
    gap: int

    @property
    def text(self) -> str:
        return " ".join(line.strip() for line in self.lines)


@dataclass(frozen=True, slots=True)
class Layout:
    """How a text lays out its lines: wrap width, and whether it closes its dashes up."""

    width: int
    closed_dashes: bool
    verse: bool = False  # a book of verse: its paragraphs keep their lines, however long


def is_break_block(block: Block) -> bool:
    """A scene-break line (`blocks` gives each its own block)."""
    return len(block.lines) == 1 and is_scene_break(block.lines[0])


def words(paragraphs: Iterable[Paragraph]) -> int:
    return sum(len(paragraph.text.split()) for paragraph in paragraphs)


def blocks(body: str, start: int = 0, end: int | None = None) -> Iterator[Block]:
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
            yield Block(lines, gap)  # no line of this block can be a scene break
            continue
        kept: list[str] = []
        for line in lines:
            if is_scene_break(line):
                if kept:
                    yield Block(tuple(kept), gap)
                    kept, gap = [], 0
                yield Block((line,), gap)
                gap = 0
            else:
                kept.append(line)
        if kept:
            yield Block(tuple(kept), gap)


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


def is_verse(found: Iterable[Block]) -> bool:
    """A book of verse: its lines after the first of each block open with a capital.

    Wrapped prose continues its sentences on the next line (a capital there now and then);
    verse, whatever the width of its lines, starts each line anew.
    """
    continued = capitals = 0
    for block in found:
        for line in block.lines[1:]:
            continued += 1
            capitals += _CAPITAL_START.match(line.lstrip()) is not None
        if continued >= VERSE_SAMPLE_LINES:  # a sample tells prose from verse
            break
    return continued >= MIN_VERSE_LINES and capitals >= continued * VERSE_SHARE


def paragraph(block: Block, layout: Layout) -> Paragraph:
    return italics(_paragraph_text(block.lines, layout))


def _paragraph_text(lines: tuple[str, ...], layout: Layout) -> str:
    if len(lines) == 1:
        return lines[0].strip()
    if is_speaker(lines[0]):  # a play: the name keeps its line over the speech
        return f"{lines[0].strip()}\n{_paragraph_text(lines[1:], layout)}"
    if keeps_line_breaks(lines, layout):
        indent = min(len(line) - len(line.lstrip()) for line in lines)
        return "\n".join(line[indent:] for line in lines)
    return join_wrapped([line.strip() for line in lines], layout.closed_dashes)


def is_speaker(line: str) -> bool:
    """A speaker's name in capitals on its own line (`LADY BRACKNELL.`, `HAMLET:`)."""
    line = line.strip()
    return len(line) <= MAX_SPEAKER_CHARS and _SPEAKER.match(line) is not None


def keeps_line_breaks(lines: tuple[str, ...], layout: Layout) -> bool:
    """Verse and the like: most lines short, or indented unevenly (not wrapped prose)."""
    if layout.verse:
        return True
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


def italics(text: str) -> Paragraph:
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


# --- titles -------------------------------------------------------------------------------


def make_title(label: str, subtitle: str | None) -> str:
    plain = title_case(subtitle) if subtitle else ""
    return f"{label}: {plain}" if plain else label


def plain(text: str) -> str:
    """Title text without Gutenberg's italics underscores."""
    return " ".join(_ITALIC.sub(r"\1", text).split())


def title_case(text: str) -> str:
    """A title as plain text: title case if it was shouted (all capitals outside its italics),
    else as written; Gutenberg's italics underscores removed."""
    outside_italics = _ITALIC.sub("", text)
    text = plain(text)
    if any(char.islower() for char in outside_italics):
        return text
    words = text.split(" ")
    out: list[str] = []
    for position, word in enumerate(words):
        letters = "".join(char for char in word if char.isalpha())
        if (letters and ROMAN.match(letters) and len(letters) > 1) or letters == "I":
            out.append(word)
        elif position and letters.lower() in _SMALL_WORDS and word[:1].isalpha():
            out.append(word.lower())
        else:
            out.append(_capitalise(word))
    return " ".join(out)


def _capitalise(word: str) -> str:
    if _INNER_HYPHEN.search(word):  # Custom-House, Rabbit-Hole
        return "-".join(_capitalise(part) for part in _INNER_HYPHEN.split(word))
    lowered = word.lower()
    for position, char in enumerate(lowered):
        if char.isalpha():
            return lowered[:position] + char.upper() + lowered[position + 1 :]
    return lowered
