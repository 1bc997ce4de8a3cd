"""What comes before the first chapter: the title page (dropped), then what the book says
before it begins (kept).

The title page is the run of blocks at the top that are title-page furniture: the title and
author, `by …`, credits (`Produced by`), publisher's lines in capitals or centred, dates,
header fields copied into the text. It ends at the first other block: a dedication, an
epigraph, a cast list or a note is kept from there on. Kept text of up to `MAX_NOTE_WORDS`
is the book's notes; beyond that (a preface) it is a first chapter, titled by the short
lines that head it, if any.
"""

from __future__ import annotations

import re
from typing import Final

from bot.library.formats.gutenberg.contents import fold
from bot.library.formats.gutenberg.scenes import Draft, scenes_of
from bot.library.formats.gutenberg.text import (
    Block,
    Layout,
    is_break_block,
    paragraph,
    plain,
    title_case,
    words,
)
from bot.library.model import ChapterSource, StoryMetadata

# Prose before the first chapter up to this many words is a note, beyond it a chapter.
MAX_NOTE_WORDS: Final = 400
# A title page line is at most this long (a centred or capitalised line is any length).
MAX_TITLE_PAGE_CHARS: Final = 60
# A block of this many lines or more whose lines name chapters is a contents list.
MIN_LIST_LINES: Final = 3
MIN_LIST_TITLE_LETTERS: Final = 6
# A title page block has at most this many lines.
MAX_TITLE_PAGE_LINES: Final = 4
# Lines of a block that heads a preface-like chapter.
MAX_FRONT_TITLE_LINES: Final = 2

# Title-page furniture: credits, `by …`, copyright and publishers' lines.
_TITLE_PAGE = re.compile(
    r"^(?:by\b|produced by|e-?text prepared by|this (?:e-?text|e-?book) was|\[illustration"
    r"|transcriber|illustrated by|translated by|with illustrations|copyright|all rights"
    r"|printed in|published by|édition|edited by|cover$|[A-Z][a-z]+:(?:\s|$))",
    re.IGNORECASE,
)
# Credits anywhere in the front matter: a credit line, or (in a short block before a book's
# chapters) who scanned and proofread it.
_CREDIT_LINE = re.compile(r"^(?:produced by|e-?text prepared by|transcriber|\[illustration)", re.I)
_CREDIT_WORDS = re.compile(
    r"\b(?:scanned|proofread|proofed|proofing|e-?texts?|project gutenberg)\b", re.IGNORECASE
)
MAX_CREDIT_LINES: Final = 12
# A dedication or a cast list opens the kept front matter, however short: `À Louis
# Bouilhet`, `TO MY FRIEND`, `Dramatis Personæ`, `THE PERSONS IN THE PLAY`.
_KEPT_OPENING = re.compile(
    r"^(?:(?:to|for|à|au|aux|für|dedicated|dédié|dedicado|dedicato)\s"
    r"|dramatis\s+person|(?:the\s+)?persons\s+(?:in|of)\s+the\s+(?:play|drama)"
    r"|personnages|personen|personaggi|characters(?:\s+in\s+the\s+play)?[.:]?$)",
    re.IGNORECASE,
)
_SENTENCE_END = (".", "!", "?", "”", '"', "’", "'", ":", ";")


def names_of(metadata: StoryMetadata) -> tuple[str, ...]:
    """The title and author, folded, as a title page prints them."""
    return tuple(fold(name) for name in (metadata.title, metadata.author or "") if fold(name))


def front_matter(
    front: list[Block], chapters: list[ChapterSource], layout: Layout, names: tuple[str, ...]
) -> tuple[str | None, list[ChapterSource]]:
    """The book's notes, and its chapters with a preface-like first chapter when the front
    matter is long. A book without headings is all front matter: one untitled chapter."""
    kept = _after_title_page(front, names, strict=not chapters)
    if not chapters:
        draft = Draft(None)
        for block in kept:
            draft.add(block)
        scenes = scenes_of(draft, layout)
        return None, [ChapterSource(None, scenes)] if scenes else []
    titles = [fold(chapter.title) for chapter in chapters if chapter.title]
    kept = [b for b in kept if not is_break_block(b) and not _lists_titles(b, titles)]
    if not kept:
        return None, chapters
    paragraphs = [paragraph(block, layout) for block in kept]
    if words(paragraphs) <= MAX_NOTE_WORDS:
        return "\n\n".join(p.text for p in paragraphs), chapters
    title_blocks = _heading_lines(kept)
    title = ": ".join(title_case(block.text).rstrip(".") for block in title_blocks) or None
    draft = Draft(title)
    for block in kept[len(title_blocks) :]:
        draft.add(block)
    return None, [ChapterSource(title, scenes_of(draft, layout)), *chapters]


