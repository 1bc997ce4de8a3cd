from __future__ import annotations

import itertools
import math
import random
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.library.loader import load_story
from bot.library.model import ChapterSource, Document, Paragraph, Story, StoryMetadata
from bot.library.quotes import (
    MAX_LENGTH,
    MIN_LENGTH,
    PICK_TEMPERATURE,
    QUOTE_MARKS,
    THRESHOLD,
    Quote,
    QuotePick,
    find_quotes,
    is_standalone,
    matches,
    pick_quote,
    quote_id,
    score_breakdown,
    score_line,
    split_sentences,
    top_quotes_report,
    weights_table,
)
from bot.library.story import build_story

SEED = Path(__file__).resolve().parents[2] / "texts" / "lay-your-heart-bare.txt"
FILLER = {"okay", "ok", "yeah", "um", "uh", "oh", "well", "hmm", "so", "alright"}


def story_of(*paragraphs: str, limit: int = 4096) -> Story:
    scene = tuple(Paragraph(text) for text in paragraphs)
    document = Document(StoryMetadata("T"), (ChapterSource(None, (scene,)),), format="text")
    return build_story("t", document, limit=limit)


def sentences_of(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


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


# --- sentences ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a speech and its attribution stay one sentence
            '"Why are you following me?" He growls, pressing his arm against the boy\'s '
            'windpipe. "Who sent you? Who are you working for?"',
            [
                '"Why are you following me?" He growls, pressing his arm against the boy\'s '
                "windpipe.",
                '"Who sent you?',
                'Who are you working for?"',
            ],
        ),
        (
            '"Alright, alright." He shushes. "Jesus." He rubs his temples.',
            ['"Alright, alright." He shushes.', '"Jesus."', "He rubs his temples."],
        ),
        (
            '"Wait!" Derek shouts. "Wait!" Stiles keeps running.',
            ['"Wait!" Derek shouts.', '"Wait!"', "Stiles keeps running."],
        ),
        (  # mixed straight and curly quotes
            '"So will his record be cleared, then?” The sheriff asks. "Yes."',
            ['"So will his record be cleared, then?” The sheriff asks.', '"Yes."'],
        ),
        ('"Oh!" he said. "Fine."', ['"Oh!" he said.', '"Fine."']),
        ('"I think so," Stiles says. "Fine."', ['"I think so," Stiles says.', '"Fine."']),
        (
            "Mr. Hale met Dr. Argent on St. Mark's Street. They talked.",
            ["Mr. Hale met Dr. Argent on St. Mark's Street.", "They talked."],
        ),
        ("J. K. Rowling wrote it. Then she slept.", ["J. K. Rowling wrote it.", "Then she slept."]),
        ("We met in the U.S. Army. It was cold.", ["We met in the U.S. Army.", "It was cold."]),
        ('"No. It\'s not that." I. Am. Here.', ['"No.', "It's not that.\"", "I.", "Am.", "Here."]),
        (  # an ellipsis before lowercase goes on; before a capital it ends
            "Yeah, that's kind of why ... you're mine. Almost ... strong. Fierce... Then gone.",
            [
                "Yeah, that's kind of why ... you're mine.",
                "Almost ... strong.",
                "Fierce...",
                "Then gone.",
            ],
        ),
        ("He stops… Nothing.", ["He stops…", "Nothing."]),
        ("Really?! Yes. 2 cats came.", ["Really?!", "Yes.", "2 cats came."]),
        ("He's finally found—", ["He's finally found—"]),
        ("  One line.\nAnother line  ", ["One line.", "Another line"]),
        ("", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert sentences_of(text) == expected


def test_a_speech_with_its_attribution_knows_where_the_speech_ends() -> None:
    text = '"Why are you following me?" He growls, pressing his arm. "Who sent you?"'
    first, second = split_sentences(text)
    assert first.speech_end is not None
    assert text[first.start : first.speech_end] == '"Why are you following me?"'
    assert second.speech_end is None
    narration = 'Derek stares. “Okay." He lets him go.'
    assert all(s.speech_end is None for s in split_sentences(narration))


# --- standing alone ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        '"So will his record be cleared, then?” he asks, looking at the judge.',
        "There are good people in the world. And he had almost forgotten that.",
        "\"You’re mine?” The boy says as though it's a question, and Derek stares.",
        "“I want you to know that what you have done is more than enough for me.”",
        "Whatever you might thin— whatever we are, it's not going to happen.",
        "He said it (quietly) and then he left the room without a word.",
    ],
)
def test_standalone_lines(line: str) -> None:
    assert is_standalone(line)


