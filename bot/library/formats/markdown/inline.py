"""Inline Markdown (markdown-it-py's inline tokens) to text and emphasis spans.

Emphasis follows CommonMark (markdown-it-py decides it); code spans keep their characters;
entities and escapes are decoded; links keep their text and images go. Inline HTML tags are
dropped, except `<em>`/`<i>` and `<strong>`/`<b>`, which are emphasis too, and `<br>`,
which breaks the line. A paragraph's lines are joined as prose or kept as verse by
`paragraph_from_inline`, as the plain-text parsers do.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any, Final

from markdown_it import MarkdownIt
from markdown_it.token import Token

from bot.library.formats.gutenberg import Layout, join_wrapped, keeps_line_breaks
from bot.library.formats.html_common import clip_spans
from bot.library.formats.markdown.parser import inline_parser
from bot.library.model import Paragraph, Span, Style

_STYLES: Final[dict[str, Style]] = {
    "em_open": "italic",
    "em_close": "italic",
    "strong_open": "bold",
    "strong_close": "bold",
}
_HTML_STYLES: Final[dict[str, Style]] = {
    "em": "italic",
    "i": "italic",
    "strong": "bold",
    "b": "bold",
}
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
_LINE_ENDING = re.compile(r"[\r\n]")


@dataclass(frozen=True, slots=True)
class InlineMarkdown:
    """Reads inline Markdown, with the link references its document defines (`env`, filled
    by the block parse)."""

    parser: MarkdownIt
    env: MutableMapping[str, Any] = field(default_factory=dict)

    def tokens(self, text: str) -> list[Token]:
        (block,) = self.parser.parseInline(text, self.env)
        return block.children or []


@dataclass(slots=True)
class InlineText:
    """Text and spans of inline tokens; `breaks` are the offsets of its line breaks (`\\n`)."""

    text: str
    spans: list[Span]
    breaks: list[int]
    hard: list[bool]  # for each break: a hard line break (`\\`, two spaces, `<br>`)


@dataclass(slots=True)
class _Reader:
    parts: list[str] = field(default_factory=list)
    length: int = 0
    spans: list[Span] = field(default_factory=list)
    opened: dict[Style, list[int]] = field(default_factory=lambda: {"italic": [], "bold": []})
    breaks: list[int] = field(default_factory=list)
    hard: list[bool] = field(default_factory=list)
    line_has_text: bool = False

    def add(self, text: str) -> None:
        if text:
            self.parts.append(text)
            self.length += len(text)
            self.line_has_text = self.line_has_text or not text.isspace()

    def line_break(self, hard: bool) -> None:
        if not self.line_has_text:  # never a blank line (nor a break at the start)
            return
        self.breaks.append(self.length)
        self.hard.append(hard)
        self.add("\n")
        self.line_has_text = False

    def open(self, style: Style) -> None:
        self.opened[style].append(self.length)

    def close(self, style: Style) -> None:
        if self.opened[style]:  # an HTML closing tag may have no opening one
            start = self.opened[style].pop()
            if self.length > start:
                self.spans.append(Span(start, self.length, style))

    def html(self, tag: str) -> None:
        match = _HTML_TAG.match(tag)
        if match is None:
            return  # a comment, a declaration: not text
        closing, name = match[1], match[2].lower()
        if name == "br":
            self.line_break(hard=True)
        elif name in _HTML_STYLES:
            (self.close if closing else self.open)(_HTML_STYLES[name])


def read_inline(tokens: list[Token]) -> InlineText:
    """The text of inline tokens, with its emphasis spans and line breaks."""
    reader = _Reader()
    for token in tokens:
        kind = token.type
        if kind in {"text", "code_inline"}:
            reader.add(_LINE_ENDING.sub(" ", token.content))  # `&#10;` breaks no line
        elif kind in {"softbreak", "hardbreak"}:
            reader.line_break(hard=kind == "hardbreak")
        elif kind in _STYLES:
            (reader.open if kind.endswith("_open") else reader.close)(_STYLES[kind])
        elif kind == "html_inline":
            reader.html(token.content)
        # Links keep their text (their text tokens come between link_open and link_close);
        # an image, whose alt text is in its own children, goes.
    return InlineText("".join(reader.parts), reader.spans, reader.breaks, reader.hard)


def parse_inline(text: str, markdown: InlineMarkdown | None = None) -> tuple[str, tuple[Span, ...]]:
    """Inline Markdown to its text and spans; line breaks are kept as written."""
    if not text:
        return "", ()
    inline = read_inline((markdown or InlineMarkdown(inline_parser())).tokens(text))
    return inline.text, clip_spans(inline.spans, 0, len(inline.text))


def paragraph_from_inline(block: Token, markdown: InlineMarkdown, layout: Layout) -> Paragraph:
    """A paragraph's `inline` token as a `Paragraph`: verse keeps its lines (and their
    indentation), wrapped prose is joined with spaces, hard line breaks stay."""
    inline = read_inline(markdown.tokens(block.content))
    text, spans = inline.text, inline.spans
    if inline.breaks:
        source_lines = block.content.split("\n")
        if keeps_line_breaks(tuple(source_lines), layout):
            joiners = _verse_joiners(source_lines, len(inline.breaks))
        else:
            joiners = [
                "\n" if hard else _prose_joiner(text[max(0, at - 3) : at], layout)
                for at, hard in zip(inline.breaks, inline.hard, strict=True)
            ]
        text, spans = _rejoin(text, spans, inline.breaks, joiners)
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    return Paragraph(text[start:end], clip_spans(spans, start, end))


def _verse_joiners(source_lines: list[str], breaks: int) -> list[str]:
    """A line break, then the next line's indentation (the paragraph's own is gone)."""
    if len(source_lines) != breaks + 1:  # a line break was dropped, or a tag spans lines
        return ["\n"] * breaks
    return ["\n" + line[: len(line) - len(line.lstrip(" \t"))] for line in source_lines[1:]]


def _prose_joiner(before: str, layout: Layout) -> str:
    """A space, or nothing after a hyphen or closed-up dash: the plain-text parsers' rule."""
    return join_wrapped([before, ""], layout.closed_dashes)[len(before) :]


def _rejoin(
    text: str, spans: list[Span], breaks: list[int], joiners: list[str]
) -> tuple[str, list[Span]]:
    """`text` with the `\\n` at each of `breaks` replaced by its joiner, spans moved along."""
    pieces: list[str] = []
    previous = 0
    for at, joiner in zip(breaks, joiners, strict=True):
        pieces += (text[previous:at], joiner)
        previous = at + 1
    pieces.append(text[previous:])
    shifts = list(accumulate(len(joiner) - 1 for joiner in joiners))

    def moved(offset: int) -> int:
        passed = bisect_left(breaks, offset)
        return offset + (shifts[passed - 1] if passed else 0)

    return "".join(pieces), [Span(moved(s.start), moved(s.end), s.style) for s in spans]