def _lists_titles(block: Block, titles: list[str]) -> bool:
    """A contents list without a title: most of its lines name chapters of the book."""
    if len(block.lines) < MIN_LIST_LINES:
        return False
    named = 0
    for line in block.lines:
        folded = fold(line)
        if len(folded) >= MIN_LIST_TITLE_LETTERS and any(folded in title for title in titles):
            named += 1
    return named * 2 > len(block.lines)


def _after_title_page(blocks: list[Block], names: tuple[str, ...], *, strict: bool) -> list[Block]:
    """`blocks` from the first one that is not title-page furniture (credits go anywhere).

    At the start of a book without chapters the test is strict: the first line of the story
    must not go.
    """
    for start, block in enumerate(blocks):
        if not _is_title_page(block, names, strict=strict):
            return [b for b in blocks[start:] if strict or not _is_furniture(b, names)]
    return []


def _is_furniture(block: Block, names: tuple[str, ...]) -> bool:
    """Credits, or the title again on a line of its own, past the title page (the author's
    name under a dedication is its signature)."""
    title_again = len(block.lines) == 1 and _is_name(plain(block.text), names[:1])
    return title_again or _is_credit(block)


def _is_credit(block: Block, *, strict: bool = False) -> bool:
    """A credit; at the start of a book without chapters (`strict`), only a credit line."""
    if _CREDIT_LINE.match(block.text):
        return True
    return not strict and len(block.lines) <= MAX_CREDIT_LINES and _mentions_credits(block.text)


def _mentions_credits(text: str) -> bool:
    return _CREDIT_WORDS.search(text) is not None


def _is_title_page(block: Block, names: tuple[str, ...], *, strict: bool) -> bool:
    if is_break_block(block) or _TITLE_PAGE.match(block.text) or _is_credit(block, strict=strict):
        return True
    if all(line.startswith("    ") for line in block.lines) and len(block.lines) <= 6:
        return True
    if len(block.lines) > MAX_TITLE_PAGE_LINES:
        return False
    return all(_is_title_line(plain(line.strip()), names, strict=strict) for line in block.lines)


def _is_title_line(text: str, names: tuple[str, ...], *, strict: bool) -> bool:
    """A line of a title page: the title or author, in capitals, a date, a short caption."""
    if not any(char.isalpha() for char in text) or _is_name(text, names):
        return True
    if _TITLE_PAGE.match(text) or _CREDIT_LINE.match(text):
        return True
    if not strict and _mentions_credits(text):
        return True
    if _KEPT_OPENING.match(text):
        return False
    if not any(char.islower() for char in text):
        return True  # in capitals
    short = len(text) < MAX_TITLE_PAGE_CHARS and not text.endswith(_SENTENCE_END)
    return not strict and short and _is_caption(text)


def _is_caption(text: str) -> bool:
    """A title-page line in title case (`The Modern Prometheus`), not a dedication (`À Louis`)."""
    return all(word[:1].isupper() or len(word) <= 4 for word in text.split())


def _is_name(text: str, names: tuple[str, ...]) -> bool:
    folded = fold(text.removeprefix("by ").removeprefix("By "))
    return bool(folded) and any(folded in name or name in folded for name in names)


def _heading_lines(blocks: list[Block]) -> list[Block]:
    """The short single lines that head the front matter's prose (`THE CUSTOM-HOUSE.`)."""
    heading: list[Block] = []
    for block in blocks[:MAX_FRONT_TITLE_LINES]:
        text = plain(block.text)
        if len(block.lines) != 1 or len(text) > MAX_TITLE_PAGE_CHARS or text.endswith((",", ";")):
            break
        if any(char.islower() for char in text) and not block.lines[0].startswith("    "):
            break
        heading.append(block)
    return heading