@pytest.mark.parametrize(
    "line",
    [
        "Too short to quote.",
        "x" * 281 + ".",
        "and then he left the room without saying a single word to anyone.",
        '"So will his record be cleared, then? And what happens to the rest of us.',
        "Yeah, that's kind of why you're mine and why I followed you ...",
        "He waited and waited and waited for the rest of the night…",
        "\"So you don't want. Do you not want—”, he coughs, clearing his throat.",
        '“—told him everything yet?" The sheriff is saying, out in the hall.',
        "He's finally found— the thing he was looking for all along and more",
        "He said it (quietly and then he left the room without a word.",
        " Leading space before a sentence that is otherwise perfectly fine.",
    ],
)
def test_lines_that_do_not_stand_alone(line: str) -> None:
    assert not is_standalone(line)


def test_inside_a_speech_a_line_may_hold_no_quote_marks() -> None:
    line = "He wanted her power, and he managed to frame you because of Kate."
    assert is_standalone(line, inside_speech=True)
    assert not is_standalone(
        'He said "no" and she said "yes" in the end, anyway.', inside_speech=True
    )


# --- scoring -----------------------------------------------------------------------------

GOOD_LINES = [
    '"Peter Hale may be able to cover a lie. But he can\'t smell like the truth." Stiles says.',
    '"I\'m not anyone else’s but yours." Derek takes a deep breath, and means it.',
    "There are good people in the world. And he had almost forgotten that.",
    '"I never knew anything, and I was afraid of everything, but never of you."',
    "\"You don't have to worry about that anymore, I'm taking care of everything.\"",
]
BAD_LINES = [
    '"Okay, yeah, I guess that is kind of fine with me, I suppose, okay."',
    '"Yeah, I guess so. Okay. That works for me, I think, probably."',
    "Um, he walks down the street to the shop on the corner of it.",
    "But he walks over to the table and sits down in the chair there.",
    "He nods, blinks, shrugs, and rubs his eyes with one hand, then stares.",
    '"Derek?" Stiles looks at Derek. "Derek, Stiles, Derek?"',
]


@pytest.mark.parametrize("line", GOOD_LINES)
def test_memorable_lines_score_above_the_threshold(line: str) -> None:
    assert score_line(line, names={"Derek", "Stiles", "Peter", "Hale"}) > THRESHOLD


@pytest.mark.parametrize("line", BAD_LINES)
def test_filler_scores_at_most_the_threshold(line: str) -> None:
    assert score_line(line, names={"Derek", "Stiles"}) <= THRESHOLD


def test_every_good_line_beats_every_bad_line() -> None:
    names = {"Derek", "Stiles", "Peter", "Hale"}
    worst_good = min(score_line(line, names=names) for line in GOOD_LINES)
    best_bad = max(score_line(line, names=names) for line in BAD_LINES)
    assert worst_good > best_bad


