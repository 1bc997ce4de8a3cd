"""How quotable a line is (bot.library.quotes.scoring), and reading a paragraph once for it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.library.library import fold
from bot.library.quotes import THRESHOLD, score_breakdown, score_line, weights_table
from bot.library.quotes.passage import Passage
from tests.library.test_quotes_sentences import any_paragraph

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
        ('"I would never leave you out here," Stiles says, "not in this cold."', "spoken"),
        ('"No." Derek says. "I will wait for you forever and a day." He says.', "spoken"),
    ],
)
def test_score_features(line: str, feature: str) -> None:
    assert feature in score_breakdown(line, names={"Derek", "Stiles"})


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("It was not the fire that scared him, but the silence after.", True),
        ("He couldn’t stay, but he could not leave either, not tonight.", True),
        ("It was NEVER the fire that scared him. BUT the silence.", True),  # any case; a "."
        ("You may laugh at him for it, but he knows what he saw that night.", True),
        ("There was nothing to do but wait for the morning to come again.", False),
        ("Much to his dismay, he stayed, but only for an hour or two more.", False),
        ("He cannot but wonder where the years of his life have gone by now.", False),
        ("No! He was not afraid; but then, what else was there to say to it?", True),
        ("It was not a question? But he answered it anyway, and so did she.", False),
    ],
)
def test_contrast(line: str, expected: bool) -> None:
    assert ("contrast" in score_breakdown(line)) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("He smells of contentment, and oddly like home, as though he belongs.", True),
        ("She looked at him as if he had hung the moon and the stars too.", True),
        ("It smells like rain and pine needles and something he cannot name.", True),
        ("He moved like a shadow through the house, silent and quick and sure.", True),
        ("He would likely stay the night, as the roads were closed by snow.", False),
        ("As he left, he said he liked the house and the garden very much.", False),
    ],
)
def test_figurative(line: str, expected: bool) -> None:
    assert ("figurative" in score_breakdown(line)) is expected


def test_a_speech_with_little_substance_is_not_rewarded_as_spoken() -> None:
    assert "spoken" not in score_breakdown('"Stiles." He breathes, relief coursing through him.')
    assert "spoken" in score_breakdown('"I want to. I need to set this right." He whispers.')


def test_an_excerpt_of_a_speech_scores_below_the_whole_speech() -> None:
    line = "He wanted her power, and he managed to frame you because of Kate."
    assert score_line(line, inside_speech=True) < score_line(f'"{line}"')


def test_accents_and_case_do_not_change_what_a_word_counts_as() -> None:
    plain = score_breakdown("Natasha said the world was not hers, but she never stopped.")
    accented = score_breakdown("NATÁSHA SAID THE WÓRLD WAS NOT HERS, BUT SHE NÉVER STOPPED.")
    assert plain == accented


def test_names_make_a_line_name_heavy_and_are_not_content() -> None:
    line = '"Derek?" Stiles looks at Derek. "Derek, Stiles, Derek?"'
    assert "name_heavy" in score_breakdown(line, names={"Derek", "Stiles"})
    assert "name_heavy" not in score_breakdown(line)
    assert "name_heavy" in score_breakdown(line.upper(), names={"derek", "stiles"})


def test_the_weights_table_is_the_breakdown_vocabulary() -> None:
    table = weights_table()
    assert table["base"] > 0
    assert table["filler_opener"] < 0
    for line in GOOD_LINES + BAD_LINES:
        assert set(score_breakdown(line)) <= set(table)


@settings(max_examples=200, deadline=None)
@given(any_paragraph, st.booleans())
def test_the_score_is_the_rounded_sum_of_the_breakdown(line: str, inside_speech: bool) -> None:
    parts = score_breakdown(line, inside_speech=inside_speech, names={"Derek"})
    assert set(parts) <= set(weights_table())
    assert parts["base"] == weights_table()["base"]
    assert score_line(line, inside_speech=inside_speech, names={"Derek"}) == round(
        sum(parts.values()), 3
    )


# --- reading a paragraph once ------------------------------------------------------------

FOLDING = st.text(alphabet=st.sampled_from(list("aZ .’“”—…éÉßﬁΣσİ²ℌ\u0301")), max_size=60)


@settings(max_examples=300, deadline=None)
@given(st.one_of(any_paragraph, FOLDING), st.data())
def test_a_passage_folds_any_span_as_fold_does(text: str, data: st.DataObject) -> None:
    passage = Passage.read(text, {})
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert passage.folded(start, end) == fold(text[start:end])


@settings(max_examples=200, deadline=None)
@given(any_paragraph)
def test_a_passage_knows_its_words_before_each_sentence(text: str) -> None:
    passage = Passage.read(text, {})
    words = passage.words
    for sentence in passage.sentences:
        before = passage.words_before[sentence.start]
        through = passage.words_before[sentence.end]
        assert words[before:through] == Passage.read(text[sentence.start : sentence.end], {}).words
    assert len(words) == passage.words_before[len(text)]
