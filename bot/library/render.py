"""Discord markdown for story text: escape what would format, add the author's emphasis.

Story text must show literally: a `*` or `_` is a character, not formatting, and a `#` or `-`
at a line start is not a heading or a list. Lengths are measured on what is sent, in UTF-16
code units (what Discord's clients count; never less than the code points its API counts).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the model renders through here; importing it at run time would be circular
    from bot.library.model import Paragraph, Span

# Characters that format anywhere in a line. The backslash itself first, so escapes survive.
_INLINE = re.compile(r"([\\*_~|`>\[<])")
# Line starts that make headings (`#`, `-#`) or lists (`-`, `+`, `1.`); `>` is escaped anywhere.
# Only ASCII punctuation can be escaped, so a numbered list is broken at its dot: `1\.`.
_LINE_START = re.compile(r"^([ \t]*)(#|-|\+|\d+(?=\.))(\.?)", re.MULTILINE)
_UNESCAPE = re.compile(r"\\(.)", re.DOTALL)
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")

_MARKERS = {"italic": "*", "bold": "**"}


def escape(text: str) -> str:
    """Escape Discord markdown so that `text` shows exactly as written."""
    return _LINE_START.sub(_escape_line_start, _INLINE.sub(r"\\\1", text))


def _escape_line_start(match: re.Match[str]) -> str:
    indent, mark, dot = match.groups()
    return f"{indent}{mark}\\{dot}" if dot else f"{indent}\\{mark}"


def unescape(markdown: str) -> str:
    """Invert `escape` (and drop emphasis markers when `markdown` came from `render`)."""
    return _UNESCAPE.sub(r"\1", markdown)


def strip_emphasis(markdown: str) -> str:
    """The plain text of rendered markdown: emphasis markers removed, escapes undone."""
    out: list[str] = []
    chars = iter(markdown)
    for char in chars:
        if char == "\\":
            out.append(next(chars, ""))
        elif char != "*":
            out.append(char)
    return "".join(out)


def discord_length(text: str) -> int:
    """Length as Discord counts it for limits: UTF-16 code units (astral characters count 2)."""
    return len(text) + len(_ASTRAL.findall(text)) if not text.isascii() else len(text)


def render(paragraph: Paragraph, start: int = 0, end: int | None = None) -> str:
    """Discord markdown for `paragraph.text[start:end]`, escaped, with its emphasis spans.

    Each piece of a split paragraph renders on its own, spans clipped to the piece, so every
    page opens and closes its own emphasis.
    """
    stop = len(paragraph.text) if end is None else end
    if not paragraph.spans:
        return escape(paragraph.text[start:stop])
    return _render_spans(paragraph.text, paragraph.spans, start, stop)


def _render_spans(text: str, spans: tuple[Span, ...], start: int, stop: int) -> str:
    clipped = [
        (max(span.start, start), min(span.end, stop), span.style)
        for span in spans
        if span.start < stop and span.end > start
    ]
    # Markers sit on non-space characters, or Discord does not format: shrink spans inward.
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    for span_start, span_end, style in clipped:
        left, right = span_start, span_end
        while left < right and text[left].isspace():
            left += 1
        while right > left and text[right - 1].isspace():
            right -= 1
        if left < right:
            opens.setdefault(left, []).append(_MARKERS[style])
            closes.setdefault(right, []).insert(0, _MARKERS[style])
    out: list[str] = []
    cursor = start
    for boundary in sorted({start, stop, *opens, *closes}):
        if boundary > cursor:
            out.append(
                escape(text[cursor:boundary])
                if cursor == start
                else _escape_inner(text[cursor:boundary])
            )
            cursor = boundary
        out.extend(closes.get(boundary, ()))
        out.extend(opens.get(boundary, ()))
    return "".join(out)


def _escape_inner(text: str) -> str:
    """Escape a run that continues a line: only line starts after a newline are line starts."""
    head, newline, tail = text.partition("\n")
    return _INLINE.sub(r"\\\1", head) + (newline + escape(tail) if newline else "")
