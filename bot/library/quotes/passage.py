"""A paragraph read once for quote finding: sentences, quote marks, speeches and words.

Quote candidates are runs of whole sentences, and scoring one needs its words and which of
them lie in speeches. So the words are read piece by piece between the sentence boundaries
and the quote marks (no word crosses either), and `words_before` says how many words come
before each of those places: any candidate's words are then a slice found by two lookups.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass
from typing import Final

from bot.library.library import fold
from bot.library.quotes.sentences import Sentence, split_sentences
from bot.library.quotes.speakers import Span, pair_quote_marks, quote_mark_positions
from bot.library.quotes.words import WORD

_NON_ASCII: Final = re.compile(r"[^\x00-\x7f]")


@dataclass(frozen=True, slots=True)
class Passage:
    """One paragraph's `text` with what quote finding reads in it.

    `marks` are the positions of its double quote marks and `speeches` their pairs (see
    `pair_quote_marks`). `words` are its words as written, and `words_before[position]` the
    number of them before `position`, for the start and end of every sentence, every
    `speech_end`, every quote mark and both ends of the text.
    """

    text: str
    sentences: tuple[Sentence, ...]
    marks: tuple[int, ...]
    speeches: tuple[Span, ...]
    words: list[str]
    words_before: dict[int, int]
    # `fold(text)` when each character folds to one character (as accents, curly quotes and
    # dashes do), so that the folded form of any span is a slice of it; else None.
    lowered: str | None

    @classmethod
    def read(cls, text: str, distinct_words: dict[str, str]) -> Passage:
        """Read `text`. `distinct_words` gathers the words of every passage read with it,
        each mapped to itself: the passages then share one string per distinct word."""
        sentences = split_sentences(text)
        marks = quote_mark_positions(text)
        places = {0, len(text), *marks}
        for sentence in sentences:
            places.update((sentence.end, sentence.speech_end or 0))
        cuts = sorted(places)
        words: list[str] = []
        words_before: dict[int, int] = {}
        find_words = WORD.findall
        for start, end in itertools.pairwise(cuts):
            words_before[start] = len(words)
            found = find_words(text, start, end)
            words.extend(map(distinct_words.setdefault, found, found))
        words_before[len(text)] = len(words)
        # Only spaces lie between a sentence and the one before (or the text's start).
        previous_end = 0
        for sentence in sentences:
            words_before[sentence.start] = words_before[previous_end]
            previous_end = sentence.end
        speech_spans = tuple(pair_quote_marks(marks, len(text)))
        return cls(text, sentences, tuple(marks), speech_spans, words, words_before, _lowered(text))

    def marks_between(self, start: int, end: int) -> tuple[int, ...]:
        """The positions of the quote marks in `text[start:end]`."""
        marks = self.marks
        return marks[bisect.bisect_left(marks, start) : bisect.bisect_left(marks, end)]

    def folded(self, start: int, end: int) -> str:
        """`fold(text[start:end])`, from `lowered` when it can be."""
        if self.lowered is not None:
            return self.lowered[start:end]
        return fold(self.text[start:end])


@functools.lru_cache(maxsize=1024)
def _fold_char(char: str) -> str:
    return fold(char)


def _lowered(text: str) -> str | None:
    """`fold(text)` if every character folds to one character, else None.

    fold() works character by character, so then the folded form of any span of `text` is
    the same span of the result.
    """
    if text.isascii():
        return text.lower()
    for char in set(_NON_ASCII.findall(text)):
        folded = _fold_char(char)
        # Replacing char by char, each replacement must be final: one character, folded.
        if len(folded) != 1 or folded.lower() != folded or _fold_char(folded) != folded:
            return None
        if folded != char:
            text = text.replace(char, folded)
    # Lowercases the ASCII capitals; what folding left alone lowercases to itself.
    return text.lower()
