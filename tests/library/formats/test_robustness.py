"""No parser crashes on garbage: each returns a sound `Document` or raises `UnusableText`."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from io import BytesIO

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.library.errors import UnusableText
from bot.library.formats import (
    FORMATS,
    detect_format,
    parse_ao3_html,
    parse_epub,
    parse_gutenberg,
    parse_markdown,
)
from bot.library.model import Document
from tests.library.formats.helpers import assert_document_ok, build_epub, xhtml

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def sound_or_unusable(parse: Callable[[], Document]) -> None:
    """`parse()` gives a sound document, or refuses with `UnusableText` and a reason."""
    try:
        document = parse()
    except UnusableText as error:
        reason = error.reason
    else:
        assert_document_ok(document)
        return
    assert reason


def tokens(*pieces: str) -> st.SearchStrategy[str]:
    """Text made of format-significant pieces and random text, to reach the parsers' depths."""
    return st.lists(st.one_of(st.sampled_from(pieces), st.text(max_size=12)), max_size=80).map(
        "".join
    )


HTML = tokens(
    "<p>", "</p>", "<em>", "</em>", "<strong>", "</b>", "<br/>", "<hr>", "&nbsp;", "\u00a0",
    "<p>xxx</p>", '<div id="chapters">', '<div id="preface">', "</div>", '<div class="userstuff">',
    '<h2 class="heading">', "</h2>", "<blockquote>", "</blockquote>", "<p>Chapter Notes</p>",
    '<div id="endnotes2">', '<dl class="tags">', "<dt>Rating:</dt>", "<dd>", "</dd>", "<h1>",
    "<script>", "<pre>", "<li>", "<table><td>", "&amp;", "&#", "<!--", "-->", "<", ">", " ", "\n",
    '<a href="https://archiveofourown.org/works/1">', "<title>", "word ",
)  # fmt: skip
GUTENBERG = tokens(
    "*** START OF THE PROJECT GUTENBERG EBOOK X ***\n",
    "*** END OF THIS PROJECT GUTENBERG EBOOK ***\n",
    "*** START: FULL LICENSE ***\n", "Title: T\n", "Author: A\n", "CHAPTER I\n", "CHAPTER II. Go\n",
    "BOOK ONE: 1805\n", "EPILOGUE\n", "FIRST EPILOGUE\n", "Contents\n", "THE END\n", "\n", "\n\n\n",
    "*       *       *\n", "    indented verse line\n", "_", "_it_", "--", "—", "-\n", "word ",
    "A long line of prose that goes on and on to the wrap width of the page\n", "SHOUTED TITLE\n",
    "[eBook #12]", "End of Project Gutenberg\n", "\u00a0\n",
)  # fmt: skip
MARKDOWN = tokens(
    "---\n", "title: T\n", "tags: [a, 'b']\n", "summary: |\n", "  - item\n", "...\n", "# ", "## ",
    "### ", "\n", "\n\n\n", "*", "**", "_", "__", "\\", "* * *\n", "***\n", "___\n", "  \n",
    "[link](url)", "![img](src)", "> ", "word ", "\ufeff", "\r\n",
)  # fmt: skip


@FUZZ
@given(st.binary(max_size=2048))
def test_every_parser_survives_random_bytes(data: bytes) -> None:
    assert detect_format("x.bin", data) in FORMATS
    sound_or_unusable(lambda: parse_ao3_html(data))
    sound_or_unusable(lambda: parse_epub(data))
    text = data.decode("utf-8", errors="replace")
    sound_or_unusable(lambda: parse_gutenberg(text))
    sound_or_unusable(lambda: parse_markdown(text))


@FUZZ
@given(st.text(max_size=2048))
def test_text_parsers_survive_random_text(text: str) -> None:
    assert detect_format("x.md", text.encode("utf-8", errors="replace")) in FORMATS
    sound_or_unusable(lambda: parse_gutenberg(text))
    sound_or_unusable(lambda: parse_markdown(text))
    sound_or_unusable(lambda: parse_ao3_html(text.encode("utf-8", errors="replace")))


@FUZZ
@given(HTML)
def test_html_parser_survives_tag_soup(markup: str) -> None:
    sound_or_unusable(lambda: parse_ao3_html(markup.encode("utf-8", errors="replace")))


@FUZZ
@given(GUTENBERG)
def test_gutenberg_parser_survives_scrambled_books(text: str) -> None:
    sound_or_unusable(lambda: parse_gutenberg(text))


@FUZZ
@given(MARKDOWN)
def test_markdown_parser_survives_scrambled_markdown(text: str) -> None:
    sound_or_unusable(lambda: parse_markdown(text))


VALID_EPUB = build_epub(
    [("a.xhtml", xhtml("<p>One.</p>")), ("b.xhtml", xhtml("<h1>Two</h1><p>Two.</p>"))],
    toc=[("One", "a.xhtml")],
)


@FUZZ
@given(st.integers(min_value=0, max_value=len(VALID_EPUB)), st.binary(max_size=64))
def test_epub_parser_survives_truncated_and_damaged_archives(cut: int, noise: bytes) -> None:
    sound_or_unusable(lambda: parse_epub(VALID_EPUB[:cut]))
    damaged = VALID_EPUB[:cut] + noise + VALID_EPUB[cut + len(noise) :]
    sound_or_unusable(lambda: parse_epub(damaged))


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "mimetype",
                "META-INF/container.xml",
                "content.opf",
                "OEBPS/content.opf",
                "a.xhtml",
                "OEBPS/a.xhtml",
                "toc.ncx",
                "nav.xhtml",
            ]
        ),
        st.one_of(st.text(max_size=200), HTML, st.sampled_from([VALID_EPUB[:0].decode()])),
        max_size=6,
    )
)
def test_epub_parser_survives_random_members(members: dict[str, str]) -> None:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    sound_or_unusable(lambda: parse_epub(buffer.getvalue()))
