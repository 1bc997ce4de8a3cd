"""Markdown stories: front matter, chapters at `#`/`##`, emphasis as spans, scene breaks."""

from __future__ import annotations

import pytest

from bot.library.errors import UnusableText
from bot.library.formats import parse_markdown
from bot.library.formats.markdown import parse_inline, read_front_matter
from bot.library.model import Paragraph, Span, StoryMetadata
from tests.library.formats.helpers import assert_document_ok, fixture_bytes, texts


def fixture_text(name: str) -> str:
    return fixture_bytes(name).decode("utf-8")


def test_front_matter_fixture_metadata() -> None:
    document = parse_markdown(fixture_text("story_front_matter.md"))
    assert document.format == "markdown"
    assert document.metadata == StoryMetadata(
        title="Ashes & Anchors",
        author="Mira Sol",
        rating="Mature",
        warnings=("Graphic Depictions Of Violence", "Major Character Death"),
        fandoms=("Original Work",),
        relationships=(),
        characters=("Ines", "Capt. Rowe"),
        tags=("Ships", "Storms"),
        language="English",
        summary="A ship's cook and her captain outrun a storm.",
        notes="First posted in a zine.\nLightly revised.",
        source_url="https://example.org/ashes-and-anchors",
        stats=(("Published", "2022-10-01"), ("Words", "420")),
    )


def test_front_matter_fixture_text() -> None:
    document = parse_markdown(fixture_text("story_front_matter.md"))
    assert_document_ok(document)
    one, two = document.chapters
    assert (one.title, two.title) == ("Chapter 1: Galley", "Chapter 2: Deck")
    first = one.scenes[0][0]
    assert first.text.startswith("Ines salted the fish and did not look at the sky. The sky,")
    assert "*" not in first.text
    italic = first.text.index("did not")
    bold = first.text.index("old copper")
    assert first.spans == (Span(italic, italic + 7, "italic"), Span(bold, bold + 10, "bold"))
    # Two trailing spaces are a hard line break.
    assert one.scenes[0][1].text == "“Storm,” said the boy who scrubbed pots.\n“Storm,” she agreed."
    # Two blank lines end a scene; so do `* * *` and `---` (a break opening a chapter is none).
    assert [len(scene) for scene in one.scenes] == [2, 1]
    assert [len(scene) for scene in two.scenes] == [1, 3]
    assert "snake_case_names were still not emphasis, and 2 * 3 * 4 was still 24." in (
        two.scenes[1][0].text
    )
    assert two.scenes[1][1] == Paragraph("The Log", (Span(0, 7, "bold"),))


def test_a_single_top_heading_is_the_title() -> None:
    document = parse_markdown(fixture_text("story_plain.md"))
    assert_document_ok(document)
    assert document.metadata.title == "The Glass Orchard"
    (chapter,) = document.chapters
    assert chapter.title is None
    assert [len(scene) for scene in chapter.scenes] == [2, 1, 1]
    assert chapter.scenes[0][1].text == "The wind\nmade it ring\nat night."  # short lines kept
    first = chapter.scenes[0][0]
    assert first.text.startswith(
        "The orchard was made of glass, and nobody could remember who had planted"
    )
    assert first.spans == (Span(35, 41, "italic"),)


def test_title_heading_over_chapters() -> None:
    text = "# The Book\n\n## One\n\nFirst.\n\n## Two\n\nSecond.\n"
    document = parse_markdown(text)
    assert document.metadata.title == "The Book"
    assert [chapter.title for chapter in document.chapters] == ["One", "Two"]


def test_several_top_headings_are_chapters_and_text_before_them_is_kept() -> None:
    text = "Before any heading.\n\n# One\n\nFirst.\n\n# Two\n\nSecond.\n"
    document = parse_markdown(text, fallback_title="From The File Name")
    assert document.metadata.title == "From The File Name"
    assert [chapter.title for chapter in document.chapters] == [None, "One", "Two"]
    assert texts(document) == ["Before any heading.", "First.", "Second."]


