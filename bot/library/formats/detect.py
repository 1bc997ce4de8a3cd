"""Which parser reads a file: decided by its content, its name's extension only a hint.

* `epub`: a zip archive. An EPUB is recognised by its `mimetype` entry (or its
  `META-INF/container.xml`); any other zip goes to the EPUB parser too, which refuses it
  with a clear reason ("a zip file but not an EPUB") where the text parser could only say
  "binary".
* `ao3-html`: HTML (a doctype or `<html>` at the top, HTML tags throughout, or an `.html`
  name on tagged text). AO3's own markers (`<div id="preface">`, `archiveofourown`) are not
  required: the same parser reads any HTML, falling back to a plain book reading.
* `gutenberg`: plain text with a Project Gutenberg START marker (`*** START OF THE/THIS
  PROJECT GUTENBERG …`, or an old etext's `*END*THE SMALL PRINT!` line), or that opens as one
  (`The Project Gutenberg Etext of …`, `Project Gutenberg's X, by Y`).
* `markdown`: YAML front matter (`---`, then `key: value` lines, then `---`) at the top, or
  a `.md`/`.markdown` name (with or without `#` headings).
* `text`: everything else, including AO3 work-page copies (`Work Header` … `Work Text:`).
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from typing import Final

from bot.library.formats.epub import ZIP_ERRORS
from bot.library.formats.gutenberg.markers import has_gutenberg_markers
from bot.library.formats.markdown import read_front_matter

FORMATS: Final = ("ao3-html", "epub", "gutenberg", "markdown", "text")

_ZIP_MAGIC: Final = b"PK\x03\x04"
_EPUB_MIMETYPE: Final = b"application/epub+zip"
_HTML_SUFFIXES: Final = (".html", ".htm", ".xhtml")
_MARKDOWN_SUFFIXES: Final = (".md", ".markdown", ".mdown", ".mkd")
_SNIFF_BYTES: Final = 256 * 1024

_HTML_START = re.compile(r"^(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])",
                         re.IGNORECASE | re.DOTALL)  # fmt: skip
_XML_HTML = re.compile(r"^<\?xml[^>]*>\s*(?:<!doctype\s+html[^>]*>\s*)?<html[\s>]", re.IGNORECASE)
_HTML_TAG = re.compile(r"<(?:p|div|br|span|em|strong|i|b|h[1-6]|blockquote)[\s/>]", re.IGNORECASE)


def detect_format(filename: str, data: bytes) -> str:
    """The format of `data` (named `filename`): one of `FORMATS`. Never raises."""
    if data.startswith(_ZIP_MAGIC):
        return "epub"
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    head = data[:_SNIFF_BYTES].decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if _looks_like_html(head, suffix):
        return "ao3-html"
    if has_gutenberg_markers(head):
        return "gutenberg"
    if head.startswith("---") and read_front_matter(_normalised_lines(head))[1]:
        return "markdown"
    if suffix in _MARKDOWN_SUFFIXES:
        return "markdown"
    return "text"


def is_epub(data: bytes) -> bool:
    """True for a zip archive that declares itself an EPUB (its mimetype, or container)."""
    if not data.startswith(_ZIP_MAGIC):
        return False
    if data[30:38] == b"mimetype" and _EPUB_MIMETYPE in data[38:100]:
        return True  # the EPUB spec puts the mimetype first, uncompressed
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "META-INF/container.xml" in names:
                return True
            return "mimetype" in names and archive.read("mimetype").strip() == _EPUB_MIMETYPE
    except (*ZIP_ERRORS, KeyError):
        return False


def _looks_like_html(head: str, suffix: str) -> bool:
    start = head[:2048]
    if _HTML_START.match(start) or _XML_HTML.match(start):
        return True
    tags = len(_HTML_TAG.findall(head[:16384]))
    if suffix in _HTML_SUFFIXES:
        return tags >= 1
    return start.startswith("<") and tags >= 2


def _normalised_lines(head: str) -> list[str]:
    return head.replace("\r\n", "\n").replace("\r", "\n").split("\n")