@pytest.mark.parametrize(
    ("line", "feature"),
    [
        ('"I would have waited for you forever, you know that, right?"', "spoken"),
        ('"I would have waited for you forever, you know that, right?"', "complete_speech"),
        ('"I would have waited for you forever, you know that, right?"', "second_person"),
        ("Okay, so he walks down the street to the shop on the corner.", "filler_opener"),
        ("Because he walks down the street to the shop on the corner.", "mid_thought"),
        ("It was not the fire that scared him, but the silence after.", "contrast"),
        ("He smells of contentment, and oddly like home, as though he belongs.", "figurative"),
        (
            "He had run for ten years, through every town and every winter. He was done.",
            "punch",
        ),
        ("Derek nods, blinks, and shrugs, and rubs his eyes with one hand.", "stage_direction"),
        ('"I — I mean — I just — wanted to say something to you now."', "hesitation"),
        ("Yes. Fine. Sure. Right. Whatever you want, I suppose, in the end.", "sprawl"),
        ('"Derek?" Stiles leans forward. "Derek, Stiles?"', "name_heavy"),
        ("He is. He is. He is. He is. He is. He is. He is.", "few_content_words"),
    ],
)
def test_score_features(line: str, feature: str) -> None:
    assert feature in score_breakdown(line, names={"Derek", "Stiles"})


def test_a_speech_with_little_substance_is_not_rewarded_as_spoken() -> None:
    assert "spoken" not in score_breakdown('"Stiles." He breathes, relief coursing through him.')
    assert "spoken" in score_breakdown('"I want to. I need to set this right." He whispers.')


def test_an_excerpt_of_a_speech_scores_below_the_whole_speech() -> None:
    line = "He wanted her power, and he managed to frame you because of Kate."
    assert score_line(line, inside_speech=True) < score_line(f'"{line}"')


def test_the_weights_table_is_the_breakdown_vocabulary() -> None:
    table = weights_table()
    assert table["base"] > 0
    assert table["filler_opener"] < 0
    for line in GOOD_LINES + BAD_LINES:
        assert set(score_breakdown(line)) <= set(table)


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


# --- filters -----------------------------------------------------------------------------


def make_quote(text: str, score: float = 5.0, speaker: str | None = None) -> Quote:
    return Quote(quote_id(text), text, 0, 0, 0, score, speaker)


CAFE = make_quote('"Meet me at the Café (really.*) tonight, Derek," Stiles says.', speaker="Stiles")
PLAIN = make_quote("Zoé's heart was somewhere else, far from the warehouse.")


@pytest.mark.parametrize(
    ("quote", "contains", "expected"),
    [
        (CAFE, None, True),
        (CAFE, "", True),
        (CAFE, "   ", True),
        (CAFE, "cafe", True),
        (CAFE, "CAFÉ", True),
        (CAFE, "café (REALLY", True),
        (CAFE, "(really.*)", True),
        (CAFE, ".*", True),
        (CAFE, "r.*y", False),  # would match as a pattern
        (CAFE, "me  at\nthe", True),  # whitespace runs count as one space
        (CAFE, "Peter", False),
        (PLAIN, "zoe", True),
    ],
)
def test_contains_is_literal_and_folded(quote: Quote, contains: str | None, expected: bool) -> None:
    assert matches(quote, contains=contains) is expected


@pytest.mark.parametrize(
    ("quote", "character", "expected"),
    [
        (CAFE, "derek", True),  # named in the line
        (CAFE, "DEREK", True),
        (CAFE, "Der", False),  # whole words only
        (CAFE, "stiles", True),  # named in the attribution
        (make_quote('"I never knew anything." He breathes.', speaker="Derek"), "derek", True),
        (make_quote('"I never knew anything." He breathes.', speaker="Derek Hale"), "derek", True),
        (make_quote('"I never knew anything." He breathes.'), "derek", False),
        (PLAIN, "zoe", True),  # accents
        (PLAIN, "Zoé", True),
        (PLAIN, "Peter", False),
        (PLAIN, None, True),
    ],
)
def test_character_filter(quote: Quote, character: str | None, expected: bool) -> None:
    assert matches(quote, character=character) is expected


def test_filters_combine() -> None:
    assert matches(CAFE, contains="café", character="Stiles")
    assert not matches(CAFE, contains="café", character="Peter")
    assert not matches(CAFE, contains="warehouse", character="Stiles")


# --- the picker --------------------------------------------------------------------------


