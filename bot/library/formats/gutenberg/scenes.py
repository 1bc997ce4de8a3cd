"""A chapter's scenes: cut at star lines always, at two or more blank lines when both sides
hold a scene's worth of words (diaries do this; a song's chorus set off by blank lines does
not make a scene)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from bot.library.breaks import is_scene_break
from bot.library.formats.gutenberg.text import Block, Layout, is_break_block, paragraph, words
from bot.library.model import Paragraph, Scene

# A scene cut off by blank lines alone needs this many words, or it joins its neighbour.
MIN_SOFT_SCENE_WORDS: Final = 40
# First characters of a scene-break marker (see `breaks.py`), to test only likely ones.
_BREAK_INITIALS = frozenset("*-~#=•·oO0xX<&")


@dataclass(slots=True)
class Draft:
    """A chapter being read: its title and its sections of blocks."""

    title: str | None
    is_part: bool = False  # a part heading: skipped quietly when it holds no text of its own
    quiet: bool = False  # skipped quietly when empty (a title line, a contents entry)
    sections: list[list[Block]] = field(default_factory=lambda: [[]])
    hard: list[bool] = field(default_factory=lambda: [True])  # section starts at a star line

    def add(self, block: Block) -> None:
        if is_break_block(block):
            self.cut(hard=True)
            return
        if block.gap >= 2 and self.sections[-1]:
            self.cut(hard=False)
        self.sections[-1].append(block)

    def cut(self, *, hard: bool) -> None:
        if self.sections[-1]:
            self.sections.append([])
            self.hard.append(hard)
        elif hard:
            self.hard[-1] = True

    @property
    def empty(self) -> bool:
        return not any(self.sections)


def scenes_of(draft: Draft, layout: Layout) -> tuple[Scene, ...]:
    """Scenes of a chapter: its sections, a short one cut off by blank lines only merged."""
    sections: list[tuple[bool, list[Paragraph]]] = []
    for hard, blocks in zip(draft.hard, draft.sections, strict=True):
        for number, paragraphs in enumerate(_split_at_breaks(blocks, layout)):
            sections.append((hard or number > 0, paragraphs))
    merged: list[list[Paragraph]] = []
    for hard, paragraphs in sections:
        if merged and not hard and _not_a_scene_break(merged[-1], paragraphs):
            merged[-1].extend(paragraphs)
        else:
            merged.append(list(paragraphs))
    return tuple(tuple(paragraphs) for paragraphs in merged)


def _split_at_breaks(blocks: list[Block], layout: Layout) -> list[list[Paragraph]]:
    """Paragraphs of blocks, cut where one turns out a break (`_*_` once its underscores go)."""
    pieces: list[list[Paragraph]] = [[]]
    for block in blocks:
        text = paragraph(block, layout)
        if text.text[:1] not in _BREAK_INITIALS or not is_scene_break(text.text):
            pieces[-1].append(text)
        elif pieces[-1]:
            pieces.append([])
    return [piece for piece in pieces if piece]


def _not_a_scene_break(before: list[Paragraph], after: list[Paragraph]) -> bool:
    """Blank lines that only set off a verse or a footnote, or leave a few words alone.

    Gutenberg books put extra blank lines around poems and after footnotes (`* …`); and a
    "scene" of a heading line or a chorus is no scene.
    """
    if min(words(before), words(after)) < MIN_SOFT_SCENE_WORDS:
        return True
    return any("\n" in p.text or p.text.startswith("*") for p in (before[-1], after[0]))
