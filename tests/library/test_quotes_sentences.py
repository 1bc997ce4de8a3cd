"""Sentences of a paragraph, and lines that stand alone (bot.library.quotes.sentences).

The hypothesis strategies here (`prose`, `paragraph_text`, `raw_text`, `any_paragraph`) are
shared by the other quote tests.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.library.quotes import (
    MAX_LENGTH,
    MIN_LENGTH,
    QUOTE_MARKS,
    is_standalone,
    split_sentences,
)

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
    "as though", "may", "can’t", "NATÁSHA", "Natásha", "natásha", "Straße", "ﬁne", "you’re",
]  # fmt: skip
# Mostly plain words, so that lines land near the threshold and every feature can decide.
PLAIN_WORDS = [
    "table", "walked", "street", "slowly", "window", "was", "it", "to", "the", "a", "of",
    "not", "but", "may", "like", "as if", "nodded", "door", "said", "you", "rain", "house",
]  # fmt: skip
sentence = st.builds(
    lambda first, rest, end: f"{first} {' '.join(rest)}{end}",
    st.sampled_from(["He", "You", "I", "The", "Derek", "Stiles", "Mr.", "Okay,", "And", "but"]),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=30)
    | st.lists(st.sampled_from(PLAIN_WORDS), min_size=6, max_size=30),
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
    alphabet=st.sampled_from(list("aAbB zZ.,?!'\"“”’—-…\n()éÉßﬁ\u0301")), min_size=1, max_size=400
)
any_paragraph = st.one_of(prose, paragraph_text, raw_text)


def sentences_of(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


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
        ("It ended.\u2003\u00a0“Then?”", ["It ended.", "“Then?”"]),  # any Unicode space
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


@settings(max_examples=300, deadline=None)
@given(any_paragraph)
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
        "He said it and then he left the room without a word (at last!?)’",
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
        "He waited and waited and waited for the rest of the night..”",
        "He waited and waited and waited for the rest of the night, and",
        "\"So you don't want. Do you not want—”, he coughs, clearing his throat.",
        '“—told him everything yet?" The sheriff is saying, out in the hall.',
        "He's finally found— the thing he was looking for all along and more",
        "He said it (quietly and then he left the room without a word.",
        "He said it ‘quietly and then he left the room without a word.",
        " Leading space before a sentence that is otherwise perfectly fine.",
        "A trailing space after a sentence that is otherwise perfectly fine. ",
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


@settings(max_examples=300, deadline=None)
@given(any_paragraph, st.booleans())
def test_a_standalone_line_keeps_the_rules(text: str, inside_speech: bool) -> None:
    line = text.strip()
    if not is_standalone(line, inside_speech=inside_speech):
        return
    assert MIN_LENGTH <= len(line) <= MAX_LENGTH
    assert line.lstrip('"“')[0].isupper()
    assert line.rstrip("\"'”’»)]")[-1] in ".!?"
    marks = sum(1 for char in line if char in QUOTE_MARKS)
    assert marks % 2 == 0
    assert not (inside_speech and marks)
    assert line.count("(") == line.count(")")
