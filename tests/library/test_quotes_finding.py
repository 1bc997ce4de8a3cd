"""Finding a story's quotes (bot.library.quotes.finding): the seed, speakers, generated stories,
and the fast finder checked against a plain one built from the public functions."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.library.loader import load_story
from bot.library.model import ChapterSource, Document, Paragraph, Story, StoryMetadata
from bot.library.quotes import (
    MAX_LENGTH,
    MIN_LENGTH,
    QUOTE_MARKS,
    THRESHOLD,
    Quote,
    find_quotes,
    is_standalone,
    quote_id,
    score_line,
    split_sentences,
    story_names,
    top_quotes_report,
)
from bot.library.story import build_story
from tests.corpus import SEED
from tests.library.test_quotes_sentences import any_paragraph

FILLER = {"okay", "ok", "yeah", "um", "uh", "oh", "well", "hmm", "so", "alright"}


def story_of(*paragraphs: str, limit: int = 4096) -> Story:
    scene = tuple(Paragraph(text) for text in paragraphs)
    document = Document(StoryMetadata("T"), (ChapterSource(None, (scene,)),), format="text")
    return build_story("t", document, limit=limit)


def quote_marks(text: str) -> int:
    return sum(1 for char in text if char in QUOTE_MARKS)


def assert_quote_in_place(story: Story, quote: Quote) -> None:
    """The text is verbatim in its paragraph and its page's pieces cover where it starts."""
    scene = story.scenes[quote.scene]
    paragraph = scene.paragraphs[quote.paragraph].text
    assert quote.text in paragraph
    # The same words may occur twice in a paragraph: one of the occurrences starts on the page.
    starts = [m.start() for m in re.finditer(f"(?={re.escape(quote.text)})", paragraph)]
    page = scene.pages[quote.page]
    assert any(
        piece.paragraph == quote.paragraph and piece.start <= start < piece.end
        for piece in page.pieces
        for start in starts
    ), f"page {quote.page} does not hold the start of {quote.text!r}"


@pytest.fixture(scope="module")
def seed() -> Story:
    return load_story(SEED)


@pytest.fixture(scope="module")
def seed_quotes(seed: Story) -> tuple[Quote, ...]:
    return find_quotes(seed)


# --- the seed story ----------------------------------------------------------------------


def test_the_seed_yields_dozens_of_quotes(seed_quotes: tuple[Quote, ...]) -> None:
    assert 25 <= len(seed_quotes) <= 90


def test_every_seed_quote_is_verbatim_on_its_page(
    seed: Story, seed_quotes: tuple[Quote, ...]
) -> None:
    for quote in seed_quotes:
        assert_quote_in_place(seed, quote)


def test_every_seed_quote_stands_alone(seed_quotes: tuple[Quote, ...]) -> None:
    for quote in seed_quotes:
        assert MIN_LENGTH <= len(quote.text) <= MAX_LENGTH
        assert quote_marks(quote.text) % 2 == 0, quote.text
        assert quote.text == quote.text.strip()
        assert quote.text.lstrip('"“')[0].isupper()
        assert re.search(r"[.!?][\"”’]*\Z", quote.text), quote.text
        assert quote.score > THRESHOLD


def test_seed_quotes_are_sorted_unique_and_stable(
    seed: Story, seed_quotes: tuple[Quote, ...]
) -> None:
    scores = [quote.score for quote in seed_quotes]
    assert scores == sorted(scores, reverse=True)
    for a, b in itertools.pairwise(seed_quotes):
        if a.score == b.score:  # ties in story order
            assert (a.scene, a.paragraph) <= (b.scene, b.paragraph)
    assert len({quote.id for quote in seed_quotes}) == len(seed_quotes)
    assert len({quote.text for quote in seed_quotes}) == len(seed_quotes)
    for quote in seed_quotes:
        assert re.fullmatch(r"[0-9a-f]{12}", quote.id)
        assert quote.id == quote_id(quote.text)
    assert find_quotes(seed) == seed_quotes
    assert find_quotes(load_story(SEED)) == seed_quotes  # a reload keeps ids and order


