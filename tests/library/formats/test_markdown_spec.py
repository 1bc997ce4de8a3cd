"""Markdown stories against the CommonMark spec, and emphasis against markdown-it-py itself.

Each spec example is parsed as a story (between an `Intro.` and an `End.` paragraph, so that
a heading is a chapter and not the title) and compared with the HTML the spec expects, read
by an HTML parser written here: `<h1>`/`<h2>` are chapter titles, `<h3>`-`<h6>` bold
paragraphs, `<hr>` a scene break; paragraphs are compared character by character, each
with its emphasis, whitespace aside (our line joining is ours). The examples where our
rules differ from CommonMark's on purpose are listed with what a reader sees instead.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from bot.library.formats import PART_SEPARATOR, parse_markdown
from bot.library.formats.markdown import parse_inline
from bot.library.model import Document, Paragraph, Span
from tests.library.formats.test_markdown_spec_examples import EXAMPLES

# What a reader meets: ("chapter", title), ("break", ""), or ("p", characters), each
# character with the set of its styles.
Styled = tuple[tuple[str, frozenset[str]], ...]
Item = tuple[str, str | Styled]

LIST_MARKERS = "a list item keeps its marker"
BREAK_LINES = "a line of only scene-break marks is a scene break"
MULTI_LINE = "a setext heading of several lines is a paragraph, its underline a scene break"
SHORT_DASHES = "a `---` underline not drawn under the whole line is a scene break"
EMPTY_HEADING = "a heading of no text is a scene break"

# Spec example number: (why we differ, what the story shows between `Intro.` and `End.`).
DIVERGENT: dict[int, tuple[str, list[str]]] = {
    38: (LIST_MARKERS, ["* foo", "* foo"]),
    79: (EMPTY_HEADING, ["* * *"]),
    81: (MULTI_LINE, ["Foo bar\nbaz", "* * *"]),
    82: (MULTI_LINE, ["Foo bar\nbaz", "* * *"]),
    # `---` is a break (ending the chapter, so unseen), `-----` an empty chapter, `===` one.
    84: (SHORT_DASHES, ["Foo", "# Foo"]),
    88: (BREAK_LINES, ["Foo", "* * *", "Foo", "* * *"]),  # `= =` breaks
    91: (SHORT_DASHES, ["# `Foo", "`", '<a title="a lot', "* * *", 'of dashes"/>']),
    93: (BREAK_LINES, ["foo\nbar", "* * *"]),  # `===` ends the quote's paragraph
    94: (LIST_MARKERS, ["- Foo", "* * *"]),
    95: (MULTI_LINE, ["Foo\nBar", "* * *"]),
    96: (SHORT_DASHES, ["* * *", "Foo", "* * *", "Bar", "* * *", "Baz"]),
    97: (BREAK_LINES, ["* * *"]),  # `====` alone
    99: (LIST_MARKERS, ["- foo", "* * *"]),
    103: (SHORT_DASHES, ["Foo", "bar", "* * *", "baz"]),
    367: (BREAK_LINES, ["*foo bar", "* * *"]),  # the lone `*` on the second line
    475: (BREAK_LINES, ["* * *"]),  # `*` once the image goes
    476: (BREAK_LINES, ["* * *"]),  # `**` once the tag goes
}


def wrapped(markdown: str) -> str:
    return f"Intro.\n\n{markdown.rstrip(chr(10))}\n\nEnd.\n"


class SpecHtml(HTMLParser):
    """The spec's HTML as a reader of our stories would meet it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[Item] = []
        self.chars: list[tuple[str, frozenset[str]]] = []
        self.styles: list[str] = []
        self.heading: list[str] | None = None
        self.preformatted = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"h1", "h2"}:
            self.heading = []
        elif tag in {"h3", "h4", "h5", "h6", "strong"}:
            self.styles.append("bold")
        elif tag == "em":
            self.styles.append("italic")
        elif tag == "hr":
            self.flush()
            self.items.append(("break", ""))
        elif tag == "pre":
            self.preformatted = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"h1", "h2"} and self.heading is not None:
            self.items.append(("chapter", " ".join("".join(self.heading).split())))
            self.heading = None
        elif tag in {"h3", "h4", "h5", "h6", "strong", "em"}:
            self.styles.pop()
            if tag.startswith("h"):
                self.flush()
        elif tag in {"p", "pre", "li", "blockquote"}:
            self.preformatted = False
            self.flush()

    def handle_data(self, data: str) -> None:
        if self.heading is not None:
            self.heading.append(data)
            return
        # Our code blocks, like our paragraphs, never hold a blank line.
        blocks = data.split("\n\n") if self.preformatted else [data]
        for index, block in enumerate(blocks):
            if index:
                self.flush()
            self.chars += [(char, frozenset(self.styles)) for char in block]

    def flush(self) -> None:
        if any(not char.isspace() for char, _ in self.chars):
            self.items.append(("p", tuple(self.chars)))
        self.chars = []


