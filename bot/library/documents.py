"""Turn a file's bytes into a `Document`, whatever its format."""

from __future__ import annotations

from bot.library.errors import UnusableText
from bot.library.model import Document
from bot.library.plaintext import parse_plaintext
from bot.library.text import decode_text


def parse_document(name: str, data: bytes) -> Document:
    """Parse the file `name` (used for its stem and as a format hint) holding `data`."""
    if not data or data.isspace():
        raise UnusableText("it is empty")
    text, encoding = decode_text(data)
    del data  # the caller handed it over: free it before the text is split (peak memory)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return parse_plaintext(text, stem, encoding)