def test_quotes_of_one_paragraph_never_overlap(seed: Story, seed_quotes: tuple[Quote, ...]) -> None:
    by_paragraph: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for quote in seed_quotes:
        text = seed.scenes[quote.scene].paragraphs[quote.paragraph].text
        start = text.index(quote.text)
        by_paragraph.setdefault((quote.scene, quote.paragraph), []).append(
            (start, start + len(quote.text))
        )
    for spans in by_paragraph.values():
        spans.sort()
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end <= start


def test_the_best_seed_quotes_are_not_filler(seed_quotes: tuple[Quote, ...]) -> None:
    for quote in seed_quotes[:10]:
        first = re.findall(r"\w+", quote.text)[0].lower()
        assert first not in FILLER, quote.text
        assert not quote.text.lstrip('"“').startswith(("And ", "But ", "Then ", "Because "))
    texts = " ".join(quote.text for quote in seed_quotes[:10])
    assert "You smell like the truth" in texts
    assert "I'm not anyone else’s but yours." in texts


def test_seed_filler_lines_are_not_quotes(seed_quotes: tuple[Quote, ...]) -> None:
    texts = {quote.text for quote in seed_quotes}
    assert (
        '"Okay." He exhales, relaxing, fluffing his hair up at the back and shaking his head.'
        not in texts
    )
    assert not any(text.startswith(("“Okay.", '"Okay.', '"Yeah.')) for text in texts)


def test_seed_speakers(seed_quotes: tuple[Quote, ...]) -> None:
    speakers = {quote.text: quote.speaker for quote in seed_quotes}
    truth = next(text for text in speakers if "You smell like the truth" in text)
    assert speakers[truth] == "Stiles"
    knew = next(text for text in speakers if "I never knew anything" in text)
    assert speakers[knew] == "Derek"
    assert {speaker for speaker in speakers.values()} <= {None, "Stiles", "Derek"}


def test_a_quote_in_a_paragraph_split_across_pages_is_on_the_page_where_it_starts() -> None:
    filler = " ".join(f"He walked to the corner number {i} and back." for i in range(12))
    line = '"I never stopped waiting for you, not for one day, and I never will." Stiles says.'
    story = story_of(f"{filler} {line}", limit=200)
    assert len(story.scenes[0].pages) > 2
    quote = next(q for q in find_quotes(story) if "never stopped" in q.text)
    assert quote.page == len(story.scenes[0].pages) - 1
    assert quote.speaker == "Stiles"
    assert_quote_in_place(story, quote)


def test_top_quotes_report(seed: Story, seed_quotes: tuple[Quote, ...]) -> None:
    report = top_quotes_report(seed)
    print("\n" + report)  # shown with pytest -s
    lines = report.splitlines()
    assert lines[0].startswith(f"Lay Your Heart Bare: {len(seed_quotes)} quotes")
    assert len(lines) == 11
    assert lines[1].startswith(" 1. [")


# --- speakers ----------------------------------------------------------------------------

LINE = "I have been waiting for you my whole life, and I will wait a little longer"


@pytest.mark.parametrize(
    ("paragraph", "speaker"),
    [
        (f'"{LINE}," Stiles says.', "Stiles"),
        (f'"{LINE}," said Stiles.', "Stiles"),
        (f'"{LINE}." Stiles says.', "Stiles"),
        (f'"{LINE}?" Derek asks quietly.', "Derek"),
        (f'"{LINE}!” Derek Hale shouts.', "Derek Hale"),
        (f'"{LINE}," Stiles softly whispers.', "Stiles"),
        (f'Stiles says, "{LINE}."', "Stiles"),
        (f'"{LINE}," he says.', None),
        (f'"{LINE}." He says.', None),
        (f'"{LINE}," the man repeats.', None),
        (f'"{LINE}." Stiles shrugs.', None),  # a gesture, not a speech verb
        (f"{LINE}, Stiles thinks.", None),  # not dialogue
        (f'"{LINE}." Stiles says. "I will." Derek answers.', None),  # two speakers
    ],
)
def test_speakers(paragraph: str, speaker: str | None) -> None:
    quotes = find_quotes(story_of(paragraph))
    assert quotes, paragraph
    assert quotes[0].speaker == speaker