def test_front_matter_title_wins_and_top_heading_is_a_chapter() -> None:
    text = "---\ntitle: Real Title\n---\n# Chapter One\n\nText.\n"
    document = parse_markdown(text)
    assert document.metadata.title == "Real Title"
    assert [chapter.title for chapter in document.chapters] == ["Chapter One"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("*a*", ("a", (Span(0, 1, "italic"),))),
        ("_a_", ("a", (Span(0, 1, "italic"),))),
        ("**b**", ("b", (Span(0, 1, "bold"),))),
        ("__b__", ("b", (Span(0, 1, "bold"),))),
        ("***bi***", ("bi", (Span(0, 2, "bold"), Span(0, 2, "italic")))),
        ("*a **b** c*", ("a b c", (Span(0, 5, "italic"), Span(2, 3, "bold")))),
        ("snake_case_name", ("snake_case_name", ())),
        ("2 * 3 * 4", ("2 * 3 * 4", ())),
        ("**unclosed", ("**unclosed", ())),
        ("\\*not\\* emphasis", ("*not* emphasis", ())),
        ("* spaced *", ("* spaced *", ())),
        ("mid*word*emphasis", ("midwordemphasis", (Span(3, 7, "italic"),))),
        ("“*quoted*”", ("“quoted”", (Span(1, 7, "italic"),))),
        ("", ("", ())),
    ],
)
def test_inline_emphasis(text: str, expected: tuple[str, tuple[Span, ...]]) -> None:
    assert parse_inline(text) == expected


def test_links_keep_their_text_and_images_go() -> None:
    document = parse_markdown("See [the map](https://example.org/map). ![a gull](gull.png)\n")
    assert texts(document) == ["See the map."]


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("title: Plain", {"title": "Plain"}),
        ("title: 'It''s'", {"title": "It's"}),
        ('title: "Say \\"hi\\""', {"title": 'Say "hi"'}),
        ("title: Hash # comment", {"title": "Hash"}),
        ("tags: [a, 'b, c', \"d\"]", {"tags": ["a", "b, c", "d"]}),
        ("tags:\n  - a\n  - b", {"tags": ["a", "b"]}),
        ("tags:\n- a\n- b", {"tags": ["a", "b"]}),
        ("summary: |\n  line one\n  line two", {"summary": "line one\nline two"}),
        (
            "summary: >\n  folded\n  lines\n\n  new paragraph",
            {"summary": "folded lines\n\nnew paragraph"},
        ),
        ("Author Name: X", {"author_name": "X"}),
    ],
)
def test_front_matter_values(front: str, expected: dict[str, object]) -> None:
    fields, start = read_front_matter(f"---\n{front}\n---\nbody".split("\n"))
    assert fields == expected
    assert start == front.count("\n") + 3


@pytest.mark.parametrize(
    "text",
    ["---\nNo keys here, only text.\n---\nMore.", "---\ntitle: never closed\n\nText."],
    ids=["no-keys", "unclosed"],
)
def test_not_front_matter(text: str) -> None:
    fields, start = read_front_matter(text.split("\n"))
    assert (fields, start) == ({}, 0)
    assert parse_markdown(text).metadata.title == "Untitled"


def test_leading_rule_without_keys_is_a_scene_break() -> None:
    text = "---\nNo keys here, only text.\n---\nMore."
    assert [len(scene) for scene in parse_markdown(text).chapters[0].scenes] == [1, 1]


def test_crlf_and_bom() -> None:
    text = "\ufeff---\r\ntitle: Windows\r\n---\r\nOne line  \r\nnext line\r\n"
    document = parse_markdown(text)
    assert document.metadata.title == "Windows"
    assert texts(document) == ["One line\nnext line"]


@pytest.mark.parametrize(
    "text", ["", "\n\n", "---\ntitle: Only\n---\n", "# Heading only\n", "***\n"]
)
def test_no_text_is_unusable(text: str) -> None:
    with pytest.raises(UnusableText):
        parse_markdown(text)
