"""HTML to story paragraphs, shared by the AO3 HTML and EPUB parsers.

Only the standard library's tolerant `html.parser` is used. It gives a stream of tags, so a
small tree is built from it here (`parse_html`), mending the markup the way a browser
would where it matters for text: `<p>` closed by the next block, void elements, unclosed
tags. The tree is then flattened into paragraphs (`html_blocks`) the way a browser lays it
out: block elements end a paragraph, runs of ASCII whitespace collapse to one space (a
non-breaking space is a character and stays), `<br>` is a line break, `<hr>` a scene break,
and `<em>`/`<i>`/`<strong>`/`<b>` become `Span`s over the text instead of markdown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Final

from bot.library.breaks import is_scene_break
from bot.library.model import Paragraph, Scene, Span, Style

# Elements that never have content, so never go on the stack of open elements.
_VOID: Final = frozenset(
    "area base basefont br col embed hr img input keygen link meta param source track wbr".split()
)
# Elements whose opening closes an open `<p>` (a paragraph cannot hold a block).
_CLOSES_P: Final = frozenset(
    """address article aside blockquote center details dialog dir div dl fieldset figcaption
    figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p pre section
    summary table ul""".split()
)
# Block elements: each starts and ends a paragraph of its own.
_BLOCK: Final = _CLOSES_P | frozenset(
    "body caption dd dt html td th tr tbody thead tfoot legend option".split()
)
# Elements whose content is never shown as text.
_HIDDEN: Final = frozenset(
    "head script style title template noscript svg math iframe object select button".split()
)
# Hidden by AO3's own CSS: screen-reader landmarks and the headings kept for Calibre's TOC.
_HIDDEN_CLASSES: Final = frozenset({"landmark", "toc-heading"})
# Scope boundaries: an open `<p>` outside one of these is not closed by a block inside it.
_SCOPE: Final = frozenset("html table td th caption button object template".split())
_STYLES: Final[dict[str, Style]] = {
    "em": "italic",
    "i": "italic",
    "strong": "bold",
    "b": "bold",
}
# Deeper nesting than this is garbage; the tree stops growing so that walking it (by
# recursion) stays far from Python's recursion limit.
_MAX_DEPTH: Final = 200
_COLLAPSIBLE = re.compile(r"[ \t\n\r\f]+")
_LINE_RUN = re.compile(r"\n{2,}")


@dataclass(eq=False, slots=True)
class Element:
    """One element of the parsed tree; `children` hold elements and text strings."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)
    parent: Element | None = None

    @property
    def id(self) -> str:
        return self.attrs.get("id", "")

    @property
    def classes(self) -> frozenset[str]:
        return frozenset(self.attrs.get("class", "").split())

    def elements(self) -> Iterator[Element]:
        """The child elements (text left out)."""
        return (child for child in self.children if isinstance(child, Element))

    def iter(self) -> Iterator[Element]:
        """This element and all its descendants, in document order."""
        stack: list[Element] = [self]
        while stack:
            element = stack.pop()
            yield element
            stack.extend(reversed(list(element.elements())))

    def find_all(
        self, tag: str | None = None, *, id: str | None = None, cls: str | None = None
    ) -> list[Element]:
        """Descendants (self included) matching every criterion given."""
        return [
            element
            for element in self.iter()
            if (tag is None or element.tag == tag)
            and (id is None or element.id == id)
            and (cls is None or cls in element.classes)
        ]

    def find(
        self, tag: str | None = None, *, id: str | None = None, cls: str | None = None
    ) -> Element | None:
        found = self.find_all(tag, id=id, cls=cls)
        return found[0] if found else None

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def next_element(self) -> Element | None:
        """The next sibling element, text between them skipped."""
        if self.parent is None:
            return None
        siblings = list(self.parent.elements())
        index = next(i for i, sibling in enumerate(siblings) if sibling is self)
        return siblings[index + 1] if index + 1 < len(siblings) else None

    def previous_element(self) -> Element | None:
        if self.parent is None:
            return None
        siblings = list(self.parent.elements())
        index = next(i for i, sibling in enumerate(siblings) if sibling is self)
        return siblings[index - 1] if index > 0 else None


