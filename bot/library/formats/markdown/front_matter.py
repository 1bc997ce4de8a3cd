"""A Markdown story's front matter: found by mdit-py-plugins, read by our own rules.

The block is a `---` … `---` (or `...`) block at the very top. Its fields are read by hand as
the small part of YAML stories use: `key: value`, quoted values, `[a, b]` lists, `- item`
lists and `|`/`>` blocks (a YAML library would add a dependency for nothing more). Known
keys fill the metadata (`title`, `author`, `rating`, `warnings`, `fandoms`, `relationships`,
`characters`, `tags`, `language`, `summary`, `notes`, `end_notes`, `source`/`url`); a few
story facts (`published`, `words`, `status`…) go to the stats.

A block that holds no `key: value` line is not front matter: a story may open with a `---`
scene break, and close its first scene with another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from markdown_it.token import Token

from bot.library.formats.markdown.inline import InlineMarkdown, parse_inline
from bot.library.formats.markdown.parser import front_matter_parser
from bot.library.model import StoryMetadata

MAX_FRONT_MATTER_LINES: Final = 300

FrontMatter = dict[str, str | list[str]]

_KEY = re.compile(r"^([A-Za-z_][\w -]*?)[ \t]*:(?:[ \t]+(.*))?$")
_LIST_ITEM = re.compile(r"^[ \t]*-[ \t]+(.*)$")
_COMMENT = re.compile(r"[ \t]+#.*$")
_LIST_VALUE = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^,]+)""")

_FIELDS: Final[dict[str, str]] = {
    "title": "title",
    "author": "author",
    "authors": "author",
    "by": "author",
    "rating": "rating",
    "warnings": "warnings",
    "warning": "warnings",
    "archive_warnings": "warnings",
    "archive_warning": "warnings",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "pairing": "relationships",
    "pairings": "relationships",
    "character": "characters",
    "characters": "characters",
    "tags": "tags",
    "additional_tags": "tags",
    "freeform": "tags",
    "language": "language",
    "lang": "language",
    "summary": "summary",
    "description": "summary",
    "notes": "notes",
    "note": "notes",
    "end_notes": "end_notes",
    "endnotes": "end_notes",
    "source": "source_url",
    "url": "source_url",
    "link": "source_url",
    "source_url": "source_url",
}
_STATS: Final[dict[str, str]] = {
    "published": "Published",
    "updated": "Updated",
    "completed": "Completed",
    "date": "Published",
    "words": "Words",
    "chapters": "Chapters",
    "status": "Status",
    "series": "Series",
    "category": "Category",
    "categories": "Category",
}


@dataclass(frozen=True, slots=True)
class FrontMatterBlock:
    fields: FrontMatter
    body_start: int  # index of the first line after the block
    unread: tuple[str, ...]  # lines that are neither a field nor part of one


def read_front_matter(lines: list[str]) -> tuple[FrontMatter, int]:
    """The front matter at the top of `lines`: (fields, index of the first body line).

    `({}, 0)` when there is none. Only the first lines are parsed, so this is cheap enough
    for sniffing a file's format.
    """
    head = "\n".join(lines[:MAX_FRONT_MATTER_LINES])
    found = find_front_matter(front_matter_parser().parse(head))
    return (found.fields, found.body_start) if found else ({}, 0)


def find_front_matter(tokens: list[Token]) -> FrontMatterBlock | None:
    """The front matter block opening `tokens`, if the plugin found one that holds a field."""
    if not tokens or tokens[0].type != "front_matter" or tokens[0].map is None:
        return None
    end = tokens[0].map[1]
    if end > MAX_FRONT_MATTER_LINES:
        return None  # a `---` scene break far below the top closes no front matter
    fields, unread = _yaml_fields([line.rstrip() for line in tokens[0].content.split("\n")])
    return FrontMatterBlock(fields, end, tuple(unread)) if fields else None


