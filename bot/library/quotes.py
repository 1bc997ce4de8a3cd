"""Quotable lines: the sentences of a story worth sharing, scored like pull quotes, and a picker.

`find_quotes(story)` cuts every paragraph into sentences (`split_sentences`), forms candidates
from one sentence or a run of whole consecutive sentences (a short paragraph is the run of all
its sentences), keeps those that stand on their own (`is_standalone`), scores them
(`score_line`, weights in `Weights`) and returns those above `THRESHOLD`, best first. Within one
paragraph the chosen quotes never overlap, so a reader is not shown the same words twice under
two ids. `pick_quote` serves them to a reader without repeats. Pure Python: no discord here.
"""

from __future__ import annotations

import functools
import hashlib
import math
import random
import re
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, fields
from typing import Final

from bot.library.library import fold
from bot.library.model import Story, StoryScene

MIN_LENGTH: Final = 40
MAX_LENGTH: Final = 280
# Ids travel in Discord custom_ids (100 characters with the story id and more): keep them short.
ID_LENGTH: Final = 12

# The author mixes straight and curly double quotes, so all three count as one kind of mark.
QUOTE_MARKS: Final = frozenset('"“”')
_OPENING_QUOTES: Final = frozenset('"“')

# Titles whose full stop does not end a sentence ("Mr. Hale"). Single capitals (initials) too.
ABBREVIATIONS: Final = frozenset(
    {"Mr", "Mrs", "Ms", "Mx", "Dr", "St", "Prof", "Rev", "Hon", "Capt", "Sgt", "Lt", "Col"}
    | {"Gen", "Mt", "Fr", "Sr", "Jr", "vs", "Sen", "Gov", "Pres", "Det", "Insp"}
)

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
_NOT_NAMES: Final = frozenset(
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
_LAST_WORD: Final = re.compile(r"\w+\Z")
# Terminal punctuation, then closing quotes or brackets, then a space or the end.
_SENTENCE_END: Final = re.compile(r"[.!?…]+(?P<close>[\"'”’»)\]]*)(?=\s|\Z)")
_WORD: Final = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_QUOTE_MARK: Final = re.compile('["“”]')
_NON_SPACE: Final = re.compile(r"\S")
_INTERRUPTED: Final = re.compile(r"[-–—][\"”]")
# A dash at a word's edge (not inside "twenty-seven") or an ellipsis: a hesitation.
_HESITATION: Final = re.compile(r"[-–—]{1,3}(?=\s|[\"”]|\Z)|\s[-–—]|\.\.\.|…")


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotable line: `text` exactly as in paragraph `paragraph` of scene `scene`.

    `page` is the page of that scene on which the line starts. `id` is the first 12 hex digits
    of the SHA-1 of the text: stable across restarts and reloads while the words stay the same.
    """

    id: str
    text: str
    scene: int
    page: int
    paragraph: int
    score: float
    speaker: str | None


@dataclass(frozen=True, slots=True)
class QuotePick:
    """What `pick_quote` chose, and how much of the matching rotation is left after it."""

    quote: Quote
    restarted: bool  # every matching quote had been seen: the caller forgets their ids
    matching: int  # how many quotes match the filters
    unseen_left: int  # matching quotes still unseen once this one is recorded as seen


@dataclass(frozen=True, slots=True)
class Sentence:
    """`text[start:end]` of a paragraph. `speech_end` is set when the sentence is a speech
    followed by its attribution (`"Why?" He growls.`): the speech alone is `text[start:speech_end]`.
    """

    start: int
    end: int
    speech_end: int | None = None


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
# `pick_quote` weighs a quote by exp((score - best) / PICK_TEMPERATURE): a line scoring two
# points more is e (about 2.7) times as likely to be picked.
PICK_TEMPERATURE: Final = 2.0

_FILLER_OPENERS: Final = frozenset(
    "okay ok yeah yes yep um umm uh uhm oh well hmm hm so alright right er ah mm huh eh "
    "anyway anyways sure".split()
)
_MID_THOUGHT_OPENERS: Final = frozenset(
    "and but then because or nor which although though also plus besides yet".split()
)
_EMOTIVE: Final = frozenset(
    """
    heart hearts heartbeat love loved loves loving lover never always forever home afraid
    fear fears scared mine yours world alone lonely safe safety truth true lie lies lying
    liar hurt hurts pain trust free freedom mate mates believe remember forget forgot
    forgotten need sorry dream dreams soul fire blood die dying dead death kill killed
    murder murdered live alive life hope cry tears wish kiss warm warmth cold dark darkness
    light together lost lose miss promise innocent family run running tired rest everything
    nothing nobody anyone forgive courage brave broken break wrong right nightmare waiting
    belong want wanted
    """.split()
)
_GESTURES: Final = frozenset(
    """
    nods nodded shakes shook blinks blinked stares stared glances glanced looks looked smiles
    smiled grins grinned frowns frowned shrugs shrugged turns turned steps stepped walks
    walked sits sat stands stood leans leaned rolls rolled swallows swallowed coughs coughed
    rubs rubbed flushes flushed snorts snorted winces winced head eyes eye hand hands arm
    arms mouth lip lips shoulder shoulders jaw throat eyebrow eyebrows nose fingers hair
    cheeks forehead elbow hips temples knife spoon chair door
    """.split()
)
_FUNCTION_WORDS: Final = frozenset(
    """
    a an the and or but nor so yet for of to in on at by with from up down out off over
    into onto about as than then that this these those there here is are was were be been
    being am do does did done have has had having will would shall should can could may
    might must i me my mine we us our you your he him his she her they them their it its
    what which who whom whose when where why how not no yes all any some just very too
    also only even still if because while though although again ever really quite much
    more most less own same such both each few other now well oh okay ok yeah um uh hmm
    i'm i've i'll i'd you're you've you'll he's she's it's that's there's we're they're
    don't doesn't didn't can't won't isn't aren't wasn't weren't
    """.replace("'", "’").split()
)
_CONTRAST: Final = re.compile(
    r"(?:\bnot\b|n['’]t\b|\bnever\b|\bno\b)[^!?]{0,100}?\bbut\b|\bmay\b[^!?]{0,80}\bbut\b"
)
_FIGURATIVE: Final = re.compile(r"\b(?:as though|as if|like an?|like the|smells? like)\b")
_SECOND_PERSON: Final = frozenset({"you", "your", "yours", "yourself", "you're", "you’re"})


# --- sentences --------------------------------------------------------------------------


def _attribution_at(text: str, position: int) -> re.Match[str] | None:
    """The attribution starting at `position` (after spaces), if there is one."""
    while position < len(text) and text[position].isspace():
        position += 1
    return _ATTRIBUTION.match(text, position)


def _is_abbreviation(text: str, match: re.Match[str]) -> bool:
    """A lone full stop after a title (`Mr.`) or an initial (`J.`) does not end a sentence."""
    if match.group() != ".":
        return False
    window = max(0, match.start() - 12)  # titles are short: look back a few characters only
    word = _LAST_WORD.search(text, window, match.start())
    if word is None:
        return False
    before = word.group()
    if word.start() > 0 and text[word.start() - 1] == ".":  # "e.g.", "U.S."
        return True
    return before in ABBREVIATIONS or (len(before) == 1 and before.isupper() and before != "I")


def _starts_sentence(char: str) -> bool:
    return char.isupper() or char.isdigit() or char in _OPENING_QUOTES


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
        end = match.end()
        if end <= start:
            continue
        following = end
        while following < len(text) and text[following].isspace():
            following += 1
        if following < len(text):
            if not _starts_sentence(text[following]) or _is_abbreviation(text, match):
                continue
            if QUOTE_MARKS & set(match.group("close")) and _attribution_at(text, following):
                if speech_end is None and text[start] in _OPENING_QUOTES:
                    speech_end = end
                continue
        sentences.append(Sentence(start, end, speech_end))
        start, speech_end = following, None
    last = len(text.rstrip())
    if start < last:
        sentences.append(Sentence(start, last, speech_end))
    return tuple(sentences)


# --- standing alone ----------------------------------------------------------------------


def _speeches(text: str) -> list[tuple[int, int]]:
    """Spans of quoted speech, quote marks included, pairing the marks in order.

    An odd last mark opens a speech that runs to the end (it goes on in the next paragraph).
    """
    marks = [match.start() for match in _QUOTE_MARK.finditer(text)]
    spans = [
        (opening, closing + 1) for opening, closing in zip(marks[::2], marks[1::2], strict=False)
    ]
    if len(marks) % 2:
        spans.append((marks[-1], len(text)))
    return spans


def _inside_speech(speeches: Sequence[tuple[int, int]], position: int) -> bool:
    return any(start < position < end for start, end in speeches)


def is_standalone(line: str, *, inside_speech: bool = False) -> bool:
    """True when `line` reads as whole: 40 to 280 characters of whole sentences, quotes balanced.

    It starts with a capital (or an opening quote and a capital) and ends with terminal
    punctuation, optionally followed by closing quotes, but not with an ellipsis. Its double
    quote marks are even in number; `inside_speech` (the line lies within a speech) allows
    none at all. No speech in it is cut off with a dash, and it opens with no dash or ellipsis.
    """
    if not MIN_LENGTH <= len(line) <= MAX_LENGTH or line != line.strip():
        return False
    first = line[1:2] if line[0] in _OPENING_QUOTES else line[0]
    if not first.isupper():
        return False
    ending = re.search(r"([.!?…]+)[\"'”’»)\]]*\Z", line)
    if ending is None or "…" in ending.group(1) or ".." in ending.group(1):
        return False
    marks = sum(1 for char in line if char in QUOTE_MARKS)
    if marks % 2 or (inside_speech and marks):
        return False
    if line.count("(") != line.count(")") or line.count("‘") > line.count("’"):
        return False
    return _INTERRUPTED.search(line) is None


# --- scoring -----------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


@functools.lru_cache(maxsize=1 << 16)
def _fold_word(word: str) -> str:
    """A word folded for the vocabulary tables (curly apostrophes, as most stories write)."""
    return fold(word).replace("'", "’")


def _content_words(text: str, folded_names: Collection[str]) -> list[str]:
    """The words of `text` that carry meaning: not function words, not names, 3+ letters."""
    folded = (_fold_word(word) for word in _words(text))
    return [w for w in folded if len(w) >= 3 and w not in _FUNCTION_WORDS and w not in folded_names]


def _spoken_share(line: str, *, inside_speech: bool) -> float:
    """The share of the line's non-space characters that lie inside quotation marks."""
    if inside_speech:
        return 1.0
    total = len(_NON_SPACE.findall(line))
    spoken = sum(len(_NON_SPACE.findall(line, start, end)) for start, end in _speeches(line))
    return spoken / total if total else 0.0


def score_breakdown(
    line: str, *, inside_speech: bool = False, names: Collection[str] = ()
) -> dict[str, float]:
    """The weights `line` earns, by feature name (see `Weights`); their sum is its score.

    `inside_speech` says the line lies within a speech (no quote marks of its own); `names`
    are the story's character names (words capitalised mid-sentence), for `name_heavy`.
    """
    return _score_parts(line, inside_speech, frozenset(fold(name) for name in names))


def _score_parts(line: str, inside_speech: bool, folded_names: frozenset[str]) -> dict[str, float]:
    folded = [_fold_word(word) for word in _words(line)]
    return {
        "base": WEIGHTS.base,
        **_voice(line, inside_speech=inside_speech, folded_names=folded_names),
        **_craft(line, folded),
        **_weaknesses(line, folded, folded_names),
    }


def _voice(line: str, *, inside_speech: bool, folded_names: Collection[str]) -> dict[str, float]:
    """Spoken or told: spoken, complete_speech, excerpt, stage_direction."""
    w = WEIGHTS
    parts: dict[str, float] = {}
    share = _spoken_share(line, inside_speech=inside_speech)
    spoken_text = line if inside_speech else "".join(line[a:b] for a, b in _speeches(line))
    substance = len(_content_words(spoken_text, folded_names))
    if (share >= 0.5 or _is_attributed_dialogue(line)) and substance >= 3:
        parts["spoken"] = w.spoken
    if inside_speech:
        parts["excerpt"] = w.excerpt
    elif share >= 0.95 and line[0] in _OPENING_QUOTES and line[-1] in QUOTE_MARKS:
        parts["complete_speech"] = w.complete_speech
    if not inside_speech:
        gestures = sum(1 for word in _words(_narration(line)) if _fold_word(word) in _GESTURES)
        if gestures:
            parts["stage_direction"] = w.stage_direction * min(gestures, 3)
    return parts


def _craft(line: str, folded: Sequence[str]) -> dict[str, float]:
    """Length, vocabulary and rhythm: sweet_length, short, long, emotive, second_person,
    punch, sprawl, contrast, figurative, hesitation."""
    w = WEIGHTS
    parts: dict[str, float] = {}
    if 60 <= len(line) <= 200:
        parts["sweet_length"] = w.sweet_length
    elif len(line) < 50:
        parts["short"] = w.short
    elif len(line) > 240:
        parts["long"] = w.long
    emotive = sum(1 for word in folded if word in _EMOTIVE)
    if emotive:
        parts["emotive"] = w.emotive * min(emotive, w.emotive_cap)
    if any(word in _SECOND_PERSON for word in folded):
        parts["second_person"] = w.second_person
    sentences = split_sentences(line)
    if len(sentences) >= 2:
        last = sentences[-1]
        last_length = last.end - last.start
        if last_length <= 40 and last.start >= max(60, 2 * last_length):
            parts["punch"] = w.punch
    if len(sentences) > 3:
        parts["sprawl"] = w.sprawl * (len(sentences) - 3)
    lowered = fold(line)
    if _CONTRAST.search(lowered):
        parts["contrast"] = w.contrast
    if _FIGURATIVE.search(lowered):
        parts["figurative"] = w.figurative
    hesitations = len(_HESITATION.findall(line))
    if hesitations > 1:
        parts["hesitation"] = w.hesitation * (hesitations - 1)
    return parts


def _weaknesses(
    line: str, folded: Sequence[str], folded_names: Collection[str]
) -> dict[str, float]:
    """filler_opener, mid_thought, few_content_words, name_heavy."""
    w = WEIGHTS
    parts: dict[str, float] = {}
    if folded and folded[0] in _FILLER_OPENERS:
        parts["filler_opener"] = w.filler_opener
    elif folded and folded[0] in _MID_THOUGHT_OPENERS:
        parts["mid_thought"] = w.mid_thought
    if len(_content_words(line, folded_names)) < 3:
        parts["few_content_words"] = w.few_content_words
    name_count = sum(1 for word in folded if word in folded_names)
    if name_count >= 2 and name_count * 4 > len(folded):
        parts["name_heavy"] = w.name_heavy
    return parts


def _is_attributed_dialogue(line: str) -> bool:
    """True for speeches whose only narration is their attributions (`"No." Derek says.`)."""
    speeches = _speeches(line)
    if not speeches or speeches[0][0] != 0:
        return False
    ends = [end for _, end in speeches]
    gaps = zip(ends, [*(start for start, _ in speeches[1:]), len(line)], strict=True)
    return all(start == end or _attribution_at(line, start) is not None for start, end in gaps)


def _narration(line: str) -> str:
    """The line with its speeches blanked out."""
    chars = list(line)
    for start, end in _speeches(line):
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def score_line(line: str, *, inside_speech: bool = False, names: Collection[str] = ()) -> float:
    """How quotable `line` is: the sum of `score_breakdown`, rounded to 3 decimals."""
    return round(sum(score_breakdown(line, inside_speech=inside_speech, names=names).values()), 3)


# --- speakers ----------------------------------------------------------------------------


def _speaker_name(match: re.Match[str] | None) -> str | None:
    """The name in an attribution; None for a pronoun or a description ("the man")."""
    if match is None:
        return None
    name = match.group("name") or match.group("inverted")
    if name is None or name.split()[0] in _NOT_NAMES:
        return None
    return " ".join(name.split())


def _speech_speakers(text: str, speeches: Sequence[tuple[int, int]]) -> list[str | None]:
    """For each speech, the name attributed right after it, else right before it."""
    speakers: list[str | None] = []
    for start, end in speeches:
        name = _speaker_name(_attribution_at(text, end))
        if name is None:
            before = text[max(0, start - _LEADING_WINDOW) : start]
            name = _speaker_name(_LEADING_ATTRIBUTION.search(before))
        speakers.append(name)
    return speakers


def _line_speaker(
    start: int,
    end: int,
    speeches: Sequence[tuple[int, int]],
    speakers: Sequence[str | None],
) -> str | None:
    """The one named speaker of the speeches the line holds (None if none or several)."""
    names = {
        speaker
        for (first, last), speaker in zip(speeches, speakers, strict=True)
        if first < end and last > start and speaker is not None
    }
    return names.pop() if len(names) == 1 else None


# --- finding quotes ----------------------------------------------------------------------


def story_names(story: Story) -> frozenset[str]:
    """Words the story capitalises mid-sentence and never writes in lowercase: its names."""
    capitalised: Counter[str] = Counter()
    lowercase: set[str] = set()
    for scene in story.scenes:
        for paragraph in scene.paragraphs:
            for match in re.finditer(r"(?<=[\w,;] )([^\W\d_][\w]*)", paragraph.text):
                word = match.group(1)
                if word[0].isupper():
                    capitalised[word] += 1
            lowercase.update(w for w in _words(paragraph.text) if w[0].islower())
    return frozenset(
        word
        for word in capitalised
        if word.lower() not in lowercase and word not in _NOT_NAMES and len(word) > 1
    )


def _candidates(text: str) -> Iterator[tuple[int, int]]:
    """Spans of one sentence or a run of consecutive sentences, at most MAX_LENGTH long."""
    sentences = split_sentences(text)
    for first, opening in enumerate(sentences):
        for sentence in sentences[first:]:
            ends = (sentence.speech_end, sentence.end)
            if any(end is not None and end - opening.start > MAX_LENGTH for end in ends):
                break
            for end in ends:
                if end is not None:
                    yield opening.start, end


def _page_of(scene: StoryScene, paragraph: int, offset: int) -> int:
    """The page of `scene` holding `offset` of paragraph `paragraph`."""
    found = 0
    for page in scene.pages:
        for piece in page.pieces:
            if piece.paragraph == paragraph and piece.start <= offset:
                found = page.number
                if offset < piece.end:
                    return found
    return found


@dataclass(frozen=True, slots=True)
class _Candidate:
    score: float
    scene: int
    paragraph: int
    start: int
    end: int
    text: str
    speaker: str | None


def _paragraph_quotes(
    text: str, scene: int, paragraph: int, folded_names: frozenset[str]
) -> list[_Candidate]:
    """The best non-overlapping quotes of one paragraph, in text order."""
    speeches = _speeches(text)
    speakers = _speech_speakers(text, speeches)
    scored: list[_Candidate] = []
    for start, end in _candidates(text):
        line = text[start:end]
        inside = _inside_speech(speeches, start)
        if not is_standalone(line, inside_speech=inside):
            continue
        score = round(sum(_score_parts(line, inside, folded_names).values()), 3)
        if score > THRESHOLD:
            speaker = _line_speaker(start, end, speeches, speakers)
            scored.append(_Candidate(score, scene, paragraph, start, end, line, speaker))
    chosen: list[_Candidate] = []
    for candidate in sorted(scored, key=lambda c: (-c.score, c.start, c.end)):
        if all(candidate.end <= c.start or candidate.start >= c.end for c in chosen):
            chosen.append(candidate)
    return sorted(chosen, key=lambda c: c.start)


def quote_id(text: str) -> str:
    """The stable id of a line: the first 12 hex digits of the SHA-1 of its UTF-8 text."""
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:ID_LENGTH]


