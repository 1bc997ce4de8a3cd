"""How quotable a line is: a sum of named weights, like a pull-quote editor's rules of thumb."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, fields
from typing import Final

from bot.library.library import fold
from bot.library.quotes.passage import Passage
from bot.library.quotes.sentences import MAX_LENGTH
from bot.library.quotes.speakers import (
    OPENING_QUOTES,
    QUOTE_MARKS,
    Span,
    is_attributed_dialogue,
    pair_quote_marks,
)
from bot.library.quotes.words import counts_of, running_counts, word_kinds


@dataclass(frozen=True, slots=True)
class Weights:
    """The scoring table: each feature of a line adds its weight to `base`.

    - base: every candidate starts here.
    - spoken: a character speaking, with substance: at least half of the line is inside
      quotation marks (or it is speeches and their attributions only), and the speech holds
      three or more content words.
    - complete_speech: the line is one or more whole speeches, quote marks and all, with no
      narration or attribution around them.
    - excerpt: the line is cut from inside a longer speech (no quote marks of its own).
    - sweet_length: 60 to 200 characters, the length a pull quote reads best at.
    - short: under 50 characters: often a bare exchange ("Are you sure you're an alpha?").
    - long: over 240 characters: a paragraph rather than a line.
    - emotive: for each emotional or figurative word (heart, love, never, home, afraid, mine,
      world, ...), at most `emotive_cap` of them.
    - emotive_cap: how many emotive words count.
    - second_person: the line addresses someone (you, your, yours).
    - punch: a run ending in a short sentence after a long build ("... And now you're running.").
    - contrast: a turn like "not X, but Y" or "may ... but can't".
    - figurative: a simile ("as though", "like a").
    - filler_opener: opens with Okay, Yeah, Um, Uh, Oh, Well, Hmm, So, Alright, ...
    - few_content_words: fewer than three words that are not function words or names.
    - name_heavy: names make up more than a quarter of the words ("Derek?" ... "Derek, ...").
    - mid_thought: opens with And, But, Then, Because, ... (continues something unseen).
    - stage_direction: for each gesture word (nods, blinks, shrugs, eyes, hand, ...) in the
      narration of the line, at most three: choreography, not voice.
    - hesitation: for each dash or ellipsis beyond the first (stammering).
    - sprawl: for each sentence beyond the third: a passage rather than a line.
    """

    base: float = 1.0
    spoken: float = 1.5
    complete_speech: float = 0.5
    excerpt: float = -2.0
    sweet_length: float = 1.0
    short: float = -0.5
    long: float = -0.5
    emotive: float = 0.75
    emotive_cap: float = 3
    second_person: float = 0.5
    punch: float = 1.0
    contrast: float = 0.75
    figurative: float = 0.5
    filler_opener: float = -2.0
    few_content_words: float = -1.5
    name_heavy: float = -1.5
    mid_thought: float = -1.5
    stage_direction: float = -0.5
    hesitation: float = -0.5
    sprawl: float = -0.5


WEIGHTS: Final = Weights()
# Only lines scoring strictly above this are quotes. A spoken line of a good length with no
# penalty (base + spoken + sweet_length = 3.5) passes; a bland narration sentence of a good
# length (2.0) needs two more reasons (an emotive word, a punch, a contrast...) to pass.
THRESHOLD: Final = 3.0

# "not", "never", "no" or "n't", then "but" within 100 characters; or "may" ... "but" within
# 80, never across a "!" or "?". Each branch opens with a letter, not with `\b`, so the regex
# engine can skip ahead to it: `(?<!\wn)` right after an "n" says the "n" starts a word.
_CONTRAST: Final = re.compile(
    r"n(?:(?<!\wn)(?:ot|ever|o)\b|['’]t\b)[^!?]{0,100}?\bbut\b|m(?<!\wm)ay\b[^!?]{0,80}\bbut\b"
)
_FIGURATIVE: Final = re.compile(r"\b(?:as though|as if|like an?|like the|smells? like)\b")
# A dash at a word's edge (not inside "twenty-seven") or an ellipsis: a hesitation.
_HESITATION: Final = re.compile(r"[-–—]{1,3}(?=\s|[\"”]|\Z)|\s[-–—]|\.\.\.|…")


def _may_hesitate_twice(line: str) -> bool:
    """False when `line` has too few dashes and ellipses for two hesitations."""
    marks = sum(map(line.count, ("-", "–", "—", "…", "...")))
    return marks > 1


def _non_space(text: str) -> int:
    return len("".join(text.split()))


def _may_contrast(folded: str) -> bool:
    return "but" in folded  # every turn `_CONTRAST` finds ends in "but"


def _may_be_figurative(folded: str) -> bool:
    return "like" in folded or "as though" in folded or "as if" in folded


# Counted features read from the text that add nothing while their weights are negative:
# stage_direction (at most 3 gestures) and hesitation (at most one per character).
_COUNTED_READ_CEILING: Final = (
    max(0.0, WEIGHTS.stage_direction) * 3 + max(0.0, WEIGHTS.hesitation) * MAX_LENGTH
)


class PassageScorer:
    """Scores lines of one passage: each a run of its whole sentences, or a speech cut from one.

    `kinds` are the packed kinds of every word of the passage (see `words.word_kinds`). The
    parts a line's word counts give cost a few lookups; the others need its text read, which
    `score_above` skips when they cannot lift the line above the floor asked for.
    """

    __slots__ = ("_counts", "_passage")

    def __init__(self, passage: Passage, kinds: dict[str, int]) -> None:
        self._passage = passage
        self._counts = running_counts(passage.words, kinds)

    def breakdown(
        self, start: int, end: int, *, inside_speech: bool, sentences: int, last_sentence: Span
    ) -> dict[str, float]:
        """The weights `text[start:end]` earns, by feature name: `Weights` explains them.

        `sentences` is how many sentences the line has and `last_sentence` the span of its last
        in the passage.
        """
        marks = self._passage.marks_between(start, end)
        parts = self._counted_parts(
            start,
            end,
            marks,
            inside_speech=inside_speech,
            sentences=sentences,
            last_sentence=last_sentence,
        )
        folded = self._passage.folded(start, end)
        self._add_read_parts(parts, start, end, marks, inside_speech=inside_speech, folded=folded)
        return parts

    def score_above(
        self,
        floor: float,
        start: int,
        end: int,
        marks: tuple[int, ...],
        *,
        inside_speech: bool,
        sentences: int,
        last_sentence: Span,
    ) -> float | None:
        """The score of `text[start:end]` (see `breakdown`) if above `floor`, else None.

        `marks` are the positions of the line's quote marks (`Passage.marks_between`)."""
        parts = self._counted_parts(
            start,
            end,
            marks,
            inside_speech=inside_speech,
            sentences=sentences,
            last_sentence=last_sentence,
        )
        folded = self._passage.folded(start, end)
        ceiling = self._read_ceiling(start, end, marks, folded, inside_speech=inside_speech)
        # A sum at most `floor` (itself of 3 decimals) never rounds, to 3 decimals, above it.
        if sum(parts.values()) + ceiling <= floor:
            return None
        self._add_read_parts(parts, start, end, marks, inside_speech=inside_speech, folded=folded)
        score = round(sum(parts.values()), 3)
        return score if score > floor else None

    def _read_ceiling(
        self, start: int, end: int, marks: tuple[int, ...], folded: str, *, inside_speech: bool
    ) -> float:
        """The most `_add_read_parts` can add to the line: the weights of the features whose
        cheap preconditions hold, when positive."""
        w = WEIGHTS
        ceiling = _COUNTED_READ_CEILING
        if _may_contrast(folded):
            ceiling += max(0.0, w.contrast)
        if _may_be_figurative(folded):
            ceiling += max(0.0, w.figurative)
        if marks and not inside_speech:
            text = self._passage.text
            if counts_of(self._words_between(start, end)).content >= 3:  # spoken ones among them
                ceiling += max(0.0, w.spoken)
            if text[start] in OPENING_QUOTES and text[end - 1] in QUOTE_MARKS:
                ceiling += max(0.0, w.complete_speech)
        return ceiling

    def _words_between(self, start: int, end: int) -> int:
        """The packed counts of the words in `text[start:end]` (both places in `words_before`)."""
        words_before = self._passage.words_before
        return self._counts[words_before[end]] - self._counts[words_before[start]]

    def _counted_parts(
        self,
        start: int,
        end: int,
        marks: tuple[int, ...],
        *,
        inside_speech: bool,
        sentences: int,
        last_sentence: Span,
    ) -> dict[str, float]:
        """The parts the line's length, sentences and word counts give."""
        w = WEIGHTS
        parts = {"base": w.base}
        words_before = self._passage.words_before
        first_word, end_word = words_before[start], words_before[end]
        words = counts_of(self._counts[end_word] - self._counts[first_word])
        if inside_speech:
            if words.content >= 3:
                parts["spoken"] = w.spoken
            parts["excerpt"] = w.excerpt
        elif not marks:  # nothing spoken: all its words are narration
            _add_stage_direction(parts, words.gestures)
        length = end - start
        if 60 <= length <= 200:
            parts["sweet_length"] = w.sweet_length
        elif length < 50:
            parts["short"] = w.short
        elif length > 240:
            parts["long"] = w.long
        if words.emotive:
            parts["emotive"] = w.emotive * min(words.emotive, w.emotive_cap)
        if words.second_person:
            parts["second_person"] = w.second_person
        last_start, last_end = last_sentence[0] - start, last_sentence[1] - start
        last_length = last_end - last_start
        if sentences >= 2 and last_length <= 40 and last_start >= max(60, 2 * last_length):
            parts["punch"] = w.punch
        if sentences > 3:
            parts["sprawl"] = w.sprawl * (sentences - 3)
        if end_word > first_word:
            opener = counts_of(self._counts[first_word + 1] - self._counts[first_word])
            if opener.filler_openers:
                parts["filler_opener"] = w.filler_opener
            elif opener.mid_thought_openers:
                parts["mid_thought"] = w.mid_thought
        if words.content < 3:
            parts["few_content_words"] = w.few_content_words
        if words.names >= 2 and words.names * 4 > end_word - first_word:
            parts["name_heavy"] = w.name_heavy
        return parts

    def _add_read_parts(
        self,
        parts: dict[str, float],
        start: int,
        end: int,
        marks: tuple[int, ...],
        *,
        inside_speech: bool,
        folded: str,
    ) -> None:
        """The parts that read the line's text (`folded` is its folded form): its speeches,
        contrast, figurative, hesitation."""
        w = WEIGHTS
        line = self._passage.text[start:end]
        if marks and not inside_speech:
            self._add_speech_parts(parts, line, start, end, marks)
        # Most lines lack the words these patterns need: a substring test spares the search.
        if _may_contrast(folded) and _CONTRAST.search(folded):
            parts["contrast"] = w.contrast
        if _may_be_figurative(folded) and _FIGURATIVE.search(folded):
            parts["figurative"] = w.figurative
        if _may_hesitate_twice(line):
            hesitations = len(_HESITATION.findall(line))
            if hesitations > 1:
                parts["hesitation"] = w.hesitation * (hesitations - 1)

    def _add_speech_parts(
        self, parts: dict[str, float], line: str, start: int, end: int, marks: tuple[int, ...]
    ) -> None:
        """spoken, complete_speech and stage_direction of a line with quote marks, outside any
        speech. Its speeches pair its own marks, as they would in the line alone."""
        w = WEIGHTS
        text = self._passage.text
        speeches = pair_quote_marks(marks, end)
        spoken_chars = sum(_non_space(text[first:last]) for first, last in speeches)
        total_chars = _non_space(line)
        share = spoken_chars / total_chars if total_chars else 0.0
        # Words inside a speech lie between its marks (or after an unclosed last one).
        pairs = zip(marks[::2], marks[1::2], strict=False)
        spoken_words = sum(self._words_between(first, last) for first, last in pairs)
        if len(marks) % 2:
            spoken_words += self._words_between(marks[-1], end)
        # Attributed dialogue opens with a speech: tested first, that spares most regex runs.
        if counts_of(spoken_words).content >= 3 and (
            share >= 0.5 or (marks[0] == start and is_attributed_dialogue(line))
        ):
            parts["spoken"] = w.spoken
        if share >= 0.95 and line[0] in OPENING_QUOTES and line[-1] in QUOTE_MARKS:
            parts["complete_speech"] = w.complete_speech
        narration = self._words_between(start, end) - spoken_words
        _add_stage_direction(parts, counts_of(narration).gestures)


