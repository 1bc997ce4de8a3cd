"""Markdown stories: optional front matter, `#`/`##` chapters, emphasis as spans.

* Front matter is a `---` … `---` block at the very top, read by hand as the small part of
  YAML stories use: `key: value`, quoted values, `[a, b]` lists, `- item` lists and `|`/`>`
  blocks. Known keys fill the metadata (`title`, `author`, `rating`, `warnings`, `fandoms`,
  `relationships`, `characters`, `tags`, `language`, `summary`, `notes`, `end_notes`,
  `source`/`url`); a few story facts (`published`, `words`, `status`…) go to the stats.
* `#` and `##` headings start chapters, titled with the heading's text. A single `#` at the
  top over `##` chapters is the story's title (when the front matter gives none or the same).
  Deeper headings are paragraphs in bold.
* Paragraphs are split by a blank line, scenes by two or more, or by a `---`, `***`,
  `* * *` (any scene-break marker) line.
* Lines of a paragraph are joined as Markdown does (a space) when they are wrapped prose;
  short lines (verse, letters) and lines ending in two spaces or `\\` keep their breaks.
* `*italic*`, `_italic_`, `**bold**`, `__bold__` become spans; the markers are removed,
  following CommonMark's delimiter rules (so `snake_case` and `2 * 3` stay as written).
  `\\*` is a literal star. Links keep their text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from bot.library.breaks import is_scene_break
from bot.library.errors import UnusableText
from bot.library.formats.gutenberg import Layout, join_wrapped, keeps_line_breaks, measure_layout
from bot.library.formats.html_common import clip_spans
from bot.library.model import (
    ChapterSource,
    Document,
    Paragraph,
    Scene,
    Span,
    StoryMetadata,
    Style,
)
from bot.library.text import normalise

FORMAT: Final = "markdown"
MAX_FRONT_MATTER_LINES: Final = 300

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_UNDERSCORE_RULE = re.compile(r"^ {0,3}(?:_[ \t]*){3,}$")
_HARD_BREAK = re.compile(r"(?:  |\t|(?<!\\)\\)$")
_KEY = re.compile(r"^([A-Za-z_][\w -]*?)[ \t]*:(?:[ \t]+(.*))?$")
_LIST_ITEM = re.compile(r"^[ \t]*-[ \t]+(.*)$")
_COMMENT = re.compile(r"[ \t]+#.*$")
_LIST_VALUE = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^,]+)""")
_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)")
_BLOCKQUOTE = re.compile(r"^ {0,3}> ?")
_ASCII_PUNCTUATION: Final = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

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

FrontMatter = dict[str, str | list[str]]


def parse_markdown(
    text: str, encoding: str = "utf-8", *, fallback_title: str | None = None
) -> Document:
    """Parse a Markdown story; `fallback_title` (the file name, say) when it names none."""
    lines, hard = _lines(text)
    front, body_start = read_front_matter(lines)
    body = lines[body_start:]
    hard = hard[body_start:]
    layout = measure_layout((line for line in body if line.strip()), "\n".join(body))
    units = list(_units(body, hard, layout))
    front_title = _scalar(front.get("title"))
    title_heading = _title_heading(units, front_title)
    chapters = _chapters(units, title_heading)
    if not chapters:
        raise UnusableText("it holds no story text")
    title = front_title or (title_heading.title if title_heading else None) or fallback_title
    return Document(
        metadata=_metadata(front, title or "Untitled"),
        chapters=tuple(chapters),
        format=FORMAT,
        encoding=encoding,
    )


def _lines(text: str) -> tuple[list[str], list[bool]]:
    """Normalised lines, and which of them ended in a hard line break (before normalising)."""
    raw = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    hard = [_HARD_BREAK.search(line) is not None for line in raw]
    lines = normalise("\n".join(raw)).split("\n")
    pairs = zip(lines, hard, strict=True)
    lines = [line[:-1] if h and line.endswith("\\") else line for line, h in pairs]
    return lines, hard


# --- front matter ---------------------------------------------------------------------------


def read_front_matter(lines: list[str]) -> tuple[FrontMatter, int]:
    """Read a `---` … `---` block at the top. Returns (fields, index of the first body line).

    A block that holds no `key: value` line is not front matter (a story may open with a
    `---` scene break); it is then left to the body.
    """
    if not lines or lines[0].strip() != "---":
        return {}, 0
    for end in range(1, min(len(lines), MAX_FRONT_MATTER_LINES)):
        if lines[end].strip() in {"---", "..."}:
            fields = _yaml_fields(lines[1:end])
            return (fields, end + 1) if fields else ({}, 0)
    return {}, 0


