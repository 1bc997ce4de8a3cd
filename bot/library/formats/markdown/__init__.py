"""Markdown stories, parsed by markdown-it-py (CommonMark) with mdit-py-plugins' front matter.

* `parser.py` builds the parsers; `front_matter.py` reads the front matter's fields;
  `blocks.py` turns block tokens into paragraphs, headings and scene breaks (our scene-break
  rules over CommonMark's); `inline.py` turns inline tokens into text and emphasis spans;
  `document.py` makes the `Document`: metadata, and chapters at `#`/`##` headings.
"""

from bot.library.formats.markdown.document import FORMAT, parse_markdown
from bot.library.formats.markdown.front_matter import MAX_FRONT_MATTER_LINES, read_front_matter
from bot.library.formats.markdown.inline import parse_inline

__all__ = [
    "FORMAT",
    "MAX_FRONT_MATTER_LINES",
    "parse_inline",
    "parse_markdown",
    "read_front_matter",
]