def test_a_sentence_inside_an_attributed_speech_has_its_speaker() -> None:
    paragraph = (
        '"Of course it was Peter. He wanted her power, and he managed to frame you because of '
        "Kate, who never loved anyone. All he had to do was twist the story, and he did it so "
        "well that the whole town believed him for ten long and lonely years, every one of them "
        'a lie that would have broken anyone else." Stiles says.'
    )
    quotes = find_quotes(story_of(paragraph))
    assert quotes
    assert all(quote.speaker == "Stiles" for quote in quotes)


# --- generated stories -------------------------------------------------------------------

stories = st.lists(any_paragraph, min_size=1, max_size=8).filter(
    lambda paragraphs: all(p.strip() for p in paragraphs)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stories, st.sampled_from([4096, 200, 60]))
def test_generated_stories_give_well_formed_quotes(paragraphs: list[str], limit: int) -> None:
    story = story_of(*paragraphs, limit=limit)
    quotes = find_quotes(story)
    assert len({q.id for q in quotes}) == len(quotes)
    for quote in quotes:
        assert MIN_LENGTH <= len(quote.text) <= MAX_LENGTH
        assert quote_marks(quote.text) % 2 == 0
        assert_quote_in_place(story, quote)


# --- names -------------------------------------------------------------------------------


def test_names_are_words_capitalised_mid_sentence_and_never_in_lowercase() -> None:
    story = story_of(
        "Then Derek met Stiles, and Zoé. Later Stiles said a Word, and the word was Hope.",
        "They walked on; Derek smiled. His hope was a Thing, Hale knew, a thing of light.",
    )
    assert story_names(story) == {"Derek", "Stiles", "Zoé", "Hale"}


# --- the fast finder against a plain one -------------------------------------------------


def plain_quotes(story: Story) -> list[tuple[int, int, str, float]]:
    """find_quotes spelled out with the public functions, each line scored on its own:
    (scene, paragraph, text, score) of the quotes, best first."""
    names = story_names(story)
    found: list[tuple[int, int, str, float]] = []
    ids: set[str] = set()
    for scene in story.scenes:
        for index, paragraph in enumerate(scene.paragraphs):
            text = paragraph.text
            marks = [i for i, char in enumerate(text) if char in QUOTE_MARKS]
            sentences = split_sentences(text)
            scored = []
            for first, opening in enumerate(sentences):
                start = opening.start
                inside = sum(1 for mark in marks if mark < start) % 2 == 1  # after an opening
                for sentence in sentences[first:]:
                    if sentence.end - start > MAX_LENGTH:
                        break
                    for end in (sentence.speech_end, sentence.end):
                        if end is None or not is_standalone(text[start:end], inside_speech=inside):
                            continue
                        score = score_line(text[start:end], inside_speech=inside, names=names)
                        if score > THRESHOLD:
                            scored.append((score, start, end))
            chosen: list[tuple[float, int, int]] = []
            for score, start, end in sorted(scored, key=lambda c: (-c[0], c[1], c[2])):
                if all(end <= other[1] or start >= other[2] for other in chosen):
                    chosen.append((score, start, end))
            for score, start, end in sorted(chosen, key=lambda c: c[1]):
                if quote_id(text[start:end]) not in ids:
                    ids.add(quote_id(text[start:end]))
                    found.append((scene.index, index, text[start:end], score))
    return sorted(found, key=lambda quote: -quote[3])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stories)
def test_the_fast_finder_finds_what_the_plain_one_does(paragraphs: list[str]) -> None:
    story = story_of(*paragraphs)
    found = [(q.scene, q.paragraph, q.text, q.score) for q in find_quotes(story)]
    assert found == plain_quotes(story)


def test_the_fast_finder_finds_what_the_plain_one_does_on_the_seed(seed: Story) -> None:
    found = [(q.scene, q.paragraph, q.text, q.score) for q in find_quotes(seed)]
    assert found == plain_quotes(seed)
