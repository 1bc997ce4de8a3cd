"""Markdown stories: front matter, chapters at `#`/`##`, emphasis as spans, scene breaks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.library.errors import UnusableText
from bot.library.formats import parse_markdown
from bot.library.formats.markdown import parse_inline, read_front_matter
from bot.library.model import ChapterSource, Paragraph, Span, StoryMetadata
from tests.corpus import corpus_dir
from tests.library.formats.helpers import assert_document_ok, fixture_bytes, paragraphs, texts


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


# --- what markdown-it-py changed (issue 10, item 5) ------------------------------------------


def outline(text: str) -> list[str]:
    """The story as a reader meets it: `# title` per chapter, `* * *` between scenes."""
    lines: list[str] = []
    for chapter in parse_markdown(text).chapters:
        if chapter.title is not None:
            lines.append(f"# {chapter.title}")
        for index, scene in enumerate(chapter.scenes):
            if index:
                lines.append("* * *")
            lines += [paragraph.text for paragraph in scene]
    return lines


def only_paragraph(text: str) -> Paragraph:
    (paragraph,) = paragraphs(parse_markdown(text))
    return paragraph


def test_setext_headings_start_chapters() -> None:
    text = "Before.\n\nChapter One\n===========\n\nFirst.\n\nChapter Two\n===\n\nSecond.\n"
    assert outline(text) == ["Before.", "# Chapter One", "First.", "# Chapter Two", "Second."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Drawn under the whole line, and longer than a scene break's three dashes: a chapter.
        ("Chapter Two\n-----------\n\nText.", ["# Chapter Two", "Text."]),
        ("Chapter Two\n------------------\n\nText.", ["# Chapter Two", "Text."]),
        # Three dashes, or fewer than the line is long: the end of a scene.
        ("She shut the door.\n---\nDawn.", ["She shut the door.", "* * *", "Dawn."]),
        ("Chapter Two\n------\n\nText.", ["Chapter Two", "* * *", "Text."]),
        ("Go.\n---\nStay.", ["Go.", "* * *", "Stay."]),
        # Several lines over an underline are a paragraph, whatever the underline.
        ("One line\nand another\n===\n\nText.", ["One line\nand another", "* * *", "Text."]),
        ("Two lines\nto dash\n-----------\n\nText.", ["Two lines\nto dash", "* * *", "Text."]),
    ],
    ids=["dashes-as-long", "dashes-longer", "three-dashes", "short-dashes", "short-line",
         "two-lines-equals", "two-lines-dashes"],
)  # fmt: skip
def test_what_a_setext_underline_means(text: str, expected: list[str]) -> None:
    assert outline(f"Intro.\n\n{text}\n") == ["Intro.", *expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wait &mdash; what?", "Wait — what?"),
        ("Salt &amp; pepper", "Salt & pepper"),
        ("&ldquo;Hi,&rdquo; she said.", "“Hi,” she said."),
        ("&#35;1 and &#x2014;", "#1 and —"),
        ("&nosuchentity; stays", "&nosuchentity; stays"),
        ("`&mdash;` in code", "&mdash; in code"),
    ],
)
def test_entities_are_decoded(text: str, expected: str) -> None:
    assert only_paragraph(text).text == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("`x*y*z`", "x*y*z"),
        ("Run `snake_case_name` now.", "Run snake_case_name now."),
        ("``a ` b``", "a ` b"),
        ("`**not bold**`", "**not bold**"),
        ("` padded `", "padded"),  # CommonMark drops one space at each end
    ],
)
def test_code_spans_keep_their_characters(text: str, expected: str) -> None:
    assert only_paragraph(text) == Paragraph(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "*foo**bar**baz*",
            Paragraph("foobarbaz", (Span(0, 9, "italic"), Span(3, 6, "bold"))),
        ),
        ("**foo*bar*baz**", Paragraph("foobarbaz", (Span(0, 9, "bold"), Span(3, 6, "italic")))),
        ("*foo *bar**", Paragraph("foo bar", (Span(0, 7, "italic"),))),
        ("foo*bar*", Paragraph("foobar", (Span(3, 6, "italic"),))),
        ("foo_bar_", Paragraph("foo_bar_")),
        ("_(bar)_.", Paragraph("(bar).", (Span(0, 5, "italic"),))),
        ("***both***", Paragraph("both", (Span(0, 4, "bold"), Span(0, 4, "italic")))),
    ],
)
def test_emphasis_follows_commonmark(text: str, expected: Paragraph) -> None:
    assert only_paragraph(text) == expected


@pytest.mark.parametrize(
    "marker",
    ["* * *", "***", "---", "___", "~~~", "~~~~~", "###", "# # #", "===", "o0o", "oOo", "xxx",
     "•••", "<hr>", "<hr />", "&nbsp;", "\u00a0", "      * * *", "\t~~~"],
)  # fmt: skip
def test_scene_break_lines(marker: str) -> None:
    assert outline(f"One.\n\n{marker}\n\nTwo.\n") == ["One.", "* * *", "Two."]


@pytest.mark.parametrize("marker", ["* * *", "***", "~~~", "###", "o0o", "xxx", "•••", "<hr>"])
def test_scene_break_lines_end_the_paragraph_above_them(marker: str) -> None:
    assert outline(f"One.\n{marker}\nTwo.\n") == ["One.", "* * *", "Two."]


def test_tildes_with_an_info_string_still_open_a_code_fence() -> None:
    text = "One.\n\n~~~ text\nkept *as is*\n~~~\n\nTwo.\n"
    assert outline(text) == ["One.", "kept *as is*", "Two."]


@pytest.mark.parametrize(
    ("gap", "expected"),
    [
        ("\n", ["One.", "Two."]),
        ("\n\n", ["One.", "* * *", "Two."]),
        ("\n\n\n\n", ["One.", "* * *", "Two."]),
        ("\n  \n\t\n", ["One.", "* * *", "Two."]),  # blank lines of spaces and tabs count
    ],
    ids=["one", "two", "four", "whitespace"],
)
def test_two_blank_lines_end_a_scene(gap: str, expected: list[str]) -> None:
    assert outline(f"One.\n{gap}Two.\n") == expected


@pytest.mark.parametrize(
    "block", ["- an item", "> a quote", "    code", "```\ncode\n```", "<div>html</div>"]
)
def test_two_blank_lines_end_a_scene_before_any_block(block: str) -> None:
    assert outline(f"One.\n\n\n{block}\n")[:2] == ["One.", "* * *"]


def test_tight_list_is_one_paragraph_with_its_markers() -> None:
    text = "Things to pack:\n\n- rope\n- a *lamp*\n  1. small\n  2. big\n- bread\n\nDone.\n"
    document = parse_markdown(text)
    assert texts(document) == [
        "Things to pack:",
        "- rope\n- a lamp\n  1. small\n  2. big\n- bread",
        "Done.",
    ]
    lamp = texts(document)[1].index("lamp")
    assert paragraphs(document)[1].spans == (Span(lamp, lamp + 4, "italic"),)


def test_loose_list_items_are_paragraphs_with_their_markers() -> None:
    text = "Steps:\n\n3) First.\n\n4) Second,\n   in two lines.\n\n   Still the second.\n"
    assert outline(text) == [
        "Steps:",
        "3) First.",
        "4) Second,\nin two lines.",
        "Still the second.",
    ]


@pytest.mark.parametrize("bullet", ["-", "*", "+"])
def test_list_markers_are_kept_as_written(bullet: str) -> None:
    assert outline(f"{bullet} one\n{bullet} two\n") == [f"{bullet} one\n{bullet} two"]


def test_two_lists_in_a_row_are_two_paragraphs() -> None:
    assert outline("- a\n- b\n\n1. c\n2. d\n") == ["- a\n- b", "1. c\n2. d"]


def test_code_blocks_keep_their_lines() -> None:
    fenced = "```python\nif a*b*c:\n    go_on()\n\n\nend\n```"
    text = f"Text.\n\n{fenced}\n\n    indented *code*\n      kept\n"
    assert outline(text) == ["Text.", "if a*b*c:\n    go_on()", "end", "indented *code*\n  kept"]


def test_indented_text_keeps_its_lines_and_scenes() -> None:
    text = "Text.\n\n      Dear sir,\n        yours.\n\n\n     * A footnote.\n\nMore.\n"
    assert outline(text) == ["Text.", "Dear sir,\n  yours.", "* * *", "* A footnote.", "More."]


def test_a_fence_keeps_its_blank_lines_as_code() -> None:
    text = "Text.\n\n```\n    one\n\n\n    two\n```\n"
    assert outline(text) == ["Text.", "one", "two"]


def test_an_unclosed_code_fence_is_a_problem() -> None:
    document = parse_markdown("Text.\n\n```\nthe rest\n\nof the story\n")
    assert texts(document) == ["Text.", "the rest", "of the story"]
    assert document.problems == (
        "the code fence ``` on line 3 is never closed, so the text after it is shown as code",
    )


def test_html_blocks_keep_their_text() -> None:
    text = (
        "<div class='letter'>\n<p>Dear <em>you</em>,</p><p>come home.</p>\n</div>\n\n"
        "<!-- a note to myself -->\n\n<hr>\n\nAfter.\n"
    )
    document = parse_markdown(text)
    assert outline(text) == ["Dear you,", "come home.", "* * *", "After."]
    assert paragraphs(document)[0].spans == (Span(5, 8, "italic"),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She <i>ran</i>.", Paragraph("She ran.", (Span(4, 7, "italic"),))),
        ("A <b>bold</b> move", Paragraph("A bold move", (Span(2, 6, "bold"),))),
        ('A <span class="x">plain</span> word', Paragraph("A plain word")),
        ("One<br>two<br/>three", Paragraph("One\ntwo\nthree")),
        ("Stray </em> closer", Paragraph("Stray  closer")),
        ("<u>Underlined</u> <!-- gone -->end", Paragraph("Underlined end")),
    ],
)
def test_inline_html_keeps_its_text(text: str, expected: Paragraph) -> None:
    assert only_paragraph(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("See <https://example.org>.", "See https://example.org."),
        ("A [ref link][map] here.\n\n[map]: https://example.org", "A ref link here."),
        ("An [undefined][ref] link.", "An [undefined][ref] link."),
        ("![only an image](x.png) and text", "and text"),
    ],
)
def test_links_and_images(text: str, expected: str) -> None:
    assert only_paragraph(text).text == expected


def test_hard_line_breaks_in_prose() -> None:
    long = "a line of prose long enough to be wrapped at the width of this little paragraph"
    text = f"{long}\n{long}\\\n{long}  \n{long}\n"
    assert only_paragraph(text).text == f"{long} {long}\n{long}\n{long}"


def test_wrapped_lines_join_like_plain_text() -> None:
    long = "a line of prose long enough to be wrapped at the width of this little paragraph"
    text = f"{long} well-\nknown, {long}\n{long} and\n{long}\n"
    assert only_paragraph(text).text == f"{long} well-known, {long} {long} and {long}"


def test_blockquotes_keep_their_text() -> None:
    assert outline("> Dear keeper,\n> the light is late.\n>\n> M.\n\nHe read it.\n") == [
        "Dear keeper,\nthe light is late.",
        "M.",
        "He read it.",
    ]


def test_a_top_heading_over_chapters_names_a_part() -> None:
    text = "# Part One\n\n## Storm\n\nA.\n\n## Calm\n\nB.\n\n# Part Two\n\n## Land\n\nC.\n"
    assert outline(text) == [
        "# Part One · Storm",
        "A.",
        "# Part One · Calm",
        "B.",
        "# Part Two · Land",
        "C.",
    ]


def test_a_top_heading_with_text_of_its_own_is_a_chapter() -> None:
    text = "# One\n\nA.\n\n## Scene\n\nB.\n\n# Two\n\nC.\n"
    assert outline(text) == ["# One", "A.", "# Scene", "B.", "# Two", "C."]


def test_an_empty_chapter_is_a_problem() -> None:
    document = parse_markdown("## One\n\nA.\n\n## Two\n\n## Three\n\nC.\n")
    assert [chapter.title for chapter in document.chapters] == ["One", "Three"]
    assert document.problems == ("chapter 'Two' has no text; skipped",)


def test_a_first_heading_repeating_the_front_matter_title_is_the_title() -> None:
    text = "---\ntitle: The Book\n---\n# The Book\n\nIntro.\n\n# One\n\nFirst.\n"
    document = parse_markdown(text)
    assert document.metadata.title == "The Book"
    assert [chapter.title for chapter in document.chapters] == [None, "One"]


def test_setext_fixture() -> None:
    document = parse_markdown(fixture_text("story_setext.md"))
    assert_document_ok(document)
    assert document.metadata.title == "The Lighthouse Ledger"
    assert document.problems == ()
    one, two = document.chapters
    assert (one.title, two.title) == ("The First Night", "The Second Night")
    assert [len(scene) for scene in one.scenes] == [1, 3, 1]
    assert [len(scene) for scene in two.scenes] == [3, 1]
    first = one.scenes[0][0].text
    assert "in the ledger — the ninth of March — and under it" in first
    assert "wind: NE*3*." in first
    assert one.scenes[1][1].text.split("\n") == [
        "- a brass key, green at the teeth",
        "- three matches",
        "- a note that said do not trust the stairs",
    ]
    assert (
        two.scenes[0][0].text == two.scenes[0][2].text == "Dear keeper,\nthe light is late again."
    )
    assert two.scenes[1][0].text.endswith("flat & grey as slate.")


def test_front_matter_lines_not_read_are_problems() -> None:
    document = parse_markdown("---\ntitle: T\nthis line has no key\n# a comment\n---\nText.\n")
    assert document.metadata.title == "T"
    assert document.problems == ("front matter line not read: 'this line has no key'",)


def test_front_matter_may_end_with_dots() -> None:
    document = parse_markdown("---\ntitle: Dotted\n...\nText.\n")
    assert (document.metadata.title, texts(document)) == ("Dotted", ["Text."])


def test_a_rule_far_below_the_top_closes_no_front_matter() -> None:
    filler = "\n\n".join(f"Paragraph {n}: once more." for n in range(200))
    document = parse_markdown(f"---\n{filler}\n\n---\n\nLast.\n")
    assert document.metadata.title == "Untitled"
    assert texts(document)[0] == "Paragraph 0: once more."
    assert texts(document)[-1] == "Last."


@pytest.mark.parametrize(
    ("value", "expected"),
    [("title: '*Em* &amp; `code`'", "Em & code"), ("title: Plain", "Plain")],
)
def test_front_matter_text_is_inline_markdown(value: str, expected: str) -> None:
    assert parse_markdown(f"---\n{value}\n---\nText.\n").metadata.title == expected


# --- properties -------------------------------------------------------------------------------

WORDS = st.text(alphabet="abcdefghij", min_size=1, max_size=8)
PROSE = st.lists(WORDS, min_size=1, max_size=12).map(" ".join)
STORY = st.lists(
    st.tuples(PROSE, st.sampled_from(["\n\n", "\n\n\n", "\n\n* * *\n\n", "\n\n~~~\n\n"])),
    min_size=1,
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(STORY)
def test_paragraphs_and_scenes_come_out_as_written(story: list[tuple[str, str]]) -> None:
    text = "".join(paragraph + gap for paragraph, gap in story)
    document = parse_markdown(text)
    assert_document_ok(document)
    scenes: list[list[str]] = [[]]
    for paragraph, gap in story:
        scenes[-1].append(paragraph)
        if gap != "\n\n":
            scenes.append([])
    (chapter,) = document.chapters
    assert [[p.text for p in scene] for scene in chapter.scenes] == [s for s in scenes if s]


EMPHASIS = st.lists(
    st.sampled_from(["*", "**", "_", "__", "a", "b", " ", ".", "\\", "`", "&amp;", "“"]),
    max_size=16,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(EMPHASIS)
def test_a_paragraph_has_the_text_and_spans_of_its_inline_markdown(text: str) -> None:
    """A line of prose reads in a story as `parse_inline` reads it (the `x` keeps the line
    from reading as a block of its own: a list item, a heading, code, a scene break)."""
    line = f"x{text}"
    plain, spans = parse_inline(line)
    shown = plain.rstrip()  # spans end with the text (a code span may end in spaces)
    clipped = [Span(s.start, min(s.end, len(shown)), s.style) for s in spans]
    expected = Paragraph(shown, tuple(s for s in clipped if s.end > s.start))
    assert paragraphs(parse_markdown(f"Intro.\n\n{line}\n"))[1:] == [expected]


# --- real texts ---------------------------------------------------------------------------------

GUTENBERG_TEXTS = sorted((corpus_dir() / "gutenberg").glob("*.txt"))
CHAPTER_LINE = re.compile(r"(?<=\n\n)(CHAPTER [IVXLC]+\b[^\n]*)\n(?=\n)")


@pytest.mark.corpus
@pytest.mark.skipif(not GUTENBERG_TEXTS, reason="the shared corpus is absent")
@pytest.mark.parametrize("path", GUTENBERG_TEXTS, ids=[path.stem for path in GUTENBERG_TEXTS])
def test_a_gutenberg_book_as_markdown_loses_no_letter(path: Path) -> None:
    """The book's text, its `CHAPTER` lines made `##` headings: every letter and digit comes
    back, in order, in the chapter titles and paragraphs."""
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    body = text[text.index("\n", text.index("*** START OF")) : text.index("*** END OF")]
    markdown, headings = CHAPTER_LINE.subn(r"## \1\n", body)
    document = parse_markdown(markdown)
    assert_document_ok(document)
    assert document.problems == ()
    assert len([chapter for chapter in document.chapters if chapter.title]) == headings
    shown = "".join(
        (chapter.title or "") + "".join(paragraph.text for paragraph in paragraphs_of(chapter))
        for chapter in document.chapters
    )
    assert [c for c in shown if c.isalnum()] == [c for c in markdown if c.isalnum()]


def paragraphs_of(chapter: ChapterSource) -> list[Paragraph]:
    return [paragraph for scene in chapter.scenes for paragraph in scene]
