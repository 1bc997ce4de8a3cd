"""markdown-it-py's block tokens to paragraphs, headings and scene breaks, in reading order.

Where CommonMark and our scene-break rules differ, ours win:

* A thematic break (`***`, `---`, `___`) and every scene-break line (see `parser.py`) is a
  scene break; so are two or more blank lines before a block, found from the tokens' line
  map (CommonMark gives them no meaning).
* A setext heading (a line of text over `===` or `---`) starts a chapter when it is one
  line; a `---` underline must also be drawn under the whole line, and be longer than the
  three dashes of a scene break. Otherwise the text is a paragraph and the underline a
  scene break: a scene's last line that a `---` follows is far likelier than a chapter
  title over three dashes, and a misread break would turn story text into a chapter title.
* An ATX heading of no text (`#`, `###`) is a scene break.

Code blocks keep their lines (less the indentation all the lines of a paragraph share); in
indented ones two blank lines still end a scene. HTML blocks keep their text (`<hr>` is a
scene break). List items keep their markers (`-`, `1.`), and the items of a tight list make
one paragraph, a line each, as they were written.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import Final

from markdown_it.token import Token

from bot.library.breaks import is_scene_break
from bot.library.formats.gutenberg import Layout
from bot.library.formats.html_common import BREAK, SceneBreak, html_blocks, parse_html
from bot.library.formats.markdown.inline import InlineMarkdown, paragraph_from_inline, read_inline
from bot.library.model import Paragraph, Span


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    title: str


Unit = Paragraph | Heading | SceneBreak

# Tokens that begin a block of the text: two blank lines before one end a scene.
_BLOCK_STARTS: Final = frozenset(
    {"paragraph_open", "heading_open", "hr", "fence", "code_block", "html_block"}
)
_BLANK_LINES = re.compile(r"\n{2,}")
_SCENE_GAP = re.compile(r"\n{3,}")
_LIST_OPENS: Final = frozenset({"bullet_list_open", "ordered_list_open"})
_LIST_CLOSES: Final = frozenset({"bullet_list_close", "ordered_list_close"})


def read_blocks(
    tokens: list[Token],
    lines: list[str],
    body_start: int,
    markdown: InlineMarkdown,
    layout: Layout,
) -> tuple[list[Unit], list[str]]:
    """The body's units in order, and the problems met (an unclosed code fence, say).

    `lines` are the source lines the tokens' maps point into; the body starts at
    `body_start` (after the front matter). `markdown` reads the text of paragraphs and
    headings.
    """
    walker = _Walker(lines, body_start, markdown, layout)
    walker.walk(tokens)
    return walker.units, walker.problems


@dataclass(slots=True)
class _Walker:
    lines: list[str]
    body_start: int
    markdown: InlineMarkdown
    layout: Layout
    units: list[Unit] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    list_depth: int = 0
    marker: str = ""  # the markers of the list items whose text is still to come
    tight: bool = False  # the last unit is a tight list's paragraph, which its next item joins

    def walk(self, tokens: list[Token]) -> None:
        opening: Token | None = None
        for token in tokens:
            kind = token.type
            if token.map is not None and kind in _BLOCK_STARTS:
                self._blank_line_break(token.map[0])
            if kind in {"paragraph_open", "heading_open"}:
                opening = token
            elif kind == "inline" and opening is not None:
                self._inline(opening, token)
            elif kind == "hr":
                self._break()
            elif kind in {"fence", "code_block"}:
                self._code(token)
            elif kind == "html_block":
                self._html(token.content)
            elif kind in _LIST_OPENS:
                self.list_depth += 1
            elif kind in _LIST_CLOSES:
                self.list_depth -= 1
                self.tight = self.tight and self.list_depth > 0  # the next list is apart
            elif kind == "list_item_open":
                marker = f"{token.info}{token.markup} "  # `-`, `*`, `+`; `1.`, `2)`
                indent = "  " * (self.list_depth - 1)
                self.marker = self.marker + marker if self.marker else indent + marker
            elif kind == "list_item_close":
                self.marker = ""  # an item of no text (an image, say) leaves nothing

    def _blank_line_break(self, start: int) -> None:
        line = start - 1
        while line >= self.body_start and not self.lines[line].strip(" \t>"):
            line -= 1
        if start - 1 - line >= 2:
            self._break()

    def _break(self) -> None:
        self.units.append(BREAK)
        self.tight = False

    def _add(self, paragraph: Paragraph, *, tight: bool = False) -> None:
        if not paragraph.text.strip():
            return
        if is_scene_break(paragraph.text):  # `\***` or `&nbsp;`, once decoded
            self._break()
            return
        last = self.units[-1] if self.units else None
        joining = tight and self.tight and isinstance(last, Paragraph)
        if self.marker:
            paragraph = _prefixed(self.marker if joining else self.marker.lstrip(), paragraph)
            self.marker = ""
        if joining and isinstance(last, Paragraph):
            self.units[-1] = _prefixed(last.text + "\n", paragraph, last.spans)
        else:
            self.units.append(paragraph)
        self.tight = tight

    def _inline(self, opening: Token, inline: Token) -> None:
        if opening.type == "paragraph_open":
            self._add(
                paragraph_from_inline(inline, self.markdown, self.layout), tight=opening.hidden
            )
            return
        if opening.markup in {"=", "-"} and not self._setext_chapter(opening):
            self._add(paragraph_from_inline(inline, self.markdown, self.layout))
            self._break()
            return
        title = " ".join(read_inline(self.markdown.tokens(inline.content)).text.split())
        if not title or is_scene_break(title):
            self._break()
            return
        self.units.append(Heading(int(opening.tag[1:]), title))
        self.tight = False

    def _setext_chapter(self, opening: Token) -> bool:
        """Does this setext heading start a chapter (see the module's docstring)?"""
        if opening.map is None or opening.map[1] - opening.map[0] != 2:
            return False
        if opening.markup == "=":
            return True
        title, underline = (line.strip(" \t>") for line in self.lines[slice(*opening.map)])
        return len(underline) > 3 and len(underline) >= len(title)

    def _code(self, token: Token) -> None:
        if token.type == "fence" and not self._closed(token):
            line = token.map[0] + 1 if token.map else 0
            self.problems.append(
                f"the code fence {token.markup} on line {line} is never closed, "
                "so the text after it is shown as code"
            )
        text = "\n".join(line.rstrip() for line in token.content.split("\n")).strip("\n")
        # Indented "code" in a story is mostly indented text (a letter, verse, a footnote),
        # where two blank lines end a scene as anywhere else; a fence is really code.
        scenes = _SCENE_GAP.split(text) if token.type == "code_block" else [text]
        for index, scene in enumerate(scenes):
            if index:
                self._break()
            for piece in _BLANK_LINES.split(scene):
                self._add(Paragraph(textwrap.dedent(piece)))

    def _closed(self, fence: Token) -> bool:
        if fence.map is None or fence.map[1] - fence.map[0] < 2:
            return False
        last = self.lines[fence.map[1] - 1].strip(" \t>")
        return len(last) >= len(fence.markup) and set(last) == {fence.markup[0]}

    def _html(self, markup: str) -> None:
        for block in html_blocks(parse_html(markup)):
            if isinstance(block, Paragraph):
                self._add(block)
            elif isinstance(block, SceneBreak):
                self._break()


def _prefixed(prefix: str, paragraph: Paragraph, spans: tuple[Span, ...] = ()) -> Paragraph:
    """`prefix` (which carries `spans`) and then `paragraph`, its spans moved along."""
    shift = len(prefix)
    moved = (Span(s.start + shift, s.end + shift, s.style) for s in paragraph.spans)
    return Paragraph(prefix + paragraph.text, (*spans, *moved))
