"""The markdown-it-py parsers: CommonMark with front matter, and our scene-break lines.

CommonMark reads some of our scene-break markers as something else: `~~~` opens a code
fence, `###` is an empty heading, `o0o` or `•••` under a line of text joins its paragraph.
A block rule run before the others makes every scene-break line (see `breaks.py`) a
thematic break, however indented, and lets it end a paragraph as `***` does. `---` or `===`
under text is still read by CommonMark as a setext underline: `blocks.py` decides those.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.front_matter import front_matter_plugin

from bot.library.breaks import is_scene_break

# The blocks a scene-break line may interrupt, as for CommonMark's own thematic break.
_INTERRUPTS = ["paragraph", "reference", "blockquote", "list"]


def block_parser() -> MarkdownIt:
    """A parser of a story's blocks; each paragraph's inline tokens are left to
    `inline_parser`, read as the walk meets them, so a book's are never all held at once."""
    parser = MarkdownIt("commonmark").use(front_matter_plugin)
    parser.block.ruler.before("code", "scene_break", _scene_break_line, {"alt": _INTERRUPTS})
    parser.core.ruler.disable(["inline", "text_join"])
    return parser


def inline_parser() -> MarkdownIt:
    """A parser of inline Markdown (each parser is cheap to build: a quarter millisecond)."""
    return MarkdownIt("commonmark")


def front_matter_parser() -> MarkdownIt:
    """A parser that finds the front matter and reads the rest as plain paragraphs (fast)."""
    return MarkdownIt("zero").use(front_matter_plugin)


def _scene_break_line(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    line = state.src[state.bMarks[start_line] : state.eMarks[start_line]]
    # A line of spaces and tabs is blank; one of non-breaking spaces is AO3's scene break.
    if not line.strip(" \t") or not is_scene_break(line):
        return False
    if silent:
        return True
    state.line = start_line + 1
    token = state.push("hr", "hr", 0)
    token.map = [start_line, state.line]
    token.markup = line.strip()
    return True