def pool(count: int) -> list[Quote]:
    return [
        make_quote(f"Line number {i} of the pool{' about Stiles' if i % 3 == 0 else ''}.", 4.0 + i)
        for i in range(count)
    ]


def run_reader(
    quotes: list[Quote], picks: int, rng: random.Random, **filters: str | None
) -> list[QuotePick]:
    """A reader as the bot keeps one: seen ids fed back, matching ids forgotten on restart."""
    seen: set[str] = {"not-a-quote"}
    result: list[QuotePick] = []
    for _ in range(picks):
        pick = pick_quote(quotes, seen, rng, **filters)
        assert pick is not None
        if pick.restarted:
            seen -= {q.id for q in quotes if matches(q, **filters)}
        seen.add(pick.quote.id)
        result.append(pick)
    return result


def test_the_picker_shows_every_quote_once_per_cycle() -> None:
    quotes = pool(10)
    picks = run_reader(quotes, 30, random.Random(7))
    for cycle in range(3):
        chunk = picks[cycle * 10 : cycle * 10 + 10]
        assert sorted(p.quote.id for p in chunk) == sorted(q.id for q in quotes)
        assert [p.restarted for p in chunk] == [cycle > 0] + [False] * 9
        assert [p.unseen_left for p in chunk] == list(range(9, -1, -1))
        assert all(p.matching == 10 for p in chunk)


def test_the_picker_cycles_over_the_matching_quotes_only() -> None:
    quotes = pool(12)
    matching = [q.id for q in quotes if "Stiles" in q.text]
    picks = run_reader(quotes, 3 * len(matching), random.Random(3), character="stiles")
    for cycle in range(3):
        chunk = picks[cycle * len(matching) : (cycle + 1) * len(matching)]
        assert sorted(p.quote.id for p in chunk) == sorted(matching)
        assert chunk[0].restarted is (cycle > 0)


def test_the_picker_ignores_seen_ids_of_other_quotes() -> None:
    quotes = pool(6)
    seen = {q.id for q in quotes if "Stiles" not in q.text}
    pick = pick_quote(quotes, seen, random.Random(1), character="Stiles")
    assert pick is not None
    assert not pick.restarted
    assert pick.matching == 2
    assert pick.unseen_left == 1


def test_the_picker_is_deterministic_for_a_seeded_rng() -> None:
    quotes = pool(15)
    first = [p.quote.id for p in run_reader(quotes, 40, random.Random(42))]
    second = [p.quote.id for p in run_reader(quotes, 40, random.Random(42))]
    other = [p.quote.id for p in run_reader(quotes, 40, random.Random(43))]
    assert first == second
    assert first != other


def test_the_picker_favours_higher_scores() -> None:
    quotes = [make_quote(f"Line {i} of a pool of quotable lines.", score) for i, score in
              enumerate([4.0, 6.0, 8.0])]  # fmt: skip
    rng = random.Random(2024)
    counts = Counter(
        pick.quote.score
        for pick in (pick_quote(quotes, set(), rng) for _ in range(6000))
        if pick is not None
    )
    assert counts[8.0] > counts[6.0] > counts[4.0]
    expected_ratio = math.exp(2.0 / PICK_TEMPERATURE)  # two points more
    assert counts[8.0] / counts[6.0] == pytest.approx(expected_ratio, rel=0.15)
    assert counts[6.0] / counts[4.0] == pytest.approx(expected_ratio, rel=0.15)


def test_the_best_quotes_tend_to_come_first_in_a_cycle() -> None:
    quotes = pool(10)
    best, worst = quotes[-1].id, quotes[0].id
    positions: dict[str, list[int]] = {best: [], worst: []}
    for seed in range(300):
        order = [p.quote.id for p in run_reader(quotes, 10, random.Random(seed))]
        positions[best].append(order.index(best))
        positions[worst].append(order.index(worst))
    assert sum(positions[best]) < sum(positions[worst])


