"""An independent reading of a Gutenberg book's words, for the nothing-lost checks.

The body is cut out with plain string searches (not the parser's markers), illustration
markers are removed by bracket counting, the parts a test names (the contents list, the title
page) by a pattern each, and what is left is split into words. The parsed document's words
(notes, chapter titles, paragraphs) must hold them in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.library.model import Document

_WORD = re.compile(r"[^\W_]+")
_ENDS = (
    "*** END OF THE PROJECT GUTENBERG",
    "*** END OF THIS PROJECT GUTENBERG",
    "End of the Project Gutenberg",
    "End of The Project Gutenberg",
    "End of Project Gutenberg",
)
# How far ahead in the document a body word may be found (titles from the contents list add
# words the body has elsewhere).
WINDOW = 400


def body_text(raw: str) -> str:
    """The text between the last START line of the header (an old etext's end of the small
    print is one) and the first END line."""
    text = raw.replace("\r\n", "\n")
    start = 0
    for line in re.finditer(r"^.*$", text[:40000], re.MULTILINE):
        upper = line.group().upper()
        modern = "START OF THE PROJECT GUTENBERG" in upper or "START OF THIS PROJECT" in upper
        if modern or ("END" in upper and "THE SMALL PRINT" in upper):
            start = line.end() + 1
    ends = [text.find(marker, start) for marker in _ENDS]
    end = min((position for position in ends if position >= 0), default=len(text))
    return text[start:end]


def without_illustrations(text: str) -> str:
    """`text` less every `[Illustration …]` marker, brackets inside it counted."""
    out: list[str] = []
    position = 0
    while (opening := text.find("[Illustration", position)) >= 0:
        out.append(text[position:opening])
        depth, cursor = 0, opening
        while cursor < len(text):
            depth += {"[": 1, "]": -1}.get(text[cursor], 0)
            cursor += 1
            if depth == 0:
                break
        position = cursor
    out.append(text[position:])
    return "".join(out)


def without(text: str, pattern: str) -> str:
    """`text` less the first match of `pattern` (a regular expression, `.` matching line
    ends): a part the parser leaves out on purpose, such as a title page."""
    match = re.search(pattern, text, re.DOTALL)
    assert match is not None, f"{pattern!r} is not in the book"
    return text[: match.start()] + "\n" + text[match.end() :]


def words(text: str) -> list[str]:
    """Words, case-folded; Gutenberg's italics underscores go first (`_Un_important`)."""
    return _WORD.findall(text.replace("_", "").casefold())


def document_words(document: Document) -> list[str]:
    parts = [document.metadata.notes or ""]
    for chapter in document.chapters:
        parts.append(chapter.title or "")
        parts.extend(paragraph.text for scene in chapter.scenes for paragraph in scene)
    return words("\n".join(parts))


@dataclass(frozen=True)
class Lost:
    """Body words the document does not hold in order, by their index in the body."""

    body: list[str]
    missing: list[int]

    def text_around(self, index: int) -> str:
        return " ".join(self.body[max(0, index - 5) : index + 6])


def lost_words(body: list[str], document: list[str]) -> Lost:
    """Each body word found in order in the document, or missing.

    A word is found where the document holds it within `WINDOW` words of the last one found:
    right after it, or where the body's next two words follow it too. A lone common word
    further on is no match.
    """
    missing: list[int] = []
    cursor = 0
    for index, word in enumerate(body):
        found = None
        position = cursor
        while found is None:
            try:
                position = document.index(word, position, cursor + WINDOW)
            except ValueError:
                break
            if position == cursor or _anchored(body, index, document, position):
                found = position
            position += 1
        if found is None:
            missing.append(index)
        else:
            cursor = found + 1
    return Lost(body, missing)


ANCHOR_WORDS = 2


def _anchored(body: list[str], index: int, document: list[str], position: int) -> bool:
    """The body's next words follow the word in the document too."""
    following = body[index + 1 : index + 1 + ANCHOR_WORDS]
    return document[position + 1 : position + 1 + len(following)] == following