def _yaml_fields(lines: list[str]) -> FrontMatter:
    fields: FrontMatter = {}
    index = 0
    while index < len(lines):
        match = _KEY.match(lines[index])
        index += 1
        if match is None or lines[index - 1][:1].isspace():
            continue
        key = re.sub(r"[ -]+", "_", match.group(1).strip().lower())
        value = (match.group(2) or "").strip()
        nested = _indented_run(lines, index)
        index += len(nested)
        fields[key] = _yaml_value(value, nested)
    return fields


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


def _scalar(value: str | list[str] | None) -> str | None:
    if isinstance(value, list):
        return ", ".join(value) or None
    return value or None


def _listed(value: str | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(value)
    return tuple(item.strip() for item in value.split(",") if item.strip())


def _metadata(front: FrontMatter, title: str) -> StoryMetadata:
    known: dict[str, str | list[str]] = {}
    stats: list[tuple[str, str]] = []
    for key, value in front.items():
        if key in _FIELDS:
            known.setdefault(_FIELDS[key], value)
        elif key in _STATS and _scalar(value):
            stats.append((_STATS[key], _scalar(value) or ""))

    def plain(name: str) -> str | None:
        value = _scalar(known.get(name))
        return parse_inline(value)[0] if value else None

    return StoryMetadata(
        title=parse_inline(title)[0] or title,
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
        source_url=_scalar(known.get("source_url")),
        stats=tuple(stats),
    )


# --- body -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Heading:
    level: int
    title: str


class _Break:
    """A scene break: a marker line, or two or more blank lines."""


_BREAK: Final = _Break()
_Unit = Paragraph | _Heading | _Break


def _units(lines: list[str], hard: list[bool], layout: Layout) -> list[_Unit]:
    """The body as paragraphs, headings and scene breaks, in order."""
    units: list[_Unit] = []
    block: list[str] = []
    breaks: list[bool] = []
    blank_run = 0

    def end_block() -> None:
        if block:
            paragraph = _paragraph(block, breaks, layout)
            if is_scene_break(paragraph.text):  # `_*_` is a star once its markers go
                units.append(_BREAK)
            elif paragraph.text:
                units.append(paragraph)
            block.clear()
            breaks.clear()

    for raw_line, hard_break in zip(lines, hard, strict=True):
        line = _BLOCKQUOTE.sub("", raw_line)  # a quote's text is text; a lone `>` is blank
        if not line.strip():
            end_block()
            blank_run += 1
            if blank_run == 2:
                units.append(_BREAK)
            continue
        blank_run = 0
        heading = _HEADING.match(line)
        if heading or is_scene_break(line) or _UNDERSCORE_RULE.match(line):
            end_block()
            if heading:
                text = parse_inline(heading.group(2))[0]
                units.append(_Heading(len(heading.group(1)), text))
            else:
                units.append(_BREAK)
            continue
        line = _LINK.sub(r"\1", _IMAGE.sub("", line))  # links keep their text, images go
        if line.strip():
            block.append(line)
            breaks.append(hard_break)
    end_block()
    return units


def _paragraph(lines: list[str], hard: list[bool], layout: Layout) -> Paragraph:
    """Join a paragraph's lines: wrapped prose with spaces, verse and hard breaks with `\\n`."""
    if len(lines) == 1:
        text = lines[0].strip()
    elif keeps_line_breaks(tuple(lines), layout):
        indent = min(len(line) - len(line.lstrip()) for line in lines)
        text = "\n".join(line[indent:] for line in lines)
    else:
        pieces: list[str] = []
        run: list[str] = []
        for line, hard_break in zip(lines, hard, strict=True):
            run.append(line.strip())
            if hard_break:
                pieces.append(join_wrapped(run, layout.closed_dashes))
                run = []
        if run:
            pieces.append(join_wrapped(run, layout.closed_dashes))
        text = "\n".join(pieces)
    plain, spans = parse_inline(text)
    start = len(plain) - len(plain.lstrip())
    end = len(plain.rstrip())
    return Paragraph(plain[start:end], clip_spans(spans, start, end))


def _title_heading(units: list[_Unit], front_title: str | None) -> _Heading | None:
    """The `#` heading that titles the story rather than a chapter, if there is one.

    It opens the body, is the only `#` heading, and the front matter names no other title.
    """
    first = next((u for u in units if not isinstance(u, _Break)), None)
    if not isinstance(first, _Heading) or first.level != 1:
        return None
    if sum(1 for u in units if isinstance(u, _Heading) and u.level == 1) != 1:
        return None
    if front_title and front_title.casefold() != first.title.casefold():
        return None
    return first


@dataclass(slots=True)
class _Draft:
    title: str | None
    scenes: list[list[Paragraph]] = field(default_factory=lambda: [[]])


def _chapters(units: list[_Unit], title_heading: _Heading | None) -> list[ChapterSource]:
    drafts = [_Draft(None)]
    for unit in units:
        if unit is title_heading:
            continue
        if isinstance(unit, _Heading) and unit.level <= 2:
            drafts.append(_Draft(unit.title or None))
        elif isinstance(unit, _Heading):
            if unit.title and not is_scene_break(unit.title):
                bold = (Span(0, len(unit.title), "bold"),)
                drafts[-1].scenes[-1].append(Paragraph(unit.title, bold))
        elif isinstance(unit, _Break):
            if drafts[-1].scenes[-1]:
                drafts[-1].scenes.append([])
        else:
            drafts[-1].scenes[-1].append(unit)
    chapters: list[ChapterSource] = []
    for draft in drafts:
        scenes: tuple[Scene, ...] = tuple(tuple(s) for s in draft.scenes if s)
        if scenes:
            chapters.append(ChapterSource(draft.title, scenes))
    return chapters


# --- emphasis -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Run:
    """A run of `*` or `_` that may open or close emphasis; `count` is what is left of it."""

    char: str
    count: int
    can_open: bool
    can_close: bool


@dataclass(frozen=True, slots=True)
class _Emphasis:
    opener: int  # node indexes
    closer: int
    style: Style


def parse_inline(text: str) -> tuple[str, tuple[Span, ...]]:
    """Markdown emphasis to spans: the text without its markers, and the spans over it."""
    if not any(char in text for char in "*_\\"):
        return text, ()
    nodes = _tokenise(text)
    emphases = _match_emphasis(nodes)
    return _assemble(nodes, emphases)


def _tokenise(text: str) -> list[str | _Run]:
    nodes: list[str | _Run] = []
    literal: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and text[index + 1] in _ASCII_PUNCTUATION:
            literal.append(text[index + 1])
            index += 2
            continue
        if char not in "*_":
            literal.append(char)
            index += 1
            continue
        end = index
        while end < len(text) and text[end] == char:
            end += 1
        if literal:
            nodes.append("".join(literal))
            literal = []
        before = text[index - 1] if index else " "
        after = text[end] if end < len(text) else " "
        nodes.append(_run(char, end - index, before, after))
        index = end
    if literal:
        nodes.append("".join(literal))
    return nodes


def _is_punctuation(char: str) -> bool:
    return char in _ASCII_PUNCTUATION or (not char.isalnum() and not char.isspace())


def _run(char: str, count: int, before: str, after: str) -> _Run:
    """CommonMark's flanking rules: may this run open emphasis, close it, or both?"""
    left = not after.isspace() and (
        not _is_punctuation(after) or before.isspace() or _is_punctuation(before)
    )
    right = not before.isspace() and (
        not _is_punctuation(before) or after.isspace() or _is_punctuation(after)
    )
    if char == "_":
        return _Run(
            char,
            count,
            left and (not right or _is_punctuation(before)),
            right and (not left or _is_punctuation(after)),
        )
    return _Run(char, count, left, right)


def _match_emphasis(nodes: list[str | _Run]) -> list[_Emphasis]:
    """Pair closers with the nearest openers of the same character, innermost first."""
    emphases: list[_Emphasis] = []
    openers: list[int] = []  # node indexes of runs that may still open
    bottom: dict[str, int] = {"*": 0, "_": 0}  # below this, no opener for that char is left
    for index, node in enumerate(nodes):
        if not isinstance(node, _Run):
            continue
        while node.can_close and node.count:
            found = None
            for position in range(len(openers) - 1, bottom[node.char] - 1, -1):
                opener = nodes[openers[position]]
                if isinstance(opener, _Run) and opener.char == node.char and opener.count:
                    found = position
                    break
            if found is None:
                bottom[node.char] = len(openers)
                break
            opener = nodes[openers[found]]
            assert isinstance(opener, _Run)
            used = 2 if opener.count >= 2 and node.count >= 2 else 1
            opener.count -= used
            node.count -= used
            emphases.append(_Emphasis(openers[found], index, "bold" if used == 2 else "italic"))
            del openers[found + 1 :]  # runs between them can no longer match
            bottom = {char: min(low, len(openers)) for char, low in bottom.items()}
            if not opener.count:
                openers.pop()
        if node.can_open and node.count:
            openers.append(index)
    return emphases


def _assemble(nodes: list[str | _Run], emphases: list[_Emphasis]) -> tuple[str, tuple[Span, ...]]:
    """The text with unused markers kept as characters, and the spans of the emphases."""
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    length = 0
    for node in nodes:
        piece = node if isinstance(node, str) else node.char * node.count
        starts.append(length)
        parts.append(piece)
        length += len(piece)
        ends.append(length)
    spans = [
        Span(ends[e.opener], starts[e.closer], e.style)
        for e in emphases
        if starts[e.closer] > ends[e.opener]
    ]
    return "".join(parts), tuple(sorted(spans, key=lambda s: (s.start, -s.end, s.style)))
