from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.library.breaks import is_scene_break
from bot.library.errors import UnusableText
from bot.library.plaintext import parse_plaintext, split_scenes, title_from_name
from bot.library.text import decode_text, normalise


def texts_of(body: str) -> list[list[str]]:
    return [[paragraph.text for paragraph in scene] for scene in split_scenes(normalise(body))]


@pytest.mark.parametrize(
    "marker",
    [
        "* * *",
        "***",
        "*       *       *",
        "        *       *       *       *       *",
        "---",
        "- - -",
        "~~~",
        "~ ~ ~",
        "###",
        "===",
        "•••",
        "• • •",
        "o0o",
        "oOo",
        "xxx",
        "XXX",
        "<hr>",
        "<hr />",
        "\u00a0",
    ],
)
def test_scene_break_markers_split_scenes_and_are_never_text(marker: str) -> None:
    body = f"First scene.\n\nStill first.\n\n{marker}\n\nSecond scene."
    assert texts_of(body) == [["First scene.", "Still first."], ["Second scene."]]


@pytest.mark.parametrize(
    "line",
    [
        "He stared at the * * * on the page.",
        "x",
        "xx",
        "Okay.",
        "— Derek",
        "*gasp*",
        "-- and then",
        "o0o is not a word",
        "1999",
    ],
)
def test_marks_inside_text_are_text(line: str) -> None:
    assert not is_scene_break(line)
    assert texts_of(f"Before.\n\n{line}\n\nAfter.") == [["Before.", line, "After."]]


def test_two_blank_lines_split_scenes_one_splits_paragraphs() -> None:
    body = "One.\n\nTwo.\n\n\nThree.\n\n\n\n\nFour.\nStill four."
    assert texts_of(body) == [["One.", "Two."], ["Three."], ["Four.\nStill four."]]


def test_marker_line_inside_a_block_still_breaks() -> None:
    assert texts_of("End of one.\n* * *\nStart of two.") == [["End of one."], ["Start of two."]]


def test_consecutive_breaks_and_breaks_at_the_edges_make_no_empty_scene() -> None:
    body = "* * *\n\nOne.\n\n* * *\n\n\n\n~~~\n\nTwo.\n\n***\n\n"
    assert texts_of(body) == [["One."], ["Two."]]


def test_blank_lines_holding_nbsp_or_spaces_are_blank() -> None:
    body = "One.\n \u00a0\nTwo.\n\n\t\n\nThree."
    assert texts_of(body) == [["One.", "Two."], ["Three."]]


def test_normalisation_keeps_the_writing() -> None:
    raw = "\ufeffHe said “hi” — and\u00a0left…  \r\nNext line.\t\r\n\r\nA typo: teh.\r"
    assert normalise(raw) == "He said “hi” — and\u00a0left…\nNext line.\n\nA typo: teh.\n"


def test_lone_carriage_returns_are_line_ends() -> None:
    assert normalise("One.\r\rTwo.") == "One.\n\nTwo."


def test_ao3_preface_gives_the_title_and_is_never_text() -> None:
    raw = "Work Header\n\nMy Title\n\nWork Text:\n\n\nFirst line.\n\nSecond."
    document = parse_plaintext(raw, "file-name")
    assert document.metadata.title == "My Title"
    assert document.format == "ao3-workpage"
    paragraphs = [p.text for scene in document.chapters[0].scenes for p in scene]
    assert paragraphs == ["First line.", "Second."]


def test_ao3_preface_with_chapter_text_and_labels() -> None:
    raw = "\r\nWork Header\r\n\r\nRating: Teen\r\nThe Title\r\n\r\nChapter Text\r\n\r\nBody."
    document = parse_plaintext(raw, "x")
    assert document.metadata.title == "The Title"
    assert [p.text for p in document.chapters[0].scenes[0]] == ["Body."]


def test_plain_text_is_titled_from_its_file_name() -> None:
    document = parse_plaintext("Just a story.", "the-long_way home")
    assert document.metadata.title == "The Long Way Home"
    assert document.format == "text"
    assert title_from_name("lay-your-heart-bare") == "Lay Your Heart Bare"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "no text"),
        ("\n\n  \n", "no text"),
        ("* * *\n\n~~~", "no text"),
        ("Work Header\n\nTitle\n\nWork Text:\n\n", "no story text after its preface"),
        ("Work Header\n\nTitle only, no Work Text line", "no 'Work Text:' line"),
    ],
)
def test_unusable_plain_texts_say_why(raw: str, reason: str) -> None:
    with pytest.raises(UnusableText, match=reason):
        parse_plaintext(raw, "x")


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        ("Café “quoted”".encode(), "Café “quoted”", "utf-8"),
        ("\ufeffBOM".encode(), "BOM", "utf-8"),
        ("Café “quoted”".encode("cp1252"), "Café “quoted”", "cp1252"),
        (b"caf\xe9 \x81", "caf\xe9 \x81", "latin-1"),
    ],
)
def test_decoding_falls_back_and_says_which_encoding(data: bytes, text: str, encoding: str) -> None:
    assert decode_text(data) == (text, encoding)


@pytest.mark.parametrize(
    "data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(256)) * 4, b"PK\x03\x04\x00\x00"]
)
def test_binary_data_is_refused(data: bytes) -> None:
    with pytest.raises(UnusableText, match="binary"):
        decode_text(data)


def test_crlf_and_cr_texts_split_like_lf() -> None:
    body = "One.\nStill one.\n\nTwo.\n\n\nThree.\n\n* * *\n\nFour."
    expected = texts_of(body)
    assert texts_of(body.replace("\n", "\r\n")) == expected
    assert texts_of(body.replace("\n", "\r")) == expected
    assert expected == [["One.\nStill one.", "Two."], ["Three."], ["Four."]]


_line = (
    st.text(
        alphabet=st.characters(blacklist_categories=["Cs", "Cc", "Zl", "Zp"]),
        min_size=1,
        max_size=60,
    )
    .map(lambda line: line.rstrip(" \t\f\v"))
    .filter(lambda line: line.strip() not in ("", "Work Header") and not is_scene_break(line))
)
_paragraph = st.lists(_line, min_size=1, max_size=4).map("\n".join)
_scenes = st.lists(st.lists(_paragraph, min_size=1, max_size=5), min_size=1, max_size=5)


@settings(max_examples=200, deadline=None)
@given(
    _scenes,
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.sampled_from(["\n\n\n", "\n\n\n\n\n", "\n\n* * *\n\n", "\n\n\u00a0\n\n", "\n~~~\n"]),
    st.booleans(),
    st.sampled_from(["", " ", "\t  "]),
)
def test_generated_texts_parse_back_to_their_scenes(
    scenes: list[list[str]], newline: str, scene_break: str, bom: bool, trailing: str
) -> None:
    raw = scene_break.join("\n\n".join(paragraphs) for paragraphs in scenes)
    raw = raw.replace("\n", trailing + "\n").replace("\n", newline)
    document = parse_plaintext(("\ufeff" if bom else "") + "\n\n" + raw + "\n\n", "x")
    parsed = [[p.text for p in scene] for scene in document.chapters[0].scenes]
    assert parsed == scenes
