"""Illustrated editions: `[Illustration: …]` markers, which may span lines and blocks.

A marker is left out of the text. When it holds a heading (`[Illustration: ·PRIDE AND
PREJUDICE· … Chapter I.]`, or `[Illustration: List of Illustrations.]`), that line stays,
as a block of its own, to head the chapter (or the list) as the book means it to.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Final

from bot.library.formats.gutenberg.text import Block

_OPENING = re.compile(r"^\s*\[\s*Illustrations?\b[\s:.]*", re.IGNORECASE)
# A marker longer than this many blocks is a stray bracket, not a caption.
MAX_MARKER_BLOCKS: Final = 12


def leave_out_illustrations(blocks: list[Block], keeps_line: Callable[[str], bool]) -> list[Block]:
    """`blocks` without illustration markers; the lines inside one that `keeps_line` (a
    heading, a list's title) stay, each as a block; text after a marker in its block stays.

    A book without illustrations gets its own list back, not a copy.
    """
    if not any(
        block.lines[0].lstrip()[:1] == "[" and _OPENING.match(block.lines[0]) for block in blocks
    ):
        return blocks
    return list(_resolve(blocks, keeps_line))


def _resolve(blocks: Iterable[Block], keeps_line: Callable[[str], bool]) -> Iterator[Block]:
    pending: list[Block] = []
    for block in blocks:
        if not pending and not _OPENING.match(block.lines[0]):
            yield block
            continue
        pending.append(block)
        closed = _closing(pending)
        if closed is not None:
            yield from _resolved(pending, closed, keeps_line)
            pending = []
        elif len(pending) >= MAX_MARKER_BLOCKS:  # never closed: not a marker after all
            yield from pending
            pending = []
    yield from pending


def _closing(marker: list[Block]) -> tuple[int, int] | None:
    """Where the marker's brackets balance: (line index in the last block, column after)."""
    depth = 0
    for block in marker:
        for index, line in enumerate(block.lines):
            for column, char in enumerate(line):
                if char == "[":
                    depth += 1
                elif char == "]":
                    depth -= 1
                    if depth == 0 and block is marker[-1]:
                        return index, column + 1
    return None


def _resolved(
    marker: list[Block], closed: tuple[int, int], keeps_line: Callable[[str], bool]
) -> Iterator[Block]:
    line_index, column = closed
    inside = [line for block in marker[:-1] for line in block.lines]
    last = marker[-1].lines
    inside += [*last[:line_index], last[line_index][:column]]
    gap = marker[0].gap
    for line in inside:
        inner = _OPENING.sub("", line).strip().rstrip("]").strip(" ·")
        if inner and keeps_line(inner):
            yield Block((inner,), gap)
            gap = 1
    rest = [last[line_index][column:], *last[line_index + 1 :]]
    rest = [line for line in rest if line.strip()]
    if rest:
        yield Block(tuple(rest), 0)
