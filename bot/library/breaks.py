"""Scene-break markers: the lines authors use between scenes, which are never shown as text."""

from __future__ import annotations

import re
from typing import Final

# A break mark is a short line: a longer run of one mark (9,000 `x`) is text, not a break.
MAX_BREAK_CHARS: Final = 100
# A whole line (or paragraph) of nothing but break marks, spaced or not, centred or not:
# `* * *`, `*       *       *`, `---`, `~~~`, `###`, `===`, `•••`, `o0o`, `oOo`, `xxx`, `<hr>`,
# and AO3's paragraph holding only a non-breaking space. Whitespace includes U+00A0.
_MARKS = r"[*\-~#=•·]"
_SCENE_BREAK = re.compile(
    rf"""
    \s*(?:
        {_MARKS}(?:\s*{_MARKS})*                # star, dash, tilde, hash, equals and bullet lines
      | (?:o[0O]o|0o0|O[0o]O)(?:\s*(?:o[0O]o|0o0|O[0o]O))*   # o0o, oOo
      | [xX](?:\s*[xX]){{2,}}                    # xxx, X X X
      | <hr\s*/?>                               # a leftover HTML rule
      | &nbsp;
    )?\s*
    """,
    re.VERBOSE,
)


def is_scene_break(text: str) -> bool:
    """True when `text` (a line or a paragraph) is only a scene-break marker.

    A paragraph of only whitespace counts: that is AO3's non-breaking-space paragraph, since a
    truly empty line never reaches here. Marks inside a sentence are text, not a break, and
    so is a line longer than `MAX_BREAK_CHARS`.
    """
    stripped = text.strip()
    return (
        len(stripped) <= MAX_BREAK_CHARS
        and "\n" not in stripped
        and _SCENE_BREAK.fullmatch(text) is not None
    )