def _add_stage_direction(parts: dict[str, float], gestures: int) -> None:
    if gestures:
        parts["stage_direction"] = WEIGHTS.stage_direction * min(gestures, 3)


def score_breakdown(
    line: str, *, inside_speech: bool = False, names: Collection[str] = ()
) -> dict[str, float]:
    """The weights `line` earns, by feature name (see `Weights`); their sum is its score.

    `inside_speech` says the line lies within a speech (no quote marks of its own); `names`
    are the story's character names (words capitalised mid-sentence), for `name_heavy`.
    """
    passage = Passage.read(line, {})
    kinds = word_kinds(passage.words, frozenset(fold(name) for name in names))
    sentences = passage.sentences
    last = (sentences[-1].start, sentences[-1].end) if sentences else (0, 0)
    scorer = PassageScorer(passage, kinds)
    return scorer.breakdown(
        0, len(line), inside_speech=inside_speech, sentences=len(sentences), last_sentence=last
    )


def score_line(line: str, *, inside_speech: bool = False, names: Collection[str] = ()) -> float:
    """How quotable `line` is: the sum of `score_breakdown`, rounded to 3 decimals."""
    return round(sum(score_breakdown(line, inside_speech=inside_speech, names=names).values()), 3)


def weights_table() -> dict[str, float]:
    """The scoring weights by name, for display and tests."""
    return {field.name: getattr(WEIGHTS, field.name) for field in fields(WEIGHTS)}
