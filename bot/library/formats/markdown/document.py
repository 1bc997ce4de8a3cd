"""A Markdown story as a `Document`: front matter, then chapters at `#` and `##` headings.

A `#` heading opening the body titles the story, not a chapter, when it repeats the front
matter's title, or when the front matter names none and it is the only `#` heading. A `#`
heading with no text before the `##` headings under it names a part, which prefixes their
titles (`Part One · The Storm`). Deeper headings are paragraphs in bold.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Final

from markdown_it.token import Token

from bot.library.errors import UnusableText
from bot.library.formats.gutenberg import PART_SEPARATOR, measure_layout
from bot.library.formats.html_common import SceneBreak
from bot.library.formats.markdown.blocks import Heading, Unit, read_blocks
from bot.library.formats.markdown.front_matter import (
    FrontMatterBlock,
    find_front_matter,
    scalar,
    story_metadata,
)
from bot.library.formats.markdown.inline import InlineMarkdown
from bot.library.formats.markdown.parser import block_parser, inline_parser
from bot.library.model import ChapterSource, Document, Paragraph, Scene, Span

log = logging.getLogger(__name__)

FORMAT: Final = "markdown"


def parse_markdown(
    text: str, encoding: str = "utf-8", *, fallback_title: str | None = None
) -> Document:
    """Parse a Markdown story; `fallback_title` (the file name, say) when it names none."""
    source = text.removeprefix("\ufeff")
    if "\r" in source:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    lines = source.split("\n")  # as markdown-it-py counts lines, for the tokens' maps
    tokens, front, markdown = _parse(source)
    body_start = front.body_start if front else 0
    problems = [f"front matter line not read: {line!r}" for line in front.unread] if front else []
    offset = sum(len(line) + 1 for line in lines[:body_start])
    body_lines = (line.rstrip() for line in lines[body_start:] if line.strip())
    layout = measure_layout(body_lines, source, offset)
    units, body_problems = read_blocks(tokens, lines, body_start, markdown, layout)
    fields = front.fields if front else {}
    front_title = scalar(fields.get("title"))
    title_heading = _title_heading(units, front_title)
    chapters = _chapters(units, title_heading, problems)
    if not chapters:
        raise UnusableText("it holds no story text")
    problems += body_problems
    for problem in problems:
        log.info("%s", problem)
    title = front_title or (title_heading.title if title_heading else None) or fallback_title
    return Document(
        metadata=story_metadata(fields, title or "Untitled", markdown),
        chapters=tuple(chapters),
        format=FORMAT,
        encoding=encoding,
        problems=tuple(problems),
    )


def _parse(source: str) -> tuple[list[Token], FrontMatterBlock | None, InlineMarkdown]:
    """The block tokens, the front matter, and the reader of inline text (which knows the
    link references the blocks define)."""
    parser = block_parser()
    markdown = InlineMarkdown(inline_parser())
    tokens = parser.parse(source, markdown.env)
    front = find_front_matter(tokens)
    if front is None and tokens and tokens[0].type == "front_matter":
        parser.block.ruler.disable("front_matter")  # no field: its `---` are scene breaks
        markdown = InlineMarkdown(inline_parser())
        tokens = parser.parse(source, markdown.env)
    return tokens, front, markdown


def _title_heading(units: list[Unit], front_title: str | None) -> Heading | None:
    """The `#` heading that titles the story rather than a chapter, if there is one.

    It opens the body, and repeats the front matter's title, or (when there is none) is the
    only `#` heading.
    """
    first = next((u for u in units if not isinstance(u, SceneBreak)), None)
    if not isinstance(first, Heading) or first.level != 1:
        return None
    if front_title:
        return first if front_title.casefold() == first.title.casefold() else None
    if sum(1 for u in units if isinstance(u, Heading) and u.level == 1) != 1:
        return None
    return first


@dataclass(slots=True)
class _Draft:
    title: str | None
    level: int = 0  # of its heading; 0 for the text before the first
    scenes: list[list[Paragraph]] = field(default_factory=lambda: [[]])

    @property
    def empty(self) -> bool:
        return not any(self.scenes)


def _chapters(
    units: list[Unit], title_heading: Heading | None, problems: list[str]
) -> list[ChapterSource]:
    drafts = [_Draft(None)]
    part: str | None = None
    for unit in units:
        if unit is title_heading:
            continue
        if isinstance(unit, Heading) and unit.level <= 2:
            last = drafts[-1]
            if unit.level == 1:
                part = None
            elif last.level == 1 and last.empty:
                part = last.title
            title = f"{part}{PART_SEPARATOR}{unit.title}" if part else unit.title
            drafts.append(_Draft(title, unit.level))
        elif isinstance(unit, Heading):
            bold = (Span(0, len(unit.title), "bold"),)
            drafts[-1].scenes[-1].append(Paragraph(unit.title, bold))
        elif isinstance(unit, SceneBreak):
            if drafts[-1].scenes[-1]:
                drafts[-1].scenes.append([])
        else:
            drafts[-1].scenes[-1].append(unit)
    chapters: list[ChapterSource] = []
    for index, draft in enumerate(drafts):
        scenes: tuple[Scene, ...] = tuple(tuple(s) for s in draft.scenes if s)
        if scenes:
            chapters.append(ChapterSource(draft.title, scenes))
        elif chapters and not _names_a_part(draft, drafts[index + 1 : index + 2]):
            problems.append(f"chapter '{draft.title}' has no text; skipped")
    return chapters


def _names_a_part(draft: _Draft, following: list[_Draft]) -> bool:
    return draft.level == 1 and bool(following) and following[0].level == 2
