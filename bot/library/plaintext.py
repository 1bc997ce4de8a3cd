"""Plain text and AO3 work-page copies: paragraphs split by one blank line, scenes by two.

An AO3 work-page copy opens with a preface (`Work Header`, the title, `Work Text:` or
`Chapter Text`); the preface is metadata and never story text.
"""

from __future__ import annotations

import re

from bot.library.breaks import is_scene_break
from bot.library.errors import UnusableText
from bot.library.model import ChapterSource, Document, Paragraph, Scene, StoryMetadata
from bot.library.text import normalise

_PREFACE_START = "Work Header"
_PREFACE_END = re.compile(r"^(?:Work Text|Chapter Text):?$")
# Labels that may sit in a copied preface before or after the title.
_PREFACE_LABEL = re.compile(r"^(?:Rating|Archive Warnings?|Fandoms?|Language|Stats|Summary|Notes):")
# A blank line: spaces, tabs or non-breaking spaces only. Two or more in a row end a scene.
_BLANK_RUN = re.compile(r"\n(?:[ \t\u00a0]*\n)+")


def title_from_name(name: str) -> str:
    """A readable title from a file name: `lay-your-heart-bare` -> `Lay Your Heart Bare`."""
    words = re.split(r"[-_\s]+", name.strip())
    return " ".join(word[:1].upper() + word[1:] for word in words if word) or name


def _split_preface(text: str) -> tuple[str | None, str]:
    """Return the preface's title (None when there is no preface) and the story body."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip() != _PREFACE_START:
        return None, text
    end = next(
        (i for i in range(first + 1, len(lines)) if _PREFACE_END.match(lines[i].strip())), None
    )
    if end is None:
        raise UnusableText("it has a 'Work Header' preface but no 'Work Text:' line")
    title = next(
        (
            line.strip()
            for line in lines[first + 1 : end]
            if line.strip() and not _PREFACE_LABEL.match(line.strip())
        ),
        None,
    )
    return title, "\n".join(lines[end + 1 :])


def split_scenes(body: str) -> tuple[Scene, ...]:
    """Split normalised text into scenes of paragraphs.

    One blank line separates paragraphs; two or more, or a break-marker line, separate scenes.
    A break marker may also stand inside a block of lines (no blank line around it).
    """
    scenes: list[Scene] = []
    current: list[Paragraph] = []

    def end_scene() -> None:
        if current:
            scenes.append(tuple(current))
            current.clear()

    position = 0
    stripped = body.strip("\n")
    for match in [*_BLANK_RUN.finditer(stripped), None]:
        block = stripped[position : match.start() if match else len(stripped)]
        lines: list[str] = []
        for line in block.split("\n"):
            if is_scene_break(line):
                if lines:
                    current.append(Paragraph("\n".join(lines)))
                    lines = []
                end_scene()
            else:
                lines.append(line)
        if lines:
            current.append(Paragraph("\n".join(lines)))
        if match is None:
            break
        if match.group().count("\n") > 2:  # two or more blank lines
            end_scene()
        position = match.end()
    end_scene()
    return tuple(scenes)


def parse_plaintext(text: str, name: str, encoding: str = "utf-8") -> Document:
    """Parse a plain text or an AO3 work-page copy; `name` (the file stem) is the fallback title."""
    preface_title, body = _split_preface(normalise(text))
    scenes = split_scenes(body)
    if not scenes:
        raise UnusableText(
            "it holds no story text after its preface" if preface_title else "it holds no text"
        )
    title = preface_title or title_from_name(name)
    return Document(
        metadata=StoryMetadata(title=title),
        chapters=(ChapterSource(title=None, scenes=scenes),),
        format="ao3-workpage" if preface_title is not None else "text",
        encoding=encoding,
    )