def _yaml_fields(lines: list[str]) -> tuple[FrontMatter, list[str]]:
    fields: FrontMatter = {}
    unread: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        match = _KEY.match(line)
        index += 1
        if match is None or line[:1].isspace():
            if line.strip() and not line.lstrip().startswith("#"):
                unread.append(line.strip())
            continue
        key = re.sub(r"[ -]+", "_", match.group(1).strip().lower())
        value = (match.group(2) or "").strip()
        nested = _indented_run(lines, index)
        index += len(nested)
        fields[key] = _yaml_value(value, nested)
    return fields, unread


def _indented_run(lines: list[str], start: int) -> list[str]:
    """The lines after a key that belong to it: indented ones, list items and blank lines."""
    run: list[str] = []
    for line in lines[start:]:
        if line.strip() and not line[:1].isspace() and not _LIST_ITEM.match(line):
            break
        run.append(line)
    while run and not run[-1].strip():
        run.pop()
    return run


def _yaml_value(value: str, nested: list[str]) -> str | list[str]:
    if value[:1] in {"|", ">"}:
        return _block_scalar(value[0] == "|", nested)
    if value.startswith("["):
        return _inline_list(" ".join([value, *(line.strip() for line in nested)]))
    items = [_LIST_ITEM.match(line) for line in nested if line.strip()]
    if not value and items and all(items):
        return [_unquote(item.group(1)) for item in items if item is not None]
    if not value:
        return " ".join(line.strip() for line in nested if line.strip())
    if value[0] in "\"'":
        return _unquote(" ".join([value, *(line.strip() for line in nested)]))
    return " ".join([_COMMENT.sub("", value), *(line.strip() for line in nested)]).strip()


def _block_scalar(literal: bool, nested: list[str]) -> str:
    indents = [len(line) - len(line.lstrip()) for line in nested if line.strip()]
    cut = min(indents, default=0)
    lines = [line[cut:] for line in nested]
    if literal:
        return "\n".join(lines).strip("\n")
    paragraphs = "\n".join(lines).split("\n\n")
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def _inline_list(text: str) -> list[str]:
    inner = text.strip()[1:]
    inner = inner[: inner.rfind("]")] if "]" in inner else inner
    items = _LIST_VALUE.findall(inner)
    return [value for value in (_unquote(item.strip()) for item in items) if value]


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), value[1:-1])
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return _COMMENT.sub("", value)


def scalar(value: str | list[str] | None) -> str | None:
    """A field as one string (a list joined with commas), or None when it is empty."""
    if isinstance(value, list):
        return ", ".join(value) or None
    return value or None


def _listed(value: str | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(value)
    return tuple(item.strip() for item in value.split(",") if item.strip())


def story_metadata(front: FrontMatter, title: str, markdown: InlineMarkdown) -> StoryMetadata:
    """The metadata the fields give; text fields may hold inline Markdown, shown as text."""
    known: dict[str, str | list[str]] = {}
    stats: list[tuple[str, str]] = []
    for key, value in front.items():
        if key in _FIELDS:
            known.setdefault(_FIELDS[key], value)
        elif key in _STATS and scalar(value):
            stats.append((_STATS[key], scalar(value) or ""))

    def plain(name: str) -> str | None:
        value = scalar(known.get(name))
        return (parse_inline(value, markdown)[0] or None) if value else None

    return StoryMetadata(
        title=parse_inline(title, markdown)[0] or title,
        author=plain("author"),
        rating=plain("rating"),
        warnings=_listed(known.get("warnings")),
        fandoms=_listed(known.get("fandoms")),
        relationships=_listed(known.get("relationships")),
        characters=_listed(known.get("characters")),
        tags=_listed(known.get("tags")),
        language=plain("language"),
        summary=plain("summary"),
        notes=plain("notes"),
        end_notes=plain("end_notes"),
        source_url=scalar(known.get("source_url")),
        stats=tuple(stats),
    )
