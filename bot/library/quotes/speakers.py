"""Speeches and who speaks them: quote marks paired in order, and the attribution after a
speech (`Derek says`, `said Stiles`) or before it (`Stiles asks quietly: "`)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Final

# The author mixes straight and curly double quotes, so all three count as one kind of mark.
QUOTE_MARKS: Final = frozenset('"“”')
OPENING_QUOTES: Final = frozenset('"“')
_QUOTE_MARK: Final = re.compile('["“”]')

_SPEECH_VERBS: Final = frozenset(
    """
    says said saying asks asked replies replied answers answered whispers whispered
    murmurs murmured mutters muttered mumbles mumbled growls growled snarls snarled snaps
    snapped hisses hissed shouts shouted yells yelled calls called cries cried screams
    screamed breathes breathed sighs sighed laughs laughed chuckles chuckled huffs huffed
    snorts snorted grumbles grumbled groans groaned moans moaned whines whined pleads
    pleaded begs begged insists insisted demands demanded agrees agreed admits admitted
    adds added continues continued begins began starts started states stated repeats
    repeated stutters stuttered stammers stammered splutters spluttered sputters sputtered
    shushes shushed tries tried finishes finished exhales exhaled teases teased jokes joked
    offers offered explains explained announces announced declares declared promises
    promised confesses confessed warns warned presses pressed prompts prompted interrupts
    interrupted corrects corrected protests protested argues argued counters countered
    retorts retorted quips quipped drawls drawled grunts grunted croaks croaked rasps
    rasped purrs purred squeaks squeaked gasps gasped blurts blurted imitates imitated
    echoes echoed trails trailed wonders wondered muses mused notes noted observes
    observed remarks remarked concedes conceded suggests suggested urges urged soothes
    soothed coos cooed hums hummed sings sang calls yelps yelped barks barked
    """.split()
)
# Capitalised words that may open an attribution but are never a speaker's name.
NOT_NAMES: Final = frozenset(
    """
    He She They It I We You The A An His Her Their My Your Our This That These Those There
    Here Then And But So Now Still Nobody Somebody Someone Everyone Everybody No Nothing
    Something Everything Who What When Where Why How Suddenly Finally Softly Quietly
    """.split()
)
_UPPER: Final = "A-ZÀ-ÖØ-Þ"
_NAME_WORD: Final = rf"[{_UPPER}][\w’'-]*"
_NAME: Final = rf"{_NAME_WORD}(?:[ \t]+{_NAME_WORD})?"
_VERB: Final = "(?:" + "|".join(sorted(_SPEECH_VERBS, key=len, reverse=True)) + r")\b"
_ADVERB: Final = r"(?:\s+[a-z]+ly)?"
# An attribution right after a speech: `He growls`, `Derek asks`, `The man repeats`,
# `A wonderfully familiar voice says`, `Stiles quietly says`, or inverted `said Stiles`.
_ATTRIBUTION: Final = re.compile(
    rf"""
    (?:
        (?:He|She|They|It|I|We|You)\b
      | (?:The|A|An|His|Her|Their|My|Your|Our)(?:\s+[a-z][\w’'-]*){{1,3}}?
      | (?P<name>{_NAME})
    ){_ADVERB}\s+{_VERB}
    | {_VERB}\s+(?P<inverted>{_NAME})
    """,
    re.VERBOSE,
)
# An attribution right before a speech: `Stiles says, "` or `Derek asks quietly: "`.
_LEADING_ATTRIBUTION: Final = re.compile(
    rf"(?P<name>{_NAME}){_ADVERB}\s+{_VERB}{_ADVERB}\s*[,:]\s*$"
)
_LEADING_WINDOW: Final = 80  # characters before a speech searched for its attribution

Span = tuple[int, int]


def quote_mark_positions(text: str) -> list[int]:
    return [match.start() for match in _QUOTE_MARK.finditer(text)]


def pair_quote_marks(marks: Sequence[int], end: int) -> list[Span]:
    """Spans of quoted speech, quote marks included, pairing the `marks` in order.

    An odd last mark opens a speech that runs to `end` (it goes on in the next paragraph).
    """
    pairs = zip(marks[::2], marks[1::2], strict=False)
    spans = [(opening, closing + 1) for opening, closing in pairs]
    if len(marks) % 2:
        spans.append((marks[-1], end))
    return spans


def speeches(text: str) -> list[Span]:
    """The spans of quoted speech in `text` (see `pair_quote_marks`)."""
    return pair_quote_marks(quote_mark_positions(text), len(text))


def is_inside_speech(speech_spans: Sequence[Span], position: int) -> bool:
    """True when `position` lies strictly inside one of the (sorted, disjoint) spans."""
    before = bisect.bisect_left(speech_spans, (position,))  # spans starting before position
    return before > 0 and position < speech_spans[before - 1][1]


def attribution_at(text: str, position: int) -> re.Match[str] | None:
    """The attribution starting at `position` (after spaces), if there is one."""
    while position < len(text) and text[position].isspace():
        position += 1
    return _ATTRIBUTION.match(text, position)


def is_attributed_dialogue(line: str) -> bool:
    """True for speeches whose only narration is their attributions (`"No." Derek says.`)."""
    spans = speeches(line)
    if not spans or spans[0][0] != 0:
        return False
    ends = [end for _, end in spans]
    gaps = zip(ends, [*(start for start, _ in spans[1:]), len(line)], strict=True)
    return all(start == end or attribution_at(line, start) is not None for start, end in gaps)


def _speaker_name(match: re.Match[str] | None) -> str | None:
    """The name in an attribution; None for a pronoun or a description ("the man")."""
    if match is None:
        return None
    name = match.group("name") or match.group("inverted")
    if name is None or name.split()[0] in NOT_NAMES:
        return None
    return " ".join(name.split())


def speech_speakers(text: str, speech_spans: Sequence[Span]) -> list[str | None]:
    """For each speech, the name attributed right after it, else right before it."""
    speakers: list[str | None] = []
    for start, end in speech_spans:
        name = _speaker_name(attribution_at(text, end))
        if name is None:
            before = text[max(0, start - _LEADING_WINDOW) : start]
            name = _speaker_name(_LEADING_ATTRIBUTION.search(before))
        speakers.append(name)
    return speakers


def line_speaker(
    start: int, end: int, speech_spans: Sequence[Span], speakers: Sequence[str | None]
) -> str | None:
    """The one named speaker of the speeches the line holds (None if none or several)."""
    names = {
        speaker
        for (first, last), speaker in zip(speech_spans, speakers, strict=True)
        if first < end and last > start and speaker is not None
    }
    return names.pop() if len(names) == 1 else None
