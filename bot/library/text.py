"""Decoding and normalising raw text files, before any format is parsed."""

from __future__ import annotations

import re

from bot.library.errors import UnusableText

# Bytes that never occur in a text file but do in images, archives and executables.
_BINARY_CONTROL = frozenset(range(0x00, 0x09)) | frozenset(range(0x0E, 0x1A)) | {0x1C, 0x1D, 0x1F}
_SNIFF_BYTES = 8192
_TRAILING_SPACE = re.compile(r"[ \t\f\v]+$", re.MULTILINE)


def looks_binary(data: bytes) -> bool:
    """True for data that is not text: a NUL byte, or many control bytes, near the start."""
    head = data[:_SNIFF_BYTES]
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte in _BINARY_CONTROL)
    return controls > max(1, len(head) // 100)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a text file: UTF-8 (with or without BOM), else cp1252, else latin-1.

    Returns the text and the name of the encoding used. Raises `UnusableText` for binary data.
    """
    if looks_binary(data):
        raise UnusableText("it looks like a binary file, not text")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text, "utf-8" if encoding == "utf-8-sig" else encoding
    return data.decode("latin-1"), "latin-1"


_TRAILING_SPACE_BYTES = re.compile(rb"[ \t\f\v]+$", re.MULTILINE)


def tidy_bytes(data: bytes) -> bytes:
    """`normalise`'s line work done on the undecoded bytes, which are half the size of text.

    Safe for every encoding `decode_text` uses: in UTF-8, cp1252 and latin-1 the bytes of CR,
    LF, space and tab only ever stand for those characters.
    """
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return _TRAILING_SPACE_BYTES.sub(b"", data)


def normalise(text: str) -> str:
    """Normalise what is layout, keep what is writing.

    Line endings become `\\n`, a byte-order mark goes, and spaces and tabs at line ends go.
    Everything else (curly quotes, dashes, non-breaking spaces, typos) is kept as written.
    """
    return normalise_lines(text.removeprefix("\ufeff"))


def normalise_lines(text: str) -> str:
    """Line endings become `\\n` and spaces and tabs at line ends go (a BOM stays: mid-text it is
    a character)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _TRAILING_SPACE.sub("", text)