def find_quotes(story: Story) -> tuple[Quote, ...]:
    """The story's quotable lines scoring above `THRESHOLD`, best first (ties in story order).

    A line appearing twice is kept once, at its first place. Deterministic: the same story
    always gives the same quotes, ids and order.
    """
    folded_names = frozenset(fold(name) for name in story_names(story))
    quotes: list[Quote] = []
    ids: set[str] = set()
    for scene in story.scenes:
        for index, paragraph in enumerate(scene.paragraphs):
            for candidate in _paragraph_quotes(paragraph.text, scene.index, index, folded_names):
                identifier = quote_id(candidate.text)
                if identifier in ids:
                    continue
                ids.add(identifier)
                page = _page_of(scene, index, candidate.start)
                quotes.append(
                    Quote(
                        identifier,
                        candidate.text,
                        scene.index,
                        page,
                        index,
                        candidate.score,
                        candidate.speaker,
                    )
                )
    # sorted() is stable: equal scores keep story order.
    return tuple(sorted(quotes, key=lambda quote: -quote.score))


# --- filters and the picker --------------------------------------------------------------


def _squeeze(text: str) -> str:
    return " ".join(fold(text).split())


def matches(quote: Quote, *, contains: str | None = None, character: str | None = None) -> bool:
    """True when `quote` passes both filters (a None or blank filter passes everything).

    `contains` is literal text (no pattern: `.*(` means those three characters), compared
    case- and accent-insensitively, with runs of whitespace as one space. `character` matches
    a line naming that character as a whole word, or spoken by that character.
    """
    if contains and contains.strip() and _squeeze(contains) not in _squeeze(quote.text):
        return False
    if character is not None and character.strip():
        name = _squeeze(character)
        pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
        spoken_by = quote.speaker is not None and pattern.search(_squeeze(quote.speaker))
        if not spoken_by and not pattern.search(_squeeze(quote.text)):
            return False
    return True


