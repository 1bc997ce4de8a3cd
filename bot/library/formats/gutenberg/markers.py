"""Where a Project Gutenberg book starts and ends, and what its header says about it.

The markers are data: the variants Project Gutenberg used over the years, as the well-known
cleaners list them. A marker may be indented, spaced or not, in any case, and wrapped onto a
second line (`\\s+` between its words).
"""

from __future__ import annotations

import re
from typing import Final

from bot.library.model import StoryMetadata

GUTENBERG_URL: Final = "https://www.gutenberg.org/ebooks/{}"

# After these the book begins. The 1990s "etext" files put their licence (the small print)
# first, so its end is where the book starts.
START_MARKERS: Final = (
    r"\*{3}\s*START\s+OF\s+(?:THE\s+|THIS\s+)?PROJECT\s+GUTENBERG",  # 2000s and since
    r"\*{3}\s*START\s+OF\s+THE\s+COPYRIGHTED\s+PROJECT\s+GUTENBERG",
    r"\*+\s*END\s*\*?\s*THE\s+SMALL\s+PRINT",  # *END*THE SMALL PRINT!, **END THE SMALL PRINT!
    r"\*+\s*Beginning\s+of\s+this\s+Project\s+Gutenberg",
)
# Before these it ends. `*** START: FULL LICENSE ***` opens the licence of a file whose END
# marker is missing.
END_MARKERS: Final = (
    r"\*{3}\s*END\s+OF\s+(?:THE\s+|THIS\s+)?PROJECT\s+GUTENBERG",
    r"\*{3}\s*END\s+OF\s+THE\s+COPYRIGHTED\s+PROJECT\s+GUTENBERG",
    r"\**\s*End\s+of\s+(?:the\s+|this\s+)?Project\s+Gutenberg",  # End of The PG Etext of
    r"Ende\s+dieses\s+Proje[ck]ts?\s+Gutenberg",
    r"Fin\s+de\s+(?:l[ae]\s+)?Project\s+Gutenberg",
    r"\*{3}\s*START:\s*FULL\s+LICENSE",
)
# The first line of the header names the book in most editions.
FIRST_LINE_TITLES: Final = (
    r"(?:This\s+is\s+)?(?:The\s+)?Project\s+Gutenberg(?:'s|’s)?\s+"
    r"(?:E-?text|E-?book|Etext)\s+of\s+",  # The Project Gutenberg Etext/eBook of X, by Y
    r"Project\s+Gutenberg(?:'s|’s)\s+",  # Project Gutenberg's X, by Y
)

_START = re.compile(rf"^[ \t]*(?:{'|'.join(START_MARKERS)})[^\n]*$", re.MULTILINE | re.IGNORECASE)
_END = re.compile(rf"^[ \t]*(?:{'|'.join(END_MARKERS)})[^\n]*$", re.MULTILINE | re.IGNORECASE)
_FIRST_LINE_TITLE = re.compile(
    rf"^\W*(?:{'|'.join(FIRST_LINE_TITLES)})(?P<title>.+?)(?:,?\s+by\s+(?P<author>.+?))?\W*$",
    re.IGNORECASE,
)
_BY_LINE = re.compile(r"^\s*by\s+(?P<author>[^\W\d_][^\n]{1,80}?)\s*$", re.IGNORECASE)
_HEADER_FIELD = re.compile(r"^([A-Z][A-Za-z ]{1,30}):[ \t]*(.*)$", re.MULTILINE)
_EBOOK_NUMBER = re.compile(r"\[(?:e-?book|etext) #(\d+)\]", re.IGNORECASE)
# How much of the top a header may take when there is no START marker.
HEADER_CHARS: Final = 5000
# How many lines of the header are searched for a `by <author>` line.
BY_LINE_SEARCH: Final = 60


def has_gutenberg_markers(head: str) -> bool:
    """True when `head` (the top of a file) holds a START marker or opens as a Gutenberg file."""
    if _START.search(head):
        return True
    first = next((line for line in head.split("\n", 20)[:20] if line.strip()), "")
    return _FIRST_LINE_TITLE.match(first.strip()) is not None


def body_bounds(text: str) -> tuple[int, int]:
    """Where the book starts and ends: after the (last) START marker, before the END marker.

    Old etexts may hold two START-like lines (the licence's end after a START of the small
    print); the last one in the header is where the book starts.
    """
    start = 0
    for match in _START.finditer(text, 0, max(HEADER_CHARS * 4, len(text) // 4)):
        start = match.end() + 1
    end_match = _END.search(text, start)
    return min(start, len(text)), end_match.start() if end_match else len(text)


def header_metadata(header: str, fallback_title: str | None) -> StoryMetadata:
    """Title, author, language, translator, release date and address from the header."""
    fields: dict[str, str] = {}
    lines = header.split("\n")
    for index, line in enumerate(lines):
        match = _HEADER_FIELD.match(line)
        if match and match.group(1).lower() not in fields and match.group(2).strip():
            value = [match.group(2).strip()]
            for follower in lines[index + 1 :]:  # continuation lines are indented
                if not follower[:1].isspace() or not follower.strip() or ":" in follower:
                    break
                value.append(follower.strip())
            fields[match.group(1).lower()] = " ".join(value)
    title, author = fields.get("title"), fields.get("author") or fields.get("authors")
    first = _FIRST_LINE_TITLE.match(next((ln for ln in lines if ln.strip()), "").strip())
    if first:
        title = title or first.group("title").strip(" *")
        author = author or (first.group("author") or "").strip(" *") or None
    if author is None:
        by_line = next(
            (m for m in map(_BY_LINE.match, lines[:BY_LINE_SEARCH]) if m is not None), None
        )
        author = by_line.group("author") if by_line else None
    number = _EBOOK_NUMBER.search(header)
    stats = [
        (label, _EBOOK_NUMBER.sub("", fields[key]).strip())
        for key, label in (
            ("translator", "Translator"),
            ("translators", "Translators"),
            ("release date", "Released"),
        )
        if key in fields
    ]
    if title and title.endswith(".") and not title.endswith(".."):
        title = title[:-1]  # `Title: The vision of hell.`: the catalogue's full stop
    return StoryMetadata(
        title=title or fallback_title or "Untitled",
        author=author,
        language=fields.get("language"),
        source_url=GUTENBERG_URL.format(number.group(1)) if number else None,
        stats=tuple(stats),
    )
