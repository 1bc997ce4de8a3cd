"""Story file formats beyond plain text: detection, and a parser for each format.

`detect_format(filename, data)` names the format ("ao3-html", "epub", "gutenberg",
"markdown" or "text"); plain text (and AO3 work-page copies) is `bot.library.plaintext`'s.
Every parser returns a `Document` or raises `UnusableText` with a reason; none raises
anything else, whatever the bytes.
"""

from __future__ import annotations

from bot.library.formats.ao3_html import parse_ao3_html
from bot.library.formats.detect import FORMATS, detect_format, is_epub
from bot.library.formats.epub import parse_epub
from bot.library.formats.gutenberg import (
    PART_SEPARATOR,
    build_gutenberg,
    count_parts_and_chapters,
    parse_gutenberg,
    scan_gutenberg,
)
from bot.library.formats.markdown import parse_markdown

__all__ = [
    "FORMATS",
    "PART_SEPARATOR",
    "build_gutenberg",
    "count_parts_and_chapters",
    "detect_format",
    "is_epub",
    "parse_ao3_html",
    "parse_epub",
    "parse_gutenberg",
    "parse_markdown",
    "scan_gutenberg",
]