def pick_quote(
    quotes: Sequence[Quote],
    seen: Collection[str],
    rng: random.Random,
    *,
    contains: str | None = None,
    character: str | None = None,
) -> QuotePick | None:
    """Pick a quote among those matching the filters, one the reader has not seen if any.

    The choice is random, weighted towards higher scores (see `PICK_TEMPERATURE`), and
    deterministic for a seeded `rng` and the same inputs. Contract with the caller, who keeps
    the ids a reader has seen: record the picked quote's id in `seen`; when the pick says
    `restarted` (every matching quote had been seen), first forget the ids of the matching
    quotes, then record the pick. So no line repeats for a reader until all the lines matching
    the same filters have been shown. Returns None when no quote matches.
    """
    matching = [quote for quote in quotes if matches(quote, contains=contains, character=character)]
    if not matching:
        return None
    pool = [quote for quote in matching if quote.id not in seen]
    restarted = not pool
    if restarted:
        pool = matching
    best = max(quote.score for quote in pool)
    weights = [math.exp((quote.score - best) / PICK_TEMPERATURE) for quote in pool]
    chosen = rng.choices(pool, weights=weights)[0]
    return QuotePick(chosen, restarted, len(matching), len(pool) - 1)


def top_quotes_report(story: Story, n: int = 10) -> str:
    """A short text report: how many quotes the story yields, and the best `n` of them."""
    quotes = find_quotes(story)
    lines = [
        f"{story.title}: {len(quotes)} quotes (score > {THRESHOLD}); top {min(n, len(quotes))}:"
    ]
    for rank, quote in enumerate(quotes[:n], start=1):
        who = quote.speaker or "-"
        where = f"scene {quote.scene + 1}, page {quote.page + 1}"
        text = " ".join(quote.text.split())
        lines.append(f"{rank:2}. [{quote.score:.2f}] ({who}; {where}) {text}")
    return "\n".join(lines)


def weights_table() -> dict[str, float]:
    """The scoring weights by name, for display and tests."""
    return {field.name: getattr(WEIGHTS, field.name) for field in fields(WEIGHTS)}


if __name__ == "__main__":  # python -m bot.library.quotes texts/story.txt
    import sys
    from pathlib import Path

    from bot.library.loader import load_story

    for argument in sys.argv[1:]:
        print(top_quotes_report(load_story(Path(argument))))