def html_items(html: str) -> list[Item]:
    parser = SpecHtml()
    parser.feed(html)
    parser.close()
    parser.flush()
    return reading_order(parser.items)


def styled(paragraph: Paragraph) -> Styled:
    return tuple(
        (char, frozenset(s.style for s in paragraph.spans if s.start <= index < s.end))
        for index, char in enumerate(paragraph.text)
    )


def document_items(document: Document) -> list[Item]:
    items: list[Item] = []
    for chapter in document.chapters:
        if chapter.title is not None:  # a part's title and the chapter's, as two headings
            items += [("chapter", title) for title in chapter.title.split(PART_SEPARATOR)]
        for index, scene in enumerate(chapter.scenes):
            if index:
                items.append(("break", ""))
            items += [("p", styled(paragraph)) for paragraph in scene]
    return reading_order(items)


def reading_order(items: list[Item]) -> list[Item]:
    """What both sides are compared on: no whitespace; no break that separates no two
    paragraphs of one chapter; no heading without text under it (no chapter of ours)."""
    kept: list[Item] = []
    for kind, raw in items:
        value = raw if isinstance(raw, str) else tuple(c for c in raw if not c[0].isspace())
        if kind == "break" and (not kept or kept[-1][0] != "p"):
            continue
        if kind == "chapter" and kept and kept[-1][0] == "break":
            kept.pop()
        kept.append((kind, value))
    while kept and kept[-1][0] == "break":
        kept.pop()
    return [
        item
        for index, item in enumerate(kept)
        if item[0] != "chapter" or (index + 1 < len(kept) and kept[index + 1][0] == "p")
    ]


def outline(document: Document) -> list[str]:
    """The story as text: `# title` per chapter, `* * *` between scenes, then paragraphs."""
    lines: list[str] = []
    for chapter in document.chapters:
        if chapter.title is not None:
            lines.append(f"# {chapter.title}")
        for index, scene in enumerate(chapter.scenes):
            if index:
                lines.append("* * *")
            lines += [paragraph.text for paragraph in scene]
    return lines


@pytest.mark.parametrize(
    ("number", "markdown", "html"),
    [example for example in EXAMPLES if example[0] not in DIVERGENT],
    ids=[f"example-{number}" for number, _, _ in EXAMPLES if number not in DIVERGENT],
)
def test_spec_example(number: int, markdown: str, html: str) -> None:
    document = parse_markdown(wrapped(markdown))
    assert document_items(document) == html_items(f"<p>Intro.</p>\n{html}<p>End.</p>\n")


@pytest.mark.parametrize(
    ("number", "markdown"),
    [(number, markdown) for number, markdown, _ in EXAMPLES if number in DIVERGENT],
    ids=[f"example-{number}" for number, _, _ in EXAMPLES if number in DIVERGENT],
)
def test_spec_examples_where_our_rules_differ(number: int, markdown: str) -> None:
    _, expected = DIVERGENT[number]
    document = parse_markdown(wrapped(markdown))
    assert outline(document) == ["Intro.", *expected, "End."]


def test_the_divergences_are_spec_examples() -> None:
    assert set(DIVERGENT) <= {number for number, _, _ in EXAMPLES}


# --- emphasis against markdown-it-py's own rendering ----------------------------------------

EMPHASIS = st.lists(
    st.sampled_from(
        ["*", "**", "_", "__", "a", "b", "foo", " ", ".", "!", "“", "\\", "`", "&amp;"]
    ),
    max_size=16,
).map("".join)


def rendered(text: str) -> tuple[str, Styled]:
    """markdown-it-py's HTML for inline `text`, read back as text with styles."""
    parser = SpecHtml()
    parser.feed(MarkdownIt("commonmark").renderInline(text))
    parser.close()
    chars = tuple(parser.chars)
    return "".join(char for char, _ in chars), chars


def spans_styled(text: str, spans: tuple[Span, ...]) -> Styled:
    return styled(Paragraph(text, spans))


@settings(max_examples=400, deadline=None)
@given(EMPHASIS)
def test_emphasis_matches_markdown_it(text: str) -> None:
    plain, spans = parse_inline(text)
    expected_text, expected_styles = rendered(text)
    assert plain == expected_text
    assert spans_styled(plain, spans) == expected_styles
