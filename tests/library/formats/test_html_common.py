"""HTML laid out as a browser would: whitespace, line breaks, emphasis, blocks and breaks."""

from __future__ import annotations

import pytest

from bot.library.formats.html_common import (
    BREAK,
    Block,
    ChapterMark,
    html_blocks,
    html_to_text,
    parse_html,
    scenes_from_blocks,
    split_chapters,
)
from bot.library.model import Paragraph, Span


def blocks(markup: str) -> list[Block]:
    return html_blocks(parse_html(markup))


def texts(markup: str) -> list[str | None]:
    """Paragraph texts, None for a scene break."""
    return [block.text if isinstance(block, Paragraph) else None for block in blocks(markup)]


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>one   two\n\tthree</p>", ["one two three"]),
        ("<p>  leading and trailing  </p>", ["leading and trailing"]),
        ("<p>a<em> b </em>c</p>", ["a b c"]),
        ("<p>non\u00a0breaking&nbsp;space</p>", ["non\u00a0breaking\u00a0space"]),
        ("<p>&amp; &lt;tag&gt; &#8217; &#x2014; &quot;q&quot;</p>", ['& <tag> ’ — "q"']),
        ("<p>line one<br/>line two<br>line three</p>", ["line one\nline two\nline three"]),
        ("<p>before <br /> after</p>", ["before\nafter"]),
        ("<p><br/>inside<br/></p>", ["inside"]),
        ("<p>one<br/><br/>two</p>", ["one", "two"]),
        ("<p>one<br/><br/><br/>two</p>", ["one", None, "two"]),
        ("<p>first<p>second", ["first", "second"]),
        ("<p>text<div>block</div>tail</p>", ["text", "block", "tail"]),
        ("bare text<br/>more", ["bare text\nmore"]),
        ("<ul><li>one<li>two</ul>", ["one", "two"]),
        ("<blockquote><p>quoted</p></blockquote>", ["quoted"]),
        ("<h2>A heading</h2><p>text</p>", ["A heading", "text"]),
        ("<pre>  keep   spaces\n  and lines</pre>", ["keep   spaces\n  and lines"]),
        ("<p>a</p><script>var x = '<p>no</p>';</script><style>p{}</style><p>b</p>", ["a", "b"]),
        ('<h3 class="landmark heading">Work Text:</h3><p>story</p>', ["story"]),
        ('<h2 class="toc-heading">Hidden</h2><p>story</p>', ["story"]),
        (
            "<p>un<strike>struck</strike> <u>under</u> <span>span</span></p>",
            ["unstruck under span"],
        ),
    ],
)
def test_layout(markup: str, expected: list[str | None]) -> None:
    assert texts(markup) == expected


@pytest.mark.parametrize(
    "markup",
    ["<p>\u00a0</p>", "<p>&nbsp;</p>", "<p>xxx</p>", "<p>* * *</p>", "<hr/>", "<p> ~~~ </p>"],
)
def test_scene_break_paragraphs(markup: str) -> None:
    assert blocks(f"<p>a</p>{markup}<p>b</p>") == [Paragraph("a"), BREAK, Paragraph("b")]


@pytest.mark.parametrize("markup", ["<p></p>", "<p> </p>", "<p><br/></p>", "<div>\n</div>"])
def test_empty_paragraphs_vanish(markup: str) -> None:
    assert blocks(f"<p>a</p>{markup}<p>b</p>") == [Paragraph("a"), Paragraph("b")]


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>a <em>b</em> c</p>", Paragraph("a b c", (Span(2, 3, "italic"),))),
        ("<p><i>all</i></p>", Paragraph("all", (Span(0, 3, "italic"),))),
        (
            "<p><strong>B</strong> and <b>b</b></p>",
            Paragraph("B and b", (Span(0, 1, "bold"), Span(6, 7, "bold"))),
        ),
        ("<p>x<em> padded </em>y</p>", Paragraph("x padded y", (Span(2, 8, "italic"),))),
        ("<p><em>a</em><em>b</em></p>", Paragraph("ab", (Span(0, 2, "italic"),))),
        (
            "<p><em>outer <strong>both</strong></em></p>",
            Paragraph("outer both", (Span(0, 10, "italic"), Span(6, 10, "bold"))),
        ),
        ("<p><em> </em>x</p>", Paragraph("x")),
    ],
)
def test_emphasis_spans(markup: str, expected: Paragraph) -> None:
    assert blocks(markup) == [expected]


def test_emphasis_across_blocks_is_split_per_paragraph() -> None:
    assert blocks("<em><p>one</p><p>two</p></em>") == [
        Paragraph("one", (Span(0, 3, "italic"),)),
        Paragraph("two", (Span(0, 3, "italic"),)),
    ]


def test_spans_follow_a_split_at_a_blank_line() -> None:
    assert blocks("<p><em>one<br/><br/>two</em> three</p>") == [
        Paragraph("one", (Span(0, 3, "italic"),)),
        Paragraph("two three", (Span(0, 3, "italic"),)),
    ]


def test_scenes_from_blocks_never_makes_empty_scenes() -> None:
    a, b = Paragraph("a"), Paragraph("b")
    assert scenes_from_blocks([BREAK, a, BREAK, BREAK, b, BREAK]) == ((a,), (b,))
    assert scenes_from_blocks([BREAK]) == ()


def test_chapter_marks_split_blocks() -> None:
    root = parse_html("<p>intro</p><h2>One</h2><p>a</p><h2>Two</h2><p>b</p>")
    headings = root.find_all("h2")
    found = html_blocks(root, headings=headings)
    assert found == [
        Paragraph("intro"),
        ChapterMark("One"),
        Paragraph("a"),
        ChapterMark("Two"),
        Paragraph("b"),
    ]
    assert split_chapters(found) == [
        (None, [Paragraph("intro")]),
        ("One", [Paragraph("a")]),
        ("Two", [Paragraph("b")]),
    ]


def test_tree_queries() -> None:
    root = parse_html('<div id="x" class="a b"><p class="c">one</p><p>two</p></div>')
    div = root.find(id="x")
    assert div is not None
    assert div.classes == {"a", "b"}
    first = root.find("p", cls="c")
    assert first is not None
    assert first.next_element() is root.find_all("p")[1]
    assert root.find_all("p")[1].previous_element() is first
    assert [a.tag for a in first.ancestors()] == ["div", "#document"]


def test_deep_nesting_does_not_recurse_forever() -> None:
    markup = "<div>" * 20_000 + "<p>deep</p>" + "</div>" * 20_000
    assert texts(markup) == ["deep"]


def test_stray_end_tags_and_unclosed_tags() -> None:
    assert texts("</p></div><p>a<em>b</p><p>c</br>d") == ["ab", "c\nd"]


def test_html_to_text_of_a_fragment() -> None:
    assert html_to_text("<p>One <em>two</em>.</p><p>Three.</p>") == "One two.\n\nThree."
