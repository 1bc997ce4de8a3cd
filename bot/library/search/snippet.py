"""A short excerpt of a hit: the text around its best cluster of matches, matches in bold.

The excerpt is cut at spaces where it can (else between grapheme clusters, so an accent, a
flag or a family emoji is never split), `…` marks each cut, line breaks become spaces, and the
text is escaped by `render` so that its own `*`, `_` or `||` stay text. Bold sits on whole
grapheme clusters and never on whitespace at its ends, so Discord shows it even inside a word
or next to an escaped `*`.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Final

import regex

from bot.library.model import Paragraph, Span
from bot.library.render import discord_length, render
from bot.library.search.matching import MatchSpan
from bot.library.wording import ELLIPSIS

SNIPPET_WIDTH: Final = 200
"""Characters of text an excerpt aims at (before escaping and marks)."""

_GRAPHEME: Final = regex.compile(r"\X")


def snippet(text: str, spans: Sequence[MatchSpan], limit: int, width: int = SNIPPET_WIDTH) -> str:
    """About `width` characters of paragraph `text` around the most `spans` (from
    `match_spans`) that fit, `spans` in bold; at most `limit` long as Discord counts.

    Without spans the excerpt is the paragraph's start. A limit too small for any text gives
    `…` (or nothing, below 1).
    """
    boundaries = [0, *(match.end() for match in _GRAPHEME.finditer(text))]
    bold = _on_graphemes(text, spans, boundaries)
    while width > 0:
        excerpt = _excerpt(text, bold, boundaries, width)
        length = discord_length(excerpt)
        if length <= limit:
            return excerpt
        width = min(width - 1, width * limit // length)
    return ELLIPSIS if limit >= 1 else ""


def _on_graphemes(
    text: str, spans: Sequence[MatchSpan], boundaries: Sequence[int]
) -> list[MatchSpan]:
    """`spans` widened to whole grapheme clusters, whitespace at their ends left out, sorted
    and merged."""
    snapped: list[MatchSpan] = []
    for start, end in sorted(spans):
        left = _boundary_at_or_before(boundaries, max(start, 0))
        right = _boundary_at_or_after(boundaries, min(end, len(text)))
        while left < right and text[left].isspace():
            left = _boundary_at_or_after(boundaries, left + 1)
        while right > left and text[right - 1].isspace():
            right = _boundary_at_or_before(boundaries, right - 1)
        if left >= right:
            continue
        if snapped and left <= snapped[-1][1]:
            snapped[-1] = (snapped[-1][0], max(right, snapped[-1][1]))
        else:
            snapped.append((left, right))
    return snapped


def _boundary_at_or_before(boundaries: Sequence[int], at: int) -> int:
    return boundaries[bisect.bisect_right(boundaries, at) - 1]


def _boundary_at_or_after(boundaries: Sequence[int], at: int) -> int:
    return boundaries[min(bisect.bisect_left(boundaries, at), len(boundaries) - 1)]


def _best_cluster(spans: Sequence[MatchSpan], width: int) -> tuple[int, int]:
    """The first and last index of the most spans that fit in `width` characters (the first
    such run, in reading order)."""
    best, best_count, last = (0, 0), 0, 0
    for first, (start, _) in enumerate(spans):
        last = max(last, first)
        while last + 1 < len(spans) and spans[last + 1][1] - start <= width:
            last += 1
        fits = spans[last][1] - start <= width
        count = last - first + 1 if fits else 0
        if count > best_count:
            best, best_count = (first, last), count
    return best


def _excerpt(text: str, bold: Sequence[MatchSpan], boundaries: Sequence[int], width: int) -> str:
    if bold:
        first, last = _best_cluster(bold, width)
        start, end = bold[first][0], bold[last][1]
    else:
        start = end = 0
    if end - start > width:  # one match wider than the excerpt: as much of its start as fits
        left = start
        right = _cut_end(text, boundaries, start + width, start)
        right = max(right, _boundary_at_or_after(boundaries, start + 1))
    else:
        room = width - (end - start)
        left = max(0, min(start - room // 2, len(text) - width))
        right = min(len(text), left + width)
        left = _cut_start(text, boundaries, left, start)
        right = _cut_end(text, boundaries, right, end)
    shown = tuple(
        Span(max(span_start, left), min(span_end, right), "bold")
        for span_start, span_end in bold
        if span_start < right and span_end > left
    )
    body = render(Paragraph(text, shown), left, right).replace("\n", " ")
    return (ELLIPSIS if left > 0 else "") + body + (ELLIPSIS if right < len(text) else "")


def _cut_start(text: str, boundaries: Sequence[int], at: int, latest: int) -> int:
    """Where an excerpt meant to start at `at` starts: after the first space from there on
    (and any spaces after it), else at a grapheme boundary; never after `latest`."""
    if at <= 0:
        return 0
    space = next((i for i in range(at - 1, latest) if text[i].isspace()), None)
    if space is None:
        return _boundary_at_or_after(boundaries, at)
    cut = space + 1
    while cut < latest and text[cut].isspace():
        cut += 1
    return _boundary_at_or_after(boundaries, cut)


def _cut_end(text: str, boundaries: Sequence[int], at: int, earliest: int) -> int:
    """Where an excerpt meant to end at `at` ends: before the last space up to there (and
    any spaces before it), else at a grapheme boundary; never before `earliest`."""
    if at >= len(text):
        return len(text)
    space = next((i for i in range(at, earliest - 1, -1) if text[i].isspace()), None)
    cut = at if space is None else space
    while space is not None and cut > earliest and text[cut - 1].isspace():
        cut -= 1
    return max(_boundary_at_or_before(boundaries, cut), earliest)
