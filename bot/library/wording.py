"""Words for counts and cut text: the one pluraliser and the one truncator of the project."""

from __future__ import annotations

ELLIPSIS = "…"

# Plurals that are not the word plus "s". Every counted noun the bot says goes through here.
_IRREGULAR = {"story": "stories", "entry": "entries", "reply": "replies"}


def plural_of(word: str) -> str:
    """`story` -> `stories`, `page` -> `pages`; a phrase pluralises its last word
    (`reading place` -> `reading places`)."""
    head, space, last = word.rpartition(" ")
    return f"{head}{space}{_IRREGULAR.get(last) or last + 's'}"


def plural(count: int, word: str) -> str:
    """`1 story`, `5 stories`, `1,024 pages`."""
    return f"{count:,} {word if count == 1 else plural_of(word)}"


def truncate(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + ELLIPSIS