def test_the_picker_returns_none_without_a_match() -> None:
    quotes = pool(5)
    assert pick_quote([], set(), random.Random(0)) is None
    assert pick_quote(quotes, set(), random.Random(0), contains="nowhere in any line") is None
    assert pick_quote(quotes, set(), random.Random(0), character="Peter") is None


def test_the_picker_on_the_seed(seed_quotes: tuple[Quote, ...]) -> None:
    rng = random.Random(5)
    pick = pick_quote(seed_quotes, set(), rng, character="Stiles")
    assert pick is not None
    assert matches(pick.quote, character="Stiles")
    pick = pick_quote(seed_quotes, set(), rng, contains="TRUTH")
    assert pick is not None
    assert "truth" in pick.quote.text


# --- generated stories -------------------------------------------------------------------

TOKENS = [
    "he", "she", "the", "heart", "never", "you", "home", "and", "but", "world", "okay",
    "Derek", "Stiles", "He", "The", "And", "Mr.", "Dr.", "St.", "J.", "I",
    ".", ",", "?", "!", "...", "…", "—", "-", ";", ":", "(", ")", "’", "‘", "'",
    '"', "“", "”", '."', '?"', '!”', ',"', "says", "asks", "said", "\n", "é", "Zoé",
]  # fmt: skip
paragraph_text = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=80).map(
    lambda tokens: " ".join(tokens).replace(" .", ".").replace(" ,", ",")
)
WORDS = [
    "heart", "never", "you", "home", "world", "love", "afraid", "mine", "always", "truth",
    "the", "and", "of", "running", "Derek", "Stiles", "café", "Zoé", "like", "a", "not", "but",
    "twenty-seven", "—", "...", "Dr.", "‘case’", "(really)", "it's", "nodded", "eyes",
]  # fmt: skip
sentence = st.builds(
    lambda first, rest, end: f"{first} {' '.join(rest)}{end}",
    st.sampled_from(["He", "You", "I", "The", "Derek", "Stiles", "Mr.", "Okay,", "And", "but"]),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=30),
    st.sampled_from([".", "?", "!", "...", "—", "?!", ","]),
)
speech = st.builds(
    lambda opening, words, closing, attribution: f"{opening}{words}{closing}{attribution}",
    st.sampled_from(['"', "“"]),
    st.lists(sentence, min_size=1, max_size=3).map(" ".join),
    st.sampled_from(['"', "”"]),
    st.sampled_from(["", " He says.", " Stiles says.", " said Derek.", " He growls, pressing."]),
)
prose = st.lists(st.one_of(sentence, speech), min_size=1, max_size=6).map(" ".join)
raw_text = st.text(
    alphabet=st.sampled_from(list("aAbB zZ.,?!'\"“”’—-…\n()éÉ")), min_size=1, max_size=400
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.one_of(prose, paragraph_text, raw_text), min_size=1, max_size=8).filter(
        lambda paragraphs: all(p.strip() for p in paragraphs)
    ),
    st.sampled_from([4096, 200, 60]),
)
def test_generated_stories_give_well_formed_quotes(paragraphs: list[str], limit: int) -> None:
    story = story_of(*paragraphs, limit=limit)
    quotes = find_quotes(story)
    assert len({q.id for q in quotes}) == len(quotes)
    for quote in quotes:
        assert MIN_LENGTH <= len(quote.text) <= MAX_LENGTH
        assert quote_marks(quote.text) % 2 == 0
        assert_quote_in_place(story, quote)


@settings(max_examples=300, deadline=None)
@given(st.one_of(prose, paragraph_text, raw_text))
def test_sentences_cover_the_text_leaving_only_whitespace(text: str) -> None:
    cursor = 0
    for sentence in split_sentences(text):
        assert text[cursor : sentence.start].strip() == ""
        assert sentence.start < sentence.end
        assert not text[sentence.start].isspace()
        assert not text[sentence.end - 1].isspace()
        if sentence.speech_end is not None:
            assert sentence.start < sentence.speech_end < sentence.end
        cursor = sentence.end
    assert text[cursor:].strip() == ""
