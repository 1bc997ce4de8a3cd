"""Sentences of a paragraph, and whether a line of them stands on its own as a quote."""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from bot.library.quotes.speakers import OPENING_QUOTES, QUOTE_MARKS, attribution_at

MIN_LENGTH: Final = 40
MAX_LENGTH: Final = 280

# Titles whose full stop does not end a sentence ("Mr. Hale"). Single capitals (initials) too.
ABBREVIATIONS: Final = frozenset(
    {"Mr", "Mrs", "Ms", "Mx", "Dr", "St", "Prof", "Rev", "Hon", "Capt", "Sgt", "Lt", "Col"}
    | {"Gen", "Mt", "Fr", "Sr", "Jr", "vs", "Sen", "Gov", "Pres", "Det", "Insp"}
)

# Terminal punctuation, then closing quotes or brackets, then a space or the end; the spaces
# are matched too, so the match ends where the next sentence would start.
_SENTENCE_END: Final = re.compile(r"[.!?…]+(?P<close>[\"'”’»)\]]*)(?=\s|\Z)\s*")
_LAST_WORD: Final = re.compile(r"\w+\Z")
_CLOSERS: Final = "\"'”’»)]"
_TERMINALS: Final = ".!?…"
_INTERRUPTED: Final = re.compile(r"[-–—][\"”]")


class Sentence(NamedTuple):  # a tuple: a long book has tens of thousands, cheaper to build
    """`text[start:end]` of a paragraph. `speech_end` is set when the sentence is a speech
    followed by its attribution (`"Why?" He growls.`): the speech alone is `text[start:speech_end]`.
    """

    start: int
    end: int
    speech_end: int | None = None


def _is_abbreviation(text: str, start: int, end: int) -> bool:
    """A lone full stop after a title (`Mr.`) or an initial (`J.`) does not end a sentence."""
    if end - start != 1 or text[start] != ".":
        return False
    window = max(0, start - 12)  # titles are short: look back a few characters only
    word = _LAST_WORD.search(text, window, start)
    if word is None:
        return False
    before = word.group()
    if word.start() > 0 and text[word.start() - 1] == ".":  # "e.g.", "U.S."
        return True
    return before in ABBREVIATIONS or (len(before) == 1 and before.isupper() and before != "I")


def _starts_sentence(char: str) -> bool:
    return char.isupper() or char.isdigit() or char in OPENING_QUOTES


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Cut a paragraph into sentences; the text between two sentences is whitespace only.

    A sentence ends at terminal punctuation (with any closing quotes) followed by a space and
    a capital or an opening quote. Not at a title (`Mr.`, `Dr.`, `St.`) or an initial, and not
    where a speech is followed by its attribution (`"Why?" He growls, pressing...`): the speech
    and its attribution stay one sentence, and `speech_end` marks where the speech alone ends.
    Text that ends without punctuation is a last, unfinished sentence.
    """
    sentences: list[Sentence] = []
    start = len(text) - len(text.lstrip())
    speech_end: int | None = None
    for match in _SENTENCE_END.finditer(text):
        end = match.end("close")
        if end <= start:
            continue
        following = match.end()
        if following < len(text):
            if not _starts_sentence(text[following]) or _is_abbreviation(text, match.start(), end):
                continue
            if QUOTE_MARKS & set(match.group("close")) and attribution_at(text, following):
                if speech_end is None and text[start] in OPENING_QUOTES:
                    speech_end = end
                continue
        sentences.append(Sentence(start, end, speech_end))
        start, speech_end = following, None
    last = len(text.rstrip())
    if start < last:
        sentences.append(Sentence(start, last, speech_end))
    return tuple(sentences)


def is_standalone(line: str, *, inside_speech: bool = False) -> bool:
    """True when `line` reads as whole: 40 to 280 characters of whole sentences, quotes balanced.

    It starts with a capital (or an opening quote and a capital) and ends with terminal
    punctuation, optionally followed by closing quotes, but not with an ellipsis. Its double
    quote marks are even in number; `inside_speech` (the line lies within a speech) allows
    none at all. No speech in it is cut off with a dash, and it opens with no dash or ellipsis.
    """
    if not MIN_LENGTH <= len(line) <= MAX_LENGTH or line != line.strip():
        return False
    first = line[1:2] if line[0] in OPENING_QUOTES else line[0]
    if not first.isupper():
        return False
    before_closers = line.rstrip(_CLOSERS)
    ending = before_closers[len(before_closers.rstrip(_TERMINALS)) :]
    if not ending or "…" in ending or ".." in ending:
        return False
    marks = line.count('"') + line.count("“") + line.count("”")
    if marks % 2 or (inside_speech and marks):
        return False
    if line.count("(") != line.count(")") or line.count("‘") > line.count("’"):
        return False
    return _INTERRUPTED.search(line) is None
