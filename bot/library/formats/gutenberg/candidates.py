"""Which blocks may head a division: a heading line alone, over its subtitle, or over text.

* Every division heading of `headings.py` is a candidate, and so is a line the contents list
  names without a number (`THE CUSTOM HOUSE.—INTRODUCTORY`): a titled section.
* A heading's subtitle (the line under it, the next short capitalised paragraph, or a line
  centred under a centred heading) is part of its title, unless the contents list titles the
  heading otherwise: then that line is text.
* A title that wraps onto a second line is one title; a block of wrapped prose is never a
  heading, even if its first words look like one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from bot.library.breaks import is_scene_break
from bot.library.formats.gutenberg.contents import Contents, Stripped, fold
from bot.library.formats.gutenberg.headings import NUMBERED, TITLED, Heading, parse_heading
from bot.library.formats.gutenberg.text import SHORT_LINE, Block, Layout, plain

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


def same_title(one: str, other: str) -> bool:
    a, b = fold(one), fold(other)
    return bool(a and b) and (a == b or a.startswith(b) or b.startswith(a))


def candidates(stripped: Stripped, layout: Layout, book_title: str) -> dict[int, Found]:
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
        if subtitle is not None and listed and not same_title(listed, subtitle):
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
