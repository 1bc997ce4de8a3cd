"""Finding a story's quotes: candidate lines, the standalone ones scored, the best kept."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Final

from bot.library.library import fold
from bot.library.model import Story, StoryScene
from bot.library.quotes.passage import Passage
from bot.library.quotes.scoring import THRESHOLD, PassageScorer
from bot.library.quotes.sentences import MAX_LENGTH, MIN_LENGTH, is_standalone
from bot.library.quotes.speakers import NOT_NAMES, is_inside_speech, line_speaker, speech_speakers
from bot.library.quotes.words import WORD, word_kinds

# Ids travel in Discord custom_ids (100 characters with the story id and more): keep them short.
ID_LENGTH: Final = 12

# A word written right after a word (or a comma, a semicolon) and one space: mid-sentence.
# Those opening with a lowercase ASCII letter are skipped here: they are never capitalised.
# The pattern opens with the space, a literal the regex engine finds fast.
_MID_SENTENCE_WORD: Final = re.compile(r" (?<=[\w,;] )(?![a-z])([^\W\d_]\w*)")


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


def quote_id(text: str) -> str:
    """The stable id of a line: the first 12 hex digits of the SHA-1 of its UTF-8 text."""
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:ID_LENGTH]


def _names(texts: Iterable[str], words: Iterable[str]) -> frozenset[str]:
    """The names among `texts`, whose words (all of them, repeats allowed) are `words`."""
    capitalised = {
        word for text in texts for word in _MID_SENTENCE_WORD.findall(text) if word[0].isupper()
    }
    lowercase = {word for word in set(words) if word[0].islower()}
    return frozenset(
        word
        for word in capitalised
        if word.lower() not in lowercase and word not in NOT_NAMES and len(word) > 1
    )


def story_names(story: Story) -> frozenset[str]:
    """Words the story capitalises mid-sentence and never writes in lowercase: its names."""
    texts = [paragraph.text for scene in story.scenes for paragraph in scene.paragraphs]
    return _names(texts, (word for text in texts for word in WORD.findall(text)))


def _runs(passage: Passage) -> Iterator[tuple[int, int, int, int, bool]]:
    """Candidate lines: one sentence or a run of consecutive sentences, MIN_LENGTH to
    MAX_LENGTH long, the last maybe cut to its speech alone. Each as (start, end, how many
    sentences, where the last sentence starts, whether the line lies inside a speech)."""
    sentences = passage.sentences
    for first, opening in enumerate(sentences):
        start = opening.start
        inside = is_inside_speech(passage.speeches, start)
        for last in range(first, len(sentences)):
            sentence = sentences[last]
            if sentence.end - start > MAX_LENGTH:  # its speech_end comes before its end
                break
            for end in (sentence.speech_end, sentence.end):
                if end is not None and end - start >= MIN_LENGTH:
                    yield start, end, last - first + 1, sentence.start, inside


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
    start: int
    end: int
    text: str
    speaker: str | None


def _passage_quotes(passage: Passage, kinds: dict[str, int]) -> list[_Candidate]:
    """The best non-overlapping quotes of one passage, in text order."""
    text, speeches = passage.text, passage.speeches
    scorer: PassageScorer | None = None
    scored: list[tuple[float, int, int, str]] = []
    for start, end, sentences, last_start, inside in _runs(passage):
        marks = passage.marks_between(start, end)
        # A line standing alone has an even number of quote marks, and none inside a speech:
        # known here at no cost, this rules out most lines that do not stand alone.
        if len(marks) % 2 or (inside and marks):
            continue
        scorer = scorer or PassageScorer(passage, kinds)
        score = scorer.score_above(
            THRESHOLD,
            start,
            end,
            marks,
            inside_speech=inside,
            sentences=sentences,
            last_sentence=(last_start, end),
        )
        # Scored before the full test: most lines fall short on their word counts alone.
        if score is not None:
            line = text[start:end]
            if is_standalone(line, inside_speech=inside):
                scored.append((score, start, end, line))
    if not scored:
        return []
    speakers = speech_speakers(text, speeches)
    chosen: list[_Candidate] = []
    for score, start, end, line in sorted(scored, key=lambda c: (-c[0], c[1], c[2])):
        if all(end <= c.start or start >= c.end for c in chosen):
            speaker = line_speaker(start, end, speeches, speakers)
            chosen.append(_Candidate(score, start, end, line, speaker))
    return sorted(chosen, key=lambda c: c.start)


def find_quotes(story: Story) -> tuple[Quote, ...]:
    """The story's quotable lines scoring above `THRESHOLD`, best first (ties in story order).

    A line appearing twice is kept once, at its first place. Within one paragraph the quotes
    never overlap, so a reader is not shown the same words twice under two ids. Deterministic:
    the same story always gives the same quotes, ids and order.
    """
    distinct_words: dict[str, str] = {}
    passages = [
        [Passage.read(paragraph.text, distinct_words) for paragraph in scene.paragraphs]
        for scene in story.scenes
    ]
    texts = (passage.text for scene in passages for passage in scene)
    names = _names(texts, distinct_words)
    kinds = word_kinds(distinct_words, frozenset(fold(name) for name in names))
    quotes: list[Quote] = []
    ids: set[str] = set()
    for scene, scene_passages in zip(story.scenes, passages, strict=True):
        for index, passage in enumerate(scene_passages):
            for candidate in _passage_quotes(passage, kinds):
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