class _TreeBuilder(HTMLParser):
    """Builds an `Element` tree from `html.parser` events, mending markup like a browser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document")
        self.stack: list[Element] = [self.root]

    @property
    def current(self) -> Element:
        return self.stack[-1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _CLOSES_P:
            self._close_open_p()
        if tag == "li":
            self._close_within("li", stop=frozenset({"ul", "ol", "menu", "dir"}))
        elif tag in {"dd", "dt"}:
            self._close_within("dd", "dt", stop=frozenset({"dl"}))
        element = Element(tag, {name: value or "" for name, value in attrs}, [], self.current)
        self.current.children.append(element)
        if tag not in _VOID and len(self.stack) < _MAX_DEPTH:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # XHTML `<br/>`: a void element either way; `<div/>` is an empty element.
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.current.tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":  # browsers read a stray `</br>` as `<br>`
            self.handle_starttag("br", [])
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return
            if self.stack[depth].tag in _SCOPE and tag != self.stack[depth].tag:
                return  # an end tag never closes across a table cell or the like

    def handle_data(self, data: str) -> None:
        children = self.current.children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)

    def _close_open_p(self) -> None:
        self._close_within("p", stop=_SCOPE)

    def _close_within(self, *tags: str, stop: frozenset[str]) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[depth].tag
            if tag in tags:
                del self.stack[depth:]
                return
            if tag in stop:
                return


def parse_html(text: str) -> Element:
    """Parse HTML or XHTML into a tree. Never raises on bad markup: it is mended or ignored."""
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def is_hidden(element: Element) -> bool:
    """True for elements a reader never sees (scripts, head, AO3's hidden headings)."""
    return element.tag in _HIDDEN or bool(element.classes & _HIDDEN_CLASSES)


class SceneBreak:
    """Marks a scene break among paragraphs (a `<hr>` or a break-marker paragraph)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "BREAK"


BREAK: Final = SceneBreak()


@dataclass(frozen=True, slots=True)
class ChapterMark:
    """Marks where a chapter starts among paragraphs (see `html_blocks`'s `headings`)."""

    title: str | None


Block = Paragraph | SceneBreak | ChapterMark


@dataclass(slots=True)
class _OpenStyle:
    start: int
    style: Style


class _Flattener:
    """Walks a tree and lays its text out in paragraphs, as a browser would."""

    def __init__(self, headings: frozenset[int], skipped: frozenset[int]) -> None:
        self.headings = headings  # ids (`id()`) of the elements that start chapters
        self.skipped = skipped  # ids of the elements left out (a title shown elsewhere)
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.length = 0
        self.pending_space = False
        self.spans: list[Span] = []
        self.open_styles: list[_OpenStyle] = []
        self.preformatted = 0

    def walk(self, node: Element | str) -> None:
        if isinstance(node, str):
            self._add_text(node)
            return
        if is_hidden(node) or id(node) in self.skipped:
            return
        if id(node) in self.headings:
            self.flush()
            self.blocks.append(ChapterMark(inline_text(node) or None))
            return
        tag = node.tag
        if tag == "br":
            self._add_newline()
            return
        if tag == "hr":
            self.flush()
            self.blocks.append(BREAK)
            return
        block = tag in _BLOCK
        if block:
            self.flush()
        style = _STYLES.get(tag)
        if style is not None:
            self.open_styles.append(_OpenStyle(self.length, style))
        if tag == "pre":
            self.preformatted += 1
        for child in node.children:
            self.walk(child)
        if tag == "pre":
            self.preformatted -= 1
        if style is not None:
            opened = self.open_styles.pop()
            self._add_span(opened.start, self.length, opened.style)
        if block:
            self.flush()

    def _add_text(self, text: str) -> None:
        if self.preformatted:
            self._append(text)
            return
        pieces = _COLLAPSIBLE.split(text)
        for index, piece in enumerate(pieces):
            if index:  # whitespace stood between this piece and the one before
                self.pending_space = self.length > 0 and self._last_char() != "\n"
            if piece:
                if self.pending_space:
                    self._append(" ")
                self._append(piece)

    def _add_newline(self) -> None:
        self.pending_space = False
        self._append("\n")

    def _append(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)
        self.pending_space = False

    def _last_char(self) -> str:
        return self.parts[-1][-1] if self.parts and self.parts[-1] else ""

    def _add_span(self, start: int, end: int, style: Style) -> None:
        if end > start:
            self.spans.append(Span(start, end, style))

    def flush(self) -> None:
        """End the paragraph being built (if any) and start an empty one."""
        for opened in self.open_styles:  # emphasis open across a block boundary
            self._add_span(opened.start, self.length, opened.style)
            opened.start = 0
        text = "".join(self.parts)
        spans = self.spans
        self.parts, self.spans, self.length, self.pending_space = [], [], 0, False
        self.blocks.extend(blocks_from_text(text, spans))


def blocks_from_text(text: str, spans: Iterable[Span] = ()) -> list[Block]:
    """Split laid-out text into paragraphs at blank lines (a paragraph never holds one).

    A piece that is only a break marker, or only non-breaking spaces (AO3's blank
    paragraph), is a scene break; so is a run of two or more blank lines, as in plain text.
    """
    spans = tuple(spans)
    blocks: list[Block] = []
    position = 0
    if not text.strip(" \n"):
        return []
    for match in [*_LINE_RUN.finditer(text), None]:
        end = match.start() if match else len(text)
        piece_start, piece_end = _trim(text, position, end)
        if piece_end > piece_start:
            piece = text[piece_start:piece_end]
            if is_scene_break(piece):
                blocks.append(BREAK)
            else:
                blocks.append(Paragraph(piece, clip_spans(spans, piece_start, piece_end)))
        if match is None:
            break
        if len(match.group()) >= 3:  # two or more blank lines
            blocks.append(BREAK)
        position = match.end()
    return blocks


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink `[start, end)` past line breaks and spaces at either end."""
    while start < end and text[start] in " \n":
        start += 1
    while end > start and text[end - 1] in " \n":
        end -= 1
    return start, end


def clip_spans(spans: Iterable[Span], start: int, end: int) -> tuple[Span, ...]:
    """Spans cut to `text[start:end]` and shifted to it, merged where they touch."""
    clipped: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.style, s.start, s.end)):
        left, right = max(span.start, start) - start, min(span.end, end) - start
        if right <= left:
            continue
        last = clipped[-1] if clipped else None
        if last is not None and last.style == span.style and left <= last.end:
            clipped[-1] = Span(last.start, max(last.end, right), span.style)
        else:
            clipped.append(Span(left, right, span.style))
    return tuple(sorted(clipped, key=lambda s: (s.start, -s.end, s.style)))


def trim_spans(text: str, spans: Iterable[Span]) -> tuple[Span, ...]:
    """Spans shrunk off the whitespace at their ends (emphasis on a space shows nothing)."""
    out: list[Span] = []
    for span in spans:
        start, end = span.start, span.end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append(Span(start, end, span.style))
    return tuple(out)


def html_blocks(
    *nodes: Element, headings: Iterable[Element] = (), skipped: Iterable[Element] = ()
) -> list[Block]:
    """Paragraphs and scene breaks of `nodes`, in order, as a browser lays them out.

    Each element of `headings` met on the way gives a `ChapterMark` with its text instead;
    the elements of `skipped` give nothing.
    """
    flattener = _Flattener(
        frozenset(id(heading) for heading in headings),
        frozenset(id(element) for element in skipped),
    )
    for node in nodes:
        flattener.walk(node)
    flattener.flush()
    return [
        Paragraph(block.text, trim_spans(block.text, block.spans))
        if isinstance(block, Paragraph)
        else block
        for block in flattener.blocks
    ]


def scenes_from_blocks(blocks: Iterable[Block]) -> tuple[Scene, ...]:
    """Group paragraphs into scenes at the breaks; no scene is ever empty."""
    scenes: list[Scene] = []
    current: list[Paragraph] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            current.append(block)
        elif isinstance(block, SceneBreak) and current:
            scenes.append(tuple(current))
            current = []
    if current:
        scenes.append(tuple(current))
    return tuple(scenes)


def split_chapters(
    blocks: Iterable[Block], first_title: str | None = None
) -> list[tuple[str | None, list[Block]]]:
    """Cut blocks at their `ChapterMark`s: (title, blocks) pairs, the first titled `first_title`."""
    chapters: list[tuple[str | None, list[Block]]] = [(first_title, [])]
    for block in blocks:
        if isinstance(block, ChapterMark):
            chapters.append((block.title, []))
        else:
            chapters[-1][1].append(block)
    return chapters


def element_text(element: Element) -> str:
    """The visible text of `element`: paragraphs joined by a blank line, no emphasis."""
    return "\n\n".join(block.text for block in html_blocks(element) if isinstance(block, Paragraph))


def inline_text(element: Element) -> str:
    """The visible text of `element` on one line (for titles, tags and labels)."""
    return " ".join(element_text(element).split())


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment (an EPUB description, say)."""
    return element_text(parse_html(markup))
