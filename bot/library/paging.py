"""Paging: a scene's paragraphs become pages that fit a Discord embed description.

Pages end between paragraphs. Only a paragraph longer than a whole page is split: at a
sentence end, else at a word boundary, else hard (never inside a grapheme cluster). A scene
uses the fewest pages possible and, for that count, pages of similar length: the packing is
run again with the smallest page capacity that keeps the count.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from bot.library.model import PARAGRAPH_SEPARATOR, Paragraph
from bot.library.render import discord_length, render

EMBED_DESCRIPTION_LIMIT = 4096
_SEPARATOR_LENGTH = len(PARAGRAPH_SEPARATOR)

# The end of a sentence: terminal punctuation, closing quotes or brackets, then a space.
_SENTENCE_END = re.compile(r"[.!?…。！？]+[\"'”’»)\]]*(?=\s)")
_WHITESPACE = re.compile(r"\s+")
_LAST_WHITESPACE = re.compile(r"\s(?=\S*\Z)")
# A sentence cut is taken only when it keeps at least this share of the room on the page.
_SENTENCE_CUT_MIN_SHARE = 0.5

# (paragraph index, start, end): a slice of one paragraph's text placed on a page.
Slot = tuple[int, int, int]


def paginate(
    paragraphs: Sequence[Paragraph], limit: int = EMBED_DESCRIPTION_LIMIT
) -> list[list[Slot]]:
    """Lay `paragraphs` out on the fewest pages of at most `limit` rendered characters, balanced."""
    if limit < 8:
        raise ValueError("a page must hold at least a few characters")
    if not paragraphs:
        return []
    lengths = [discord_length(render(paragraph)) for paragraph in paragraphs]
    total = sum(lengths) + _SEPARATOR_LENGTH * (len(lengths) - 1)
    if total <= limit:
        return [[(index, 0, len(p.text)) for index, p in enumerate(paragraphs)]]
    packer = _Packer(paragraphs, lengths, limit)
    fewest = packer.pack(limit)
    count = len(fewest)
    # The smallest capacity that still needs no more pages. It lies just above the average,
    # so gallop up from there before bisecting: fewer packings for long scenes.
    low = max(8, -(-(total - _SEPARATOR_LENGTH * (count - 1)) // count))
    step = 16
    high = low
    while high < limit and len(packer.pack(high)) > count:
        low, high, step = high + 1, min(limit, high + step), step * 2
    while low < high:
        middle = (low + high) // 2
        if len(packer.pack(middle)) <= count:
            high = middle
        else:
            low = middle + 1
    balanced = packer.pack(high) if high < limit else fewest
    return balanced if len(balanced) == count else fewest


class _Packer:
    """Greedy packing at a given capacity; paragraphs longer than `limit` flow across pages."""

    def __init__(self, paragraphs: Sequence[Paragraph], lengths: list[int], limit: int) -> None:
        self.paragraphs = paragraphs
        self.lengths = lengths
        self.limit = limit

    def pack(self, capacity: int) -> list[list[Slot]]:
        pages: list[list[Slot]] = []
        page: list[Slot] = []
        used = 0
        for index, paragraph in enumerate(self.paragraphs):
            length = self.lengths[index]
            gap = _SEPARATOR_LENGTH if page else 0
            if used + gap + length <= capacity:
                page.append((index, 0, len(paragraph.text)))
                used += gap + length
            elif length <= self.limit:  # fits a page of its own, even if above `capacity`
                if page:
                    pages.append(page)
                page, used = [(index, 0, len(paragraph.text))], length
            else:
                page, used = self._flow(index, capacity, pages, page, used)
        if page:
            pages.append(page)
        return pages

    def _flow(
        self, index: int, capacity: int, pages: list[list[Slot]], page: list[Slot], used: int
    ) -> tuple[list[Slot], int]:
        """Split paragraph `index` across pages, filling the current page first."""
        paragraph = self.paragraphs[index]
        end = len(paragraph.text)
        start = 0
        while True:
            gap = _SEPARATOR_LENGTH if page else 0
            room = capacity - used - gap
            if end - start <= room:  # cheap test first: rendering never shortens text
                rest = discord_length(render(paragraph, start, end))
                if rest <= room:
                    page.append((index, start, end))
                    return page, used + gap + rest
            cut = _find_cut(paragraph, start, room, hard=not page)
            if cut is None:  # too little room left here for a clean cut: next page
                pages.append(page)
                page, used = [], 0
                continue
            cut_end, next_start = cut
            page.append((index, start, cut_end))
            pages.append(page)
            page, used = [], 0
            start = next_start


def _find_cut(paragraph: Paragraph, start: int, room: int, *, hard: bool) -> tuple[int, int] | None:
    """Where to end a piece of `paragraph` starting at `start` within `room` rendered characters.

    Returns (end of this piece, start of the next), or None when no sentence or word boundary
    fits and `hard` is false (the caller then moves to a fresh page).
    """
    text = paragraph.text
    if room <= 0:
        return None
    stop = _longest_fit(paragraph, start, room)
    if stop <= start:
        return None if not hard else _hard_cut(text, start, start + 1)
    window = text[start:stop]
    # Look one character past the window: a boundary may sit right at `stop`.
    probe = text[start : stop + 1]
    boundary_follows = len(probe) > len(window) and probe[-1].isspace()
    sentence_end = max(
        (m.end() for m in _SENTENCE_END.finditer(probe) if m.end() <= len(window)), default=0
    )
    if sentence_end >= _SENTENCE_CUT_MIN_SHARE * room or (sentence_end and not hard):
        return start + sentence_end, _skip_whitespace(text, start + sentence_end)
    if boundary_follows:
        return stop, _skip_whitespace(text, stop)
    last_space = _LAST_WHITESPACE.search(window)
    if last_space and last_space.start() > 0:
        word_end = start + last_space.start()
        while word_end > start and text[word_end - 1].isspace():
            word_end -= 1
        if word_end > start:
            return word_end, _skip_whitespace(text, word_end)
    return _hard_cut(text, start, stop) if hard else None


def _longest_fit(paragraph: Paragraph, start: int, room: int) -> int:
    """The largest `stop` such that `paragraph.text[start:stop]` renders within `room`."""
    low, high = start, min(len(paragraph.text), start + room)  # rendering never shortens
    if discord_length(render(paragraph, start, high)) <= room:
        return high
    while high - low > 1:  # invariant: [start, low) fits, [start, high) does not
        middle = (low + high) // 2
        if discord_length(render(paragraph, start, middle)) <= room:
            low = middle
        else:
            high = middle
    return low


def _skip_whitespace(text: str, position: int) -> int:
    match = _WHITESPACE.match(text, position)
    return match.end() if match else position


def _hard_cut(text: str, start: int, stop: int) -> tuple[int, int]:
    """Cut inside a word, but never inside a grapheme cluster (combining marks, ZWJ, flags)."""
    cut = stop
    while cut - 1 > start and not _is_grapheme_boundary(text, cut):
        cut -= 1
    return cut, cut


def _is_grapheme_boundary(text: str, position: int) -> bool:
    if position <= 0 or position >= len(text):
        return True
    before, after = text[position - 1], text[position]
    if _extends(after) or before == "\u200d":
        return False
    if _is_regional_indicator(before) and _is_regional_indicator(after):
        run = 0  # flags are pairs: a boundary only after an even run of indicators
        while position - run - 1 >= 0 and _is_regional_indicator(text[position - run - 1]):
            run += 1
        return run % 2 == 0
    return True


def _extends(char: str) -> bool:
    """True for characters that attach to the one before (Unicode Grapheme_Extend and kin)."""
    code = ord(char)
    return (
        unicodedata.combining(char) != 0
        or unicodedata.category(char) in ("Mn", "Me", "Mc")
        or code == 0x200D
        or 0xFE00 <= code <= 0xFE0F
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
        or 0xE0100 <= code <= 0xE01EF
    )


def _is_regional_indicator(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF
