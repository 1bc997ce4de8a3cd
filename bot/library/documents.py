"""Turn a file's bytes into a `Document`, whatever its format."""

from __future__ import annotations

from bot.library.errors import UnusableText
from bot.library.formats import (
    build_gutenberg,
    detect_format,
    parse_ao3_html,
    parse_epub,
    parse_markdown,
    scan_gutenberg,
)
from bot.library.model import Document
from bot.library.plaintext import parse_plaintext, title_from_name
from bot.library.text import decode_text, tidy_bytes


def parse_document(name: str, data: bytes) -> Document:
    """Parse the file `name` holding `data`; the format is detected from the content.

    The caller hands `data` over: it is dropped as soon as it is decoded, so a big text is
    never held as bytes, text and paragraphs at once.
    """
    if not data or data.isspace():
        raise UnusableText("it is empty")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    fallback_title = title_from_name(stem)
    kind = detect_format(name, data)
    if kind == "epub":
        return parse_epub(data, fallback_title=fallback_title)
    if kind == "ao3-html":
        return parse_ao3_html(data, fallback_title=fallback_title)
    data = tidy_bytes(data)
    text, encoding = decode_text(data)
    del data
    if kind == "gutenberg":
        book = scan_gutenberg(text, encoding, fallback_title=fallback_title)
        del text  # split into lines now: drop the text before the paragraphs are built
        return build_gutenberg(book)
    if kind == "markdown":
        return parse_markdown(text, encoding, fallback_title=fallback_title)
    return parse_plaintext(text, stem, encoding)
